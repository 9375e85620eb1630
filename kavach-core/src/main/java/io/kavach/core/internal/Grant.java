package io.kavach.core.internal;

import io.kavach.model.DelegationChain;
import io.kavach.model.Permission;

/**
 * A permission an agent effectively holds, with where it came from.
 *
 * @param permission the permission
 * @param chain      the delegation chain it came through, or null for the agent's own
 */
public record Grant(Permission permission, DelegationChain chain) {

    public String chainId() {
        return chain == null ? null : chain.id();
    }

    /** The key under which this grant's rate limit is counted for the calling agent. */
    public String rateKey() {
        return (chain == null ? "own" : chain.id()) + "|" + permission.key();
    }
}
