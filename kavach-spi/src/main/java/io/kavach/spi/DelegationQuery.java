package io.kavach.spi;

import io.kavach.model.DelegationStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * Filters for listing delegation chains; null fields do not filter.
 *
 * @param fromAgentId the delegating agent, or null
 * @param toAgentId   the receiving agent, or null
 * @param status      the status at {@code asOf}, or null
 * @param afterId     list chains whose id sorts after this one, or null
 * @param limit       the most chains to return, at least 1
 * @param asOf        the moment at which {@code status} is judged
 */
public record DelegationQuery(
        String fromAgentId, String toAgentId, DelegationStatus status, String afterId, int limit, Instant asOf) {
    public DelegationQuery {
        Objects.requireNonNull(asOf, "asOf");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }
}
