package io.kavach.core.internal;

import io.kavach.model.Agent;
import io.kavach.model.DelegationChain;
import io.kavach.model.Permission;
import io.kavach.spi.StoreSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What an agent effectively holds: its own permissions, then those of its live delegations. */
final class Grants {
    private Grants() {
    }

    /**
     * The agent's grants at {@code now}. A delegation counts while it is active, unexpired, and its
     * delegating agent is itself active: revocation cascades when it happens, and this check keeps
     * a chain from outliving a delegator whose expiry was shortened later.
     */
    static List<Grant> effective(StoreSession session, Agent agent, Instant now) {
        List<Grant> grants = new ArrayList<>();
        for (Permission permission : agent.permissions()) {
            grants.add(new Grant(permission, null));
        }
        for (DelegationChain chain : session.delegations().findActiveTo(agent.id(), now)) {
            boolean delegatorActive = session.agents().find(chain.fromAgentId())
                    .map(from -> from.isActiveAt(now)).orElse(false);
            if (delegatorActive) {
                for (Permission permission : chain.permissions()) {
                    grants.add(new Grant(permission, chain));
                }
            }
        }
        return grants;
    }
}
