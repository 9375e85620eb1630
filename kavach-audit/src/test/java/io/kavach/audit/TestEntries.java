package io.kavach.audit;

import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Audit entries for the unit tests of this module: plain ones, and hash chains of them. */
final class TestEntries {
    static final Instant T0 = Instant.parse("2026-03-10T10:00:00.123Z");

    private TestEntries() {
    }

    /** An entry with every field set, not yet chained. */
    static AuditEntry full(int n) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("model", "gpt-4o");
        arguments.put("n", n);
        arguments.put("options", Map.of("dryRun", true, "ids", List.of(1, 2, 3)));
        return new AuditEntry(String.format("aud_01J%023d", n), T0.plusMillis(n), "agt_" + n, "user-" + n % 3,
                "tenant-" + n % 2, "execute", "llm:openai:chat", AuditResult.ALLOWED, "ALLOWED", "granted by llm:** #" + n,
                100L + n, 42L + n, "dlg_" + n, List.of("pol_a" + n, "pol_b" + n), "10.0.0." + (n % 250), "agent-sdk/1.0",
                arguments, null, null);
    }

    /** {@code entry} linked after {@code previousHash}, with its correct hash. */
    static AuditEntry link(AuditEntry entry, String previousHash) {
        AuditEntry linked = entry.chained(previousHash, null);
        return linked.chained(previousHash, AuditHasher.hash(linked));
    }

    /** {@code entries} linked into one chain starting at {@code firstPrevious}. */
    static List<AuditEntry> chain(List<AuditEntry> entries, String firstPrevious) {
        List<AuditEntry> out = new ArrayList<>();
        String previous = firstPrevious;
        for (AuditEntry entry : entries) {
            AuditEntry linked = link(entry, previous);
            out.add(linked);
            previous = linked.hash();
        }
        return out;
    }

    /** A chain of {@code size} full entries from {@link AuditEntry#GENESIS}. */
    static List<AuditEntry> chain(int size) {
        List<AuditEntry> entries = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            entries.add(full(i));
        }
        return chain(entries, AuditEntry.GENESIS);
    }

    /** {@code e} with another reason, its hash left as it was. */
    static AuditEntry withReason(AuditEntry e, String reason) {
        return new AuditEntry(e.id(), e.timestamp(), e.agentId(), e.userId(), e.tenantId(), e.action(), e.resource(),
                e.result(), e.code(), reason, e.tokensCost(), e.durationMicros(), e.delegationChainId(), e.policyIds(),
                e.ip(), e.userAgent(), e.arguments(), e.previousHash(), e.hash());
    }
}
