package io.kavach.audit;

/**
 * The result of checking the audit hash chain.
 *
 * @param ok           whether every entry checked is intact and linked to the one before
 * @param checked      how many entries were checked
 * @param firstBadId   the first entry found altered or out of place, or null when ok
 * @param problem      what is wrong with it, or null when ok
 * @param message      a sentence for people
 * @param headHash     the hash of the last entry checked: record it elsewhere to detect a rewritten tail later
 */
public record AuditVerification(boolean ok, long checked, String firstBadId, Problem problem, String message,
                                String headHash) {

    /** What verification found wrong. */
    public enum Problem {
        /** The entry's content no longer matches its hash: it was edited, or forged without its hash. */
        ALTERED,
        /**
         * The entry is intact but does not follow the entry before it: entries were removed,
         * inserted or reordered just before it.
         */
        BROKEN_LINK
    }
}
