package io.kavach.core.internal;

import io.kavach.delegation.DelegationFilter;
import io.kavach.delegation.DelegationRequest;
import io.kavach.delegation.Delegations;
import io.kavach.error.DelegationRejectedException;
import io.kavach.error.NotFoundException;
import io.kavach.model.Agent;
import io.kavach.model.AuditResult;
import io.kavach.model.DelegationChain;
import io.kavach.model.DelegationStatus;
import io.kavach.model.Ids;
import io.kavach.model.Permission;
import io.kavach.spi.DelegationQuery;
import io.kavach.spi.StoreSession;
import io.kavach.spi.internal.Checks;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The delegation service behind {@code kavach.delegations()}. */
public final class DefaultDelegations implements Delegations {
    private final Context context;

    public DefaultDelegations(Context context) {
        this.context = context;
    }

    /** Either the new chain or why it was refused. */
    private record Outcome(DelegationChain chain, String rejection) {
    }

    @Override
    public DelegationChain delegate(DelegationRequest request) {
        BeanValidation.check("request", request);
        Checks.id("fromAgentId", request.fromAgentId(), Ids.AGENT);
        Checks.id("toAgentId", request.toAgentId(), Ids.AGENT);
        Instant now = context.now();
        Instant requestedExpiry = request.expiresAt() != null ? request.expiresAt()
                : now.plus(Durations.parse("expiresIn", request.expiresIn()));
        Outcome outcome = context.store().write(session -> {
            Outcome result = build(session, request, requestedExpiry, now);
            Agent from = session.agents().find(request.fromAgentId()).orElse(null);
            if (result.rejection() != null) {
                // The rejection is committed to the audit log; the exception is thrown after the commit.
                context.auditor().event(session, now, from, "delegation.rejected", request.toAgentId(),
                        AuditResult.DENIED, "DELEGATION_REJECTED", result.rejection());
            } else {
                session.delegations().insert(result.chain());
                DelegationChain chain = result.chain();
                context.auditor().event(session, now, from, "delegation.created", chain.id(), AuditResult.SUCCESS,
                        "DELEGATION_CREATED", chain.permissions().size() + " permissions delegated to " + chain.toAgentId()
                                + " at depth " + chain.depth() + " of " + chain.maxDepth() + ", until " + chain.expiresAt());
            }
            return result;
        });
        if (outcome.rejection() != null) {
            throw new DelegationRejectedException(outcome.rejection());
        }
        return outcome.chain();
    }

    private Outcome build(StoreSession session, DelegationRequest request, Instant expiresAt, Instant now) {
        String fromId = request.fromAgentId();
        String toId = request.toAgentId();
        if (fromId.equals(toId)) {
            return rejected("agent " + fromId + " cannot delegate to itself");
        }
        Optional<Agent> fromFound = session.agents().find(fromId);
        if (fromFound.isEmpty()) {
            return rejected("delegating agent " + fromId + " does not exist");
        }
        Agent from = fromFound.get();
        if (!from.isActiveAt(now)) {
            return rejected("delegating agent " + fromId + " is " + from.statusAt(now).name().toLowerCase(Locale.ROOT));
        }
        Optional<Agent> toFound = session.agents().find(toId);
        if (toFound.isEmpty()) {
            return rejected("target agent " + toId + " does not exist");
        }
        if (!toFound.get().isActiveAt(now)) {
            return rejected("target agent " + toId + " is " + toFound.get().statusAt(now).name().toLowerCase(Locale.ROOT));
        }
        if (!expiresAt.isAfter(now)) {
            return rejected("expiry " + expiresAt + " is not in the future (now is " + now + ")");
        }
        String cycle = cycle(session, toId, fromId, now);
        if (cycle != null) {
            return rejected("delegating from " + fromId + " to " + toId + " would close a cycle: " + cycle);
        }

        List<Grant> held = Grants.effective(session, from, now);
        List<Permission> granted = new ArrayList<>();
        Map<String, DelegationChain> sources = new LinkedHashMap<>();
        for (Permission wanted : request.permissions()) {
            Derivation derivation = derive(held, wanted);
            if (derivation.permission() == null) {
                return rejected(derivation.problem());
            }
            granted.add(derivation.permission());
            if (derivation.source().chain() != null) {
                sources.put(derivation.source().chainId(), derivation.source().chain());
            }
        }

        int depth = 1;
        int inheritedMax = DelegationRequest.MAX_DEPTH;
        Instant cap = from.expiresAt();
        for (DelegationChain source : sources.values()) {
            depth = Math.max(depth, source.depth() + 1);
            inheritedMax = Math.min(inheritedMax, source.maxDepth());
            cap = cap == null || source.expiresAt().isBefore(cap) ? source.expiresAt() : cap;
        }
        int maxDepth;
        if (request.maxDepth() != null) {
            maxDepth = Math.min(request.maxDepth(), inheritedMax);
        } else {
            maxDepth = sources.isEmpty() ? context.settings().defaultMaxDelegationDepth() : inheritedMax;
        }
        if (depth > maxDepth) {
            return rejected("the chain would be " + depth + " deep, beyond its maxDepth of " + maxDepth);
        }
        Instant effectiveExpiry = cap != null && cap.isBefore(expiresAt) ? cap : expiresAt;
        DelegationChain chain = new DelegationChain(context.ids().next(Ids.DELEGATION), fromId, toId, granted,
                List.copyOf(sources.keySet()), depth, maxDepth, DelegationStatus.ACTIVE, effectiveExpiry, now, null);
        return new Outcome(chain, null);
    }

    /** A requested permission as the delegator can pass it on: with its source, or why it cannot. */
    private record Derivation(Permission permission, Grant source, String problem) {
    }

    /**
     * The first held grant that covers the wanted permission and whose constraints it can tighten.
     * Held constraints are kept; wanted ones may only narrow them.
     */
    private static Derivation derive(List<Grant> held, Permission wanted) {
        String widening = null;
        for (Grant grant : held) {
            Permission have = grant.permission();
            if (!have.resource().covers(wanted.resource()) || !have.coversActions(wanted.actions())) {
                continue;
            }
            Tightening.Result result = Tightening.tighten(have.constraints(), wanted.constraints());
            if (result.ok()) {
                return new Derivation(wanted.withConstraints(result.constraints()), grant, null);
            }
            widening = widening == null ? result.widening() : widening;
        }
        if (widening != null) {
            return new Derivation(null, null, "cannot delegate " + wanted.resource() + " " + wanted.actions() + ": " + widening);
        }
        return new Derivation(null, null, "the delegator does not hold " + wanted.resource() + " " + wanted.actions());
    }

    /**
     * A path of live delegations from {@code start} that reaches {@code target}, as text, or null.
     * Delegating from target to start on top of such a path would close a cycle.
     */
    private static String cycle(StoreSession session, String start, String target, Instant now) {
        Map<String, String> cameFrom = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        Set<String> seen = new HashSet<>(queue);
        while (!queue.isEmpty()) {
            String agent = queue.poll();
            for (DelegationChain chain : session.delegations().findActiveFrom(agent, now)) {
                String next = chain.toAgentId();
                if (seen.add(next)) {
                    cameFrom.put(next, agent);
                    if (next.equals(target)) {
                        List<String> path = new ArrayList<>(List.of(next));
                        for (String at = next; cameFrom.containsKey(at); at = cameFrom.get(at)) {
                            path.add(0, cameFrom.get(at));
                        }
                        return String.join(" -> ", path) + " already exists";
                    }
                    queue.add(next);
                }
            }
        }
        return null;
    }

    @Override
    public Optional<DelegationChain> find(String chainId) {
        Checks.id("chainId", chainId, Ids.DELEGATION);
        return context.store().read(session -> session.delegations().find(chainId));
    }

    @Override
    public DelegationChain get(String chainId) {
        return find(chainId).orElseThrow(() -> new NotFoundException("delegation", chainId));
    }

    @Override
    public List<DelegationChain> list(DelegationFilter filter) {
        Checks.notNull("filter", filter);
        DelegationQuery query = new DelegationQuery(filter.fromAgentId(), filter.toAgentId(), filter.status(),
                filter.afterId(), filter.limit(), context.now());
        return context.store().read(session -> session.delegations().list(query));
    }

    @Override
    public int revoke(String chainId) {
        Checks.id("chainId", chainId, Ids.DELEGATION);
        Instant now = context.now();
        return context.store().write(session -> {
            DelegationChain chain = session.delegations().find(chainId)
                    .orElseThrow(() -> new NotFoundException("delegation", chainId));
            return revokeWithDescendants(session, List.of(chain.id()), now, "revoked on request");
        });
    }

    /** Revokes every chain from or to the agent, with everything derived from them. */
    int revokeAllOf(StoreSession session, String agentId, Instant now, String reason) {
        List<String> ids = new ArrayList<>();
        session.delegations().findActiveFrom(agentId, now).forEach(c -> ids.add(c.id()));
        session.delegations().findActiveTo(agentId, now).forEach(c -> ids.add(c.id()));
        return revokeWithDescendants(session, ids, now, reason);
    }

    /**
     * After an agent's own permissions changed: revokes its outgoing chains that its permissions
     * no longer cover, with their descendants.
     */
    int revokeUncovered(StoreSession session, Agent agent, Instant now) {
        List<Grant> held = Grants.effective(session, agent, now);
        List<String> uncovered = new ArrayList<>();
        for (DelegationChain chain : session.delegations().findActiveFrom(agent.id(), now)) {
            boolean covered = chain.permissions().stream().allMatch(p -> derive(held, p).permission() != null);
            if (!covered) {
                uncovered.add(chain.id());
            }
        }
        return revokeWithDescendants(session, uncovered, now, "the delegator's permissions no longer cover it");
    }

    private int revokeWithDescendants(StoreSession session, List<String> roots, Instant now, String reason) {
        Set<String> all = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>(roots);
        while (!queue.isEmpty()) {
            String id = queue.poll();
            if (all.add(id)) {
                queue.addAll(session.delegations().findChildIds(id));
            }
        }
        int changed = 0;
        for (String id : all) {
            if (session.delegations().revoke(List.of(id), now) == 1) {
                changed++;
                String why = roots.contains(id) ? reason : "a chain it was derived from was revoked";
                Agent from = session.delegations().find(id)
                        .flatMap(c -> session.agents().find(c.fromAgentId())).orElse(null);
                context.auditor().event(session, now, from, "delegation.revoked", id, AuditResult.SUCCESS,
                        "DELEGATION_REVOKED", why);
            }
        }
        return changed;
    }

    private static Outcome rejected(String reason) {
        return new Outcome(null, reason);
    }
}
