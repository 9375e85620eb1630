package io.kavach.audit;

import io.kavach.audit.AuditVerification.Problem;
import io.kavach.model.AuditEntry;
import java.util.function.Consumer;

/**
 * Checks entries fed in chain order: each must hash to its own hash and name the previous entry's
 * hash as its previous hash. Stops judging at the first bad entry. Not thread-safe; one per check.
 */
public final class ChainVerifier implements Consumer<AuditEntry> {
    private String expectedPrevious;
    private long checked;
    private String lastHash;
    private String firstBadId;
    private Problem problem;
    private String message;

    /**
     * @param expectedFirstPrevious the previous hash the first entry must name ({@link AuditEntry#GENESIS},
     *                              a cleanup's checkpoint), or null to accept whatever the first entry names
     *                              (when checking a time range that starts mid-chain)
     */
    public ChainVerifier(String expectedFirstPrevious) {
        this.expectedPrevious = expectedFirstPrevious;
    }

    @Override
    public void accept(AuditEntry entry) {
        if (firstBadId != null) {
            return;
        }
        checked++;
        if (!AuditHasher.hash(entry).equals(entry.hash())) {
            fail(entry, Problem.ALTERED, "entry " + entry.id() + " does not match its hash: it was altered or forged");
        } else if (expectedPrevious != null && !expectedPrevious.equals(entry.previousHash())) {
            fail(entry, Problem.BROKEN_LINK, "entry " + entry.id() + " does not follow the entry before it:"
                    + " entries were removed, inserted or reordered just before it");
        }
        expectedPrevious = entry.hash();
        lastHash = entry.hash();
    }

    private void fail(AuditEntry entry, Problem found, String text) {
        firstBadId = entry.id();
        problem = found;
        message = text;
    }

    public AuditVerification result() {
        if (firstBadId == null) {
            return new AuditVerification(true, checked, null, null, checked + " entries verified", lastHash);
        }
        return new AuditVerification(false, checked, firstBadId, problem, message, lastHash);
    }
}
