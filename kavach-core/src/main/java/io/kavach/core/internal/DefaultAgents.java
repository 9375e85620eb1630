package io.kavach.core.internal;

import io.kavach.agent.AgentCredentials;
import io.kavach.agent.AgentFilter;
import io.kavach.agent.Agents;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.agent.UpdateAgentRequest;
import io.kavach.error.AgentLimitExceededException;
import io.kavach.error.InvalidInputException;
import io.kavach.error.InvalidStateException;
import io.kavach.error.NotFoundException;
import io.kavach.model.Agent;
import io.kavach.model.AgentStatus;
import io.kavach.model.AuditResult;
import io.kavach.model.Ids;
import io.kavach.spi.AgentQuery;
import io.kavach.spi.StoreSession;
import io.kavach.spi.codec.JsonCodec;
import io.kavach.spi.internal.Checks;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The agent service behind {@code kavach.agents()}. */
public final class DefaultAgents implements Agents {
    private final Context context;
    private final DefaultDelegations delegations;

    public DefaultAgents(Context context, DefaultDelegations delegations) {
        this.context = context;
        this.delegations = delegations;
    }

    @Override
    public AgentCredentials create(CreateAgentRequest request) {
        BeanValidation.check("request", request);
        JsonCodec.mapToJson(request.metadata()); // rejects metadata that cannot be stored, before any write
        Instant now = context.now();
        Instant expiresAt = request.expiresAt();
        if (expiresAt == null && context.settings().defaultAgentExpiry() != null) {
            expiresAt = now.plus(context.settings().defaultAgentExpiry());
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new InvalidInputException("expiresAt", expiresAt, "must be in the future (now is " + now + ")");
        }
        String token = Tokens.newToken();
        Agent agent = new Agent(context.ids().next(Ids.AGENT), request.ownerId(), request.tenantId(), request.name(),
                request.type(), AgentStatus.ACTIVE, request.permissions(), expiresAt, request.metadata(),
                Tokens.shownPrefix(token), now, now, null);
        int cap = context.settings().maxActiveAgentsPerOwner();
        context.store().write(session -> {
            // The count and the insert share one serialized transaction, so concurrent creates cannot pass the cap.
            if (cap > 0 && session.agents().countActive(agent.ownerId(), now) >= cap) {
                throw new AgentLimitExceededException(agent.ownerId(), cap);
            }
            session.agents().insert(agent, Tokens.hash(token));
            context.auditor().event(session, now, agent, "agent.created", agent.id(), AuditResult.SUCCESS,
                    "AGENT_CREATED", "agent '" + agent.name() + "' created for owner " + agent.ownerId()
                            + " with " + agent.permissions().size() + " permissions");
            return null;
        });
        return new AgentCredentials(agent, token);
    }

    @Override
    public Optional<Agent> find(String agentId) {
        checkId(agentId);
        return context.store().read(session -> session.agents().find(agentId));
    }

    @Override
    public Agent get(String agentId) {
        return find(agentId).orElseThrow(() -> new NotFoundException("agent", agentId));
    }

    @Override
    public Optional<Agent> findByToken(String token) {
        if (!Tokens.isWellFormed(token)) {
            throw new InvalidInputException("token", token == null ? null : Tokens.shownPrefix(token + "           "),
                    "is not a Kavach token (kv_ followed by 43 characters)");
        }
        Instant now = context.now();
        return context.store().read(session -> session.agents().findByTokenHash(Tokens.hash(token)))
                .filter(agent -> agent.isActiveAt(now));
    }

    @Override
    public List<Agent> list(AgentFilter filter) {
        Checks.notNull("filter", filter);
        AgentQuery query = new AgentQuery(filter.ownerId(), filter.tenantId(), filter.status(), filter.type(),
                filter.afterId(), filter.limit(), context.now());
        return context.store().read(session -> session.agents().list(query));
    }

    @Override
    public Agent update(String agentId, UpdateAgentRequest request) {
        checkId(agentId);
        BeanValidation.check("request", request);
        if (request.metadata() != null) {
            JsonCodec.mapToJson(request.metadata());
        }
        Instant now = context.now();
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw new InvalidInputException("expiresAt", request.expiresAt(), "must be in the future (now is " + now + ")");
        }
        return context.store().write(session -> {
            Agent current = load(session, agentId);
            if (current.status() == AgentStatus.REVOKED) {
                throw new InvalidStateException(agentId, "revoked", "a revoked agent cannot be updated");
            }
            Agent updated = new Agent(current.id(), current.ownerId(), current.tenantId(),
                    request.name() != null ? request.name() : current.name(), current.type(), current.status(),
                    request.permissions() != null ? request.permissions() : current.permissions(),
                    request.expiresAt() != null ? request.expiresAt() : current.expiresAt(),
                    request.metadata() != null ? request.metadata() : current.metadata(),
                    current.tokenPrefix(), current.createdAt(), now, current.lastActiveAt());
            session.agents().update(updated);
            context.auditor().event(session, now, updated, "agent.updated", agentId, AuditResult.SUCCESS,
                    "AGENT_UPDATED", "agent updated: " + changes(request));
            if (request.permissions() != null) {
                delegations.revokeUncovered(session, updated, now);
            }
            return updated;
        });
    }

    @Override
    public Agent revoke(String agentId) {
        checkId(agentId);
        Instant now = context.now();
        return context.store().write(session -> {
            Agent current = load(session, agentId);
            if (current.status() == AgentStatus.REVOKED) {
                return current;
            }
            return revokeInSession(session, current, now, "agent revoked");
        });
    }

    /** Revokes the agent and its delegations both ways inside the caller's transaction, audited. */
    Agent revokeInSession(StoreSession session, Agent agent, Instant now, String reason) {
        Agent revoked = withStatus(agent, AgentStatus.REVOKED, now);
        session.agents().update(revoked);
        context.auditor().event(session, now, revoked, "agent.revoked", agent.id(), AuditResult.SUCCESS,
                "AGENT_REVOKED", reason);
        delegations.revokeAllOf(session, agent.id(), now, "agent " + agent.id() + " was revoked");
        return revoked;
    }

    @Override
    public AgentCredentials rotateToken(String agentId) {
        checkId(agentId);
        Instant now = context.now();
        String token = Tokens.newToken();
        Agent agent = context.store().write(session -> {
            Agent current = load(session, agentId);
            AgentStatus status = current.statusAt(now);
            if (status != AgentStatus.ACTIVE) {
                throw new InvalidStateException(agentId, status.name().toLowerCase(Locale.ROOT),
                        "only an active agent's token can be rotated");
            }
            session.agents().updateToken(agentId, Tokens.hash(token), Tokens.shownPrefix(token), now);
            context.auditor().event(session, now, current, "agent.token_rotated", agentId, AuditResult.SUCCESS,
                    "TOKEN_ROTATED", "token rotated; the previous token no longer works");
            return load(session, agentId);
        });
        return new AgentCredentials(agent, token);
    }

    static Agent load(StoreSession session, String agentId) {
        return session.agents().find(agentId).orElseThrow(() -> new NotFoundException("agent", agentId));
    }

    static Agent withStatus(Agent a, AgentStatus status, Instant now) {
        return new Agent(a.id(), a.ownerId(), a.tenantId(), a.name(), a.type(), status, a.permissions(), a.expiresAt(),
                a.metadata(), a.tokenPrefix(), a.createdAt(), now, a.lastActiveAt());
    }

    static void checkId(String agentId) {
        Checks.id("agentId", agentId, Ids.AGENT);
    }

    private static String changes(UpdateAgentRequest r) {
        StringBuilder out = new StringBuilder();
        if (r.name() != null) {
            out.append("name; ");
        }
        if (r.permissions() != null) {
            out.append(r.permissions().size()).append(" permissions; ");
        }
        if (r.expiresAt() != null) {
            out.append("expiresAt ").append(r.expiresAt()).append("; ");
        }
        if (r.metadata() != null) {
            out.append("metadata; ");
        }
        return out.length() == 0 ? "nothing" : out.substring(0, out.length() - 2);
    }
}
