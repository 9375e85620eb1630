package io.kavach.testkit;

import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.spi.AuditQuery;
import java.time.Instant;
import java.util.Set;

/** A builder of {@link AuditQuery} for store tests: set only what a test cares about. Not thread-safe. */
public final class AuditQueries {
    private String agentId;
    private String userId;
    private String tenantId;
    private Set<String> actions = Set.of();
    private Set<AuditResult> results = Set.of();
    private Set<String> codes = Set.of();
    private String resourcePrefix;
    private Instant since;
    private Instant until;
    private AuditQuery.Position before;
    private int limit = 100;

    private AuditQueries() {
    }

    /** A query with no filter and a limit of 100. */
    public static AuditQueries builder() {
        return new AuditQueries();
    }

    public AuditQueries agent(String id) {
        agentId = id;
        return this;
    }

    public AuditQueries user(String id) {
        userId = id;
        return this;
    }

    public AuditQueries tenant(String id) {
        tenantId = id;
        return this;
    }

    public AuditQueries actions(String... names) {
        actions = Set.of(names);
        return this;
    }

    public AuditQueries results(AuditResult... wanted) {
        results = Set.of(wanted);
        return this;
    }

    public AuditQueries codes(String... wanted) {
        codes = Set.of(wanted);
        return this;
    }

    public AuditQueries resourcePrefix(String prefix) {
        resourcePrefix = prefix;
        return this;
    }

    public AuditQueries since(Instant instant) {
        since = instant;
        return this;
    }

    public AuditQueries until(Instant instant) {
        until = instant;
        return this;
    }

    /** Entries after this one in newest-first order. */
    public AuditQueries before(AuditEntry entry) {
        return before(entry.timestamp(), entry.id());
    }

    public AuditQueries before(Instant timestamp, String id) {
        before = new AuditQuery.Position(timestamp, id);
        return this;
    }

    public AuditQueries limit(int max) {
        limit = max;
        return this;
    }

    public AuditQuery query() {
        return new AuditQuery(agentId, userId, tenantId, actions, results, codes, resourcePrefix, since, until, before, limit);
    }
}
