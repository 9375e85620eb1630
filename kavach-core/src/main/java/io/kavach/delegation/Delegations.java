package io.kavach.delegation;

import io.kavach.error.DelegationRejectedException;
import io.kavach.error.InvalidInputException;
import io.kavach.error.NotFoundException;
import io.kavach.model.DelegationChain;
import java.util.List;
import java.util.Optional;

/** Delegation chains: {@code kavach.delegations()}. Thread-safe; every change and rejection is audited. */
public interface Delegations {

    /**
     * Passes permissions from one agent to another. The receiver gets only what the delegator
     * effectively holds (own and delegated), with the delegator's constraints kept and possibly
     * tightened; expiry is capped at the delegator's and its chains'; depth is capped by the
     * smallest {@code maxDepth} along the chain.
     *
     * @throws InvalidInputException       listing every invalid field of the request
     * @throws DelegationRejectedException when a delegation rule refuses it; the rejection is audited
     */
    DelegationChain delegate(DelegationRequest request);

    Optional<DelegationChain> find(String chainId);

    /** @throws NotFoundException when there is no such chain */
    DelegationChain get(String chainId);

    List<DelegationChain> list(DelegationFilter filter);

    /**
     * Revokes the chain and the chains derived from it, and only those.
     *
     * @return how many chains changed to revoked (0 if it already was)
     * @throws NotFoundException when there is no such chain
     */
    int revoke(String chainId);
}
