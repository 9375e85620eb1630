package io.kavach;

import io.kavach.agent.Agents;
import io.kavach.approval.Approvals;
import io.kavach.audit.ArgumentRedactor;
import io.kavach.audit.AuditLog;
import io.kavach.core.internal.CostSettings;
import io.kavach.core.internal.Services;
import io.kavach.core.internal.Settings;
import io.kavach.cost.CostAttribution;
import io.kavach.cost.ModelPricing;
import io.kavach.delegation.DelegationRequest;
import io.kavach.delegation.Delegations;
import io.kavach.error.InvalidInputException;
import io.kavach.model.DelegationChain;
import io.kavach.model.Microdollars;
import io.kavach.policy.BudgetPolicies;
import io.kavach.spi.KavachStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The entry point: authorization, agents, delegation, approvals and the audit log over one store.
 *
 * <pre>{@code
 * try (Kavach kavach = Kavach.builder().store(SqliteStore.open(Path.of("kavach.db"))).build()) {
 *     AgentCredentials bot = kavach.agents().create(
 *             CreateAgentRequest.builder("user-1", "research-bot").permission("mcp:github:*", "read").build());
 *     Decision decision = kavach.authorize(bot.agent().id(), AuthorizeRequest.of("read", "mcp:github:repos"));
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe once built; share one instance. Denials are returned as
 * {@link Decision} values, never thrown. {@link #close()} closes the store given to the builder.
 */
public final class Kavach implements AutoCloseable {
    private final Services services;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Kavach(Builder builder) {
        Settings settings = new Settings(builder.defaultAgentExpiry, builder.maxActiveAgentsPerOwner,
                builder.approvalTtl, builder.defaultMaxDelegationDepth, builder.redactor, builder.listeners,
                builder.budgetZone, new CostSettings(builder.pricing, builder.costWarn, builder.costCritical,
                        builder.costAlertCooldown, builder.costRetention));
        this.services = Services.create(builder.store, builder.clock, settings);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decides whether the agent may make the call, and audits the decision. Never throws for a
     * denial or for a malformed agent id (that is {@link io.kavach.model.DecisionCode#INVALID_REQUEST});
     * throws {@link io.kavach.error.StoreException} only when the store fails.
     *
     * <p>Durable: when it returns, the decision, its audit entry and its counter increments are
     * committed. Concurrent calls share transactions (group commit); each returns once its own
     * decision has committed. Thread-safe.
     */
    public Decision authorize(String agentId, AuthorizeRequest request) {
        return services.pipeline().byId(agentId, request);
    }

    /** As {@link #authorize(String, AuthorizeRequest)}, building the request; a malformed action or resource is INVALID_REQUEST. */
    public Decision authorize(String agentId, String action, String resource) {
        return services.pipeline().byId(agentId, action, resource);
    }

    /** The same pipeline as {@link #authorize(String, AuthorizeRequest)}, for the agent holding {@code token}. */
    public Decision authorizeByToken(String token, AuthorizeRequest request) {
        return services.pipeline().byToken(token, request);
    }

    /** Shorthand for {@code delegations().delegate(request)}. */
    public DelegationChain delegate(DelegationRequest request) {
        return services.delegations().delegate(request);
    }

    public Agents agents() {
        return services.agents();
    }

    public Delegations delegations() {
        return services.delegations();
    }

    /** Budget policies: create, list, check and record usage, settle estimates, run the resets. */
    public BudgetPolicies policy() {
        return services.policies();
    }

    /** Cost attribution: record costs, report per agent, owner, tool and chain, check dollar budgets. */
    public CostAttribution costs() {
        return services.costs();
    }

    public Approvals approvals() {
        return services.approvals();
    }

    public AuditLog audit() {
        return services.audit();
    }

    /** The clock this instance reads time from. */
    public Clock clock() {
        return services.context().clock();
    }

    /** Closes the store. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            services.context().store().close();
        }
    }

    /**
     * Configures a {@link Kavach}. Each setter rejects a bad value at once with an
     * {@link InvalidInputException} naming the option; {@link #build()} checks what must be set.
     * Not thread-safe.
     */
    public static final class Builder {
        private KavachStore store;
        private Clock clock = Clock.systemUTC();
        private Duration defaultAgentExpiry;
        private int maxActiveAgentsPerOwner;
        private Duration approvalTtl = Duration.ofMinutes(15);
        private int defaultMaxDelegationDepth = 3;
        private ArgumentRedactor redactor = ArgumentRedactor.defaults();
        private final List<KavachListener> listeners = new ArrayList<>();
        private ZoneId budgetZone = ZoneOffset.UTC;
        private ModelPricing pricing = ModelPricing.defaults();
        private Microdollars costWarn;
        private Microdollars costCritical;
        private Duration costAlertCooldown = Duration.ofHours(1);
        private Duration costRetention = Duration.ofDays(90);

        private Builder() {
        }

        /** The store; required. {@link Kavach#close()} closes it. */
        public Builder store(KavachStore store) {
            if (store == null) {
                throw new InvalidInputException("store", null, "must not be null");
            }
            this.store = store;
            return this;
        }

        /** Where time comes from; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            if (clock == null) {
                throw new InvalidInputException("clock", null, "must not be null");
            }
            this.clock = clock;
            return this;
        }

        /** The expiry given to agents created without one; none by default. */
        public Builder defaultAgentExpiry(Duration expiry) {
            this.defaultAgentExpiry = positive("defaultAgentExpiry", expiry);
            return this;
        }

        /** The most active agents one owner may have; unlimited by default. */
        public Builder maxActiveAgentsPerOwner(int max) {
            if (max < 1) {
                throw new InvalidInputException("maxActiveAgentsPerOwner", max, "must be at least 1");
            }
            this.maxActiveAgentsPerOwner = max;
            return this;
        }

        /** How long an approval lets a matching call through; 15 minutes by default. */
        public Builder approvalTtl(Duration ttl) {
            this.approvalTtl = positive("approvalTtl", ttl);
            return this;
        }

        /** The maxDepth of delegations of own permissions that name none; 3 by default. */
        public Builder defaultMaxDelegationDepth(int depth) {
            if (depth < 1 || depth > DelegationRequest.MAX_DEPTH) {
                throw new InvalidInputException("defaultMaxDelegationDepth", depth,
                        "must be between 1 and " + DelegationRequest.MAX_DEPTH);
            }
            this.defaultMaxDelegationDepth = depth;
            return this;
        }

        /** The argument keys whose values the audit log redacts; {@link ArgumentRedactor#DEFAULT_KEYS} by default. */
        public Builder redactedArgumentKeys(Set<String> keys) {
            if (keys == null) {
                throw new InvalidInputException("redactedArgumentKeys", null, "must not be null");
            }
            this.redactor = ArgumentRedactor.of(keys);
            return this;
        }

        /** The zone whose calendar days and months budget periods follow; UTC by default. */
        public Builder budgetZone(ZoneId zone) {
            if (zone == null) {
                throw new InvalidInputException("budgetZone", null, "must not be null");
            }
            this.budgetZone = zone;
            return this;
        }

        /** The model price table used by {@code costs().recordUsage}; the bundled one by default. */
        public Builder modelPricing(ModelPricing table) {
            if (table == null) {
                throw new InvalidInputException("modelPricing", null, "must not be null");
            }
            this.pricing = table;
            return this;
        }

        /**
         * Rolling-24-hour spend per agent that raises a warn and a critical {@code CostAlert}; null
         * for none. Dollar amounts as exact decimal text, such as {@code "5.00"}.
         */
        public Builder costAlertThresholds(String warnUsd, String criticalUsd) {
            this.costWarn = warnUsd == null ? null : nonNegative("costAlertThresholds.warn", Microdollars.parse("costAlertThresholds.warn", warnUsd));
            this.costCritical = criticalUsd == null ? null
                    : nonNegative("costAlertThresholds.critical", Microdollars.parse("costAlertThresholds.critical", criticalUsd));
            return this;
        }

        /** The least time between two warn (or two critical) alerts for one agent; 1 hour by default. */
        public Builder costAlertCooldown(Duration cooldown) {
            if (cooldown == null || cooldown.isNegative()) {
                throw new InvalidInputException("costAlertCooldown", cooldown, "must be zero or a positive duration");
            }
            this.costAlertCooldown = cooldown;
            return this;
        }

        /** How long {@code costs().cleanup()} keeps cost events; 90 days by default. */
        public Builder costRetention(Duration retention) {
            this.costRetention = positive("costRetention", retention);
            return this;
        }

        public Builder listener(KavachListener listener) {
            if (listener == null) {
                throw new InvalidInputException("listener", null, "must not be null");
            }
            listeners.add(listener);
            return this;
        }

        /** @throws InvalidInputException when no store was given */
        public Kavach build() {
            if (store == null) {
                throw new InvalidInputException("store", null, "must be set: Kavach.builder().store(SqliteStore.open(path))");
            }
            if (defaultAgentExpiry != null && approvalTtl.compareTo(defaultAgentExpiry) > 0) {
                throw new InvalidInputException("approvalTtl", approvalTtl,
                        "must not exceed defaultAgentExpiry (" + defaultAgentExpiry + "): an approval would outlive its agent");
            }
            if (costWarn != null && costCritical != null && costCritical.compareTo(costWarn) < 0) {
                throw new InvalidInputException("costAlertThresholds.critical", costCritical,
                        "must not be below the warn threshold (" + costWarn + ")");
            }
            return new Kavach(this);
        }

        private static Microdollars nonNegative(String option, Microdollars value) {
            if (value.isNegative()) {
                throw new InvalidInputException(option, value, "must not be negative");
            }
            return value;
        }

        private static Duration positive(String option, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new InvalidInputException(option, value, "must be a positive duration");
            }
            return value;
        }
    }
}
