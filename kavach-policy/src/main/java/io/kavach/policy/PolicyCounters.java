package io.kavach.policy;

import io.kavach.model.PolicyUsage;

/**
 * A policy's counters for the running day and month.
 *
 * @param policyId    the policy
 * @param dayPeriod   the day's key, such as {@code D:2026-03-10}
 * @param day         what the policy counted today
 * @param monthPeriod the month's key, such as {@code M:2026-03}
 * @param month       what the policy counted this month
 */
public record PolicyCounters(String policyId, String dayPeriod, PolicyUsage day, String monthPeriod, PolicyUsage month) {
}
