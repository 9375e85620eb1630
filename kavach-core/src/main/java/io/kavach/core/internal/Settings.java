package io.kavach.core.internal;

import io.kavach.KavachListener;
import io.kavach.audit.ArgumentRedactor;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * The options a Kavach instance was built with. Immutable.
 *
 * @param defaultAgentExpiry      expiry given to agents created without one, or null for none
 * @param maxActiveAgentsPerOwner the cap of active agents per owner, or 0 for none
 * @param approvalTtl             how long a granted approval lets a call through
 * @param defaultMaxDelegationDepth the maxDepth of a delegation of own permissions that names none
 * @param redactor                the argument redaction applied to audit entries
 * @param listeners               authorization listeners, in registration order
 * @param budgetZone              the zone of budget days and months, and of cost report days
 * @param costs                   the cost attribution options
 */
public record Settings(
        Duration defaultAgentExpiry,
        int maxActiveAgentsPerOwner,
        Duration approvalTtl,
        int defaultMaxDelegationDepth,
        ArgumentRedactor redactor,
        List<KavachListener> listeners,
        ZoneId budgetZone,
        CostSettings costs) {

    public Settings {
        listeners = List.copyOf(listeners);
    }
}
