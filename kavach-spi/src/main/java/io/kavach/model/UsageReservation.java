package io.kavach.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The usage an allowed {@code authorize} with a token cost reserved, kept so that
 * {@code settle(usageId, actualCost)} can correct the estimate by the difference, on the same
 * policies and in the same periods.
 *
 * @param id         the usage id: the decision's audit id
 * @param agentId    the agent
 * @param policyIds  the policies the usage was added to
 * @param dayPeriod  the day counter's period key
 * @param monthPeriod the month counter's period key
 * @param tokensCost the token cost counted now (the estimate, then each settled amount)
 * @param createdAt  when it was reserved
 * @param settledAt  when it was last settled, or null
 */
public record UsageReservation(String id, String agentId, List<String> policyIds, String dayPeriod,
                               String monthPeriod, long tokensCost, Instant createdAt, Instant settledAt) {
    public UsageReservation {
        Objects.requireNonNull(id, "id");
        policyIds = List.copyOf(policyIds);
    }
}
