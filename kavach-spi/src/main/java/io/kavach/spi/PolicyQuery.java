package io.kavach.spi;

import io.kavach.model.PolicyStatus;

/**
 * Filters for listing policies; null fields do not filter. {@code userId} and {@code tenantId}
 * select the policies whose scope names that user or tenant; {@code includeGlobal} adds the
 * global policies; {@code status} compares the stored status.
 *
 * @param userId        the scope's user, or null
 * @param tenantId      the scope's tenant, or null
 * @param includeGlobal whether global policies are listed too when filtering by user or tenant
 * @param status        the stored status, or null
 * @param limit         the most policies to return, at least 1
 */
public record PolicyQuery(String userId, String tenantId, boolean includeGlobal, PolicyStatus status, int limit) {
    public PolicyQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }
}
