package io.kavach.policy;

import io.kavach.model.BudgetLimits;
import io.kavach.model.PolicyAction;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A budget policy to create. Checked with Bean Validation by {@link BudgetPolicies#create}, which
 * reports every violation at once.
 *
 * <pre>{@code
 * CreatePolicyRequest.forAgent(agentId).maxTokensCostPerDay(1_000).maxCallsPerDay(500).action(PolicyAction.BLOCK).build();
 * CreatePolicyRequest.forUser("user-456").maxTokensCostPerMonth(10_000).action(PolicyAction.THROTTLE).build();
 * CreatePolicyRequest.forPool("engineering-pool", List.of(a, b)).maxCostPerDay(500_000_000).action(PolicyAction.BLOCK).build();
 * }</pre>
 *
 * @param agentId      the agent it applies to, or null
 * @param userId       the owner whose agents it applies to, or null
 * @param tenantId     the tenant whose agents it applies to, or null
 * @param poolName     a shared pool's name, or null
 * @param poolAgentIds the pool's agents
 * @param limits       at least one limit
 * @param action       warn, throttle, block or revoke
 */
public record CreatePolicyRequest(
        @Size(max = 40) String agentId,
        @Size(min = 1, max = 128) String userId,
        @Size(min = 1, max = 128) String tenantId,
        @Size(min = 1, max = 128) String poolName,
        @Size(max = 10_000) List<@NotBlank @Size(max = 40) String> poolAgentIds,
        @NotNull @Valid BudgetLimits limits,
        @NotNull PolicyAction action) {

    public CreatePolicyRequest {
        poolAgentIds = poolAgentIds == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(poolAgentIds));
    }

    @AssertTrue(message = "at least one limit must be set")
    boolean isLimitSet() {
        return limits == null || !limits.isEmpty();
    }

    @AssertTrue(message = "a pool names its agents and sets no agentId, userId or tenantId; other policies list no pool agents")
    boolean isPoolConsistent() {
        if (poolName != null) {
            return agentId == null && userId == null && tenantId == null && !poolAgentIds.isEmpty();
        }
        return poolAgentIds.isEmpty();
    }

    public static Builder forAgent(String agentId) {
        return new Builder().agent(agentId);
    }

    public static Builder forUser(String userId) {
        return new Builder().user(userId);
    }

    public static Builder forTenant(String tenantId) {
        return new Builder().tenant(tenantId);
    }

    /** A policy for every agent, counting them all together (an organisation-wide budget). */
    public static Builder global() {
        return new Builder();
    }

    /** A shared pool: the listed agents spend from one counter. */
    public static Builder forPool(String name, List<String> agentIds) {
        Builder builder = new Builder();
        builder.poolName = name;
        builder.poolAgentIds.addAll(agentIds);
        return builder;
    }

    /** A builder; values are checked when the request is used. Not thread-safe. */
    public static final class Builder {
        private String agentId;
        private String userId;
        private String tenantId;
        private String poolName;
        private final List<String> poolAgentIds = new ArrayList<>();
        private BudgetLimits limits = BudgetLimits.builder().build();
        private PolicyAction action;

        private Builder() {
        }

        /** Narrows the scope to this agent (combinable with user and tenant). */
        public Builder agent(String id) {
            this.agentId = id;
            return this;
        }

        public Builder user(String id) {
            this.userId = id;
            return this;
        }

        public Builder tenant(String id) {
            this.tenantId = id;
            return this;
        }

        /** Replaces all limits. */
        public Builder limits(BudgetLimits newLimits) {
            this.limits = newLimits;
            return this;
        }

        public Builder maxTokensCostPerDay(long limit) {
            return set(BudgetLimits.builder().maxTokensCostPerDay(limit).build());
        }

        public Builder maxTokensCostPerMonth(long limit) {
            return set(BudgetLimits.builder().maxTokensCostPerMonth(limit).build());
        }

        public Builder maxCallsPerDay(long limit) {
            return set(BudgetLimits.builder().maxCallsPerDay(limit).build());
        }

        public Builder maxCallsPerMonth(long limit) {
            return set(BudgetLimits.builder().maxCallsPerMonth(limit).build());
        }

        /** In microdollars. */
        public Builder maxCostPerDay(long microdollars) {
            return set(BudgetLimits.builder().maxCostPerDay(microdollars).build());
        }

        /** In microdollars. */
        public Builder maxCostPerMonth(long microdollars) {
            return set(BudgetLimits.builder().maxCostPerMonth(microdollars).build());
        }

        private Builder set(BudgetLimits one) {
            limits = (limits == null ? BudgetLimits.builder().build() : limits).merge(one);
            return this;
        }

        public Builder action(PolicyAction newAction) {
            this.action = newAction;
            return this;
        }

        public CreatePolicyRequest build() {
            return new CreatePolicyRequest(agentId, userId, tenantId, poolName, poolAgentIds, limits, action);
        }
    }
}
