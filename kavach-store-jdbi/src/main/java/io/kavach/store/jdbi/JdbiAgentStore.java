package io.kavach.store.jdbi;

import io.kavach.error.InvalidInputException;
import io.kavach.model.Agent;
import io.kavach.model.AgentStatus;
import io.kavach.spi.AgentQuery;
import io.kavach.spi.AgentStore;
import io.kavach.spi.codec.JsonCodec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** {@link AgentStore} on the {@code agents} table of one transaction. */
public final class JdbiAgentStore implements AgentStore {
    private static final AgentMapper MAPPER = new AgentMapper();

    private final Handle handle;
    private AgentDao dao;

    public JdbiAgentStore(Handle handle) {
        this.handle = handle;
    }

    /** Attached on first use: attaching costs more than most statements, and many units need no DAO. */
    private AgentDao dao() {
        if (dao == null) {
            dao = handle.attach(AgentDao.class);
        }
        return dao;
    }

    @Override
    public void insert(Agent agent, String tokenHash) {
        requireStorable(agent);
        dao().insert(agent, JsonCodec.permissionsToJson(agent.permissions()), JsonCodec.mapToJson(agent.metadata()),
                tokenHash);
    }

    @Override
    public Optional<Agent> find(String agentId) {
        return handle.createQuery("SELECT " + AgentMapper.COLUMNS + " FROM agents WHERE id = :id").bind("id", agentId)
                .map(MAPPER).findOne();
    }

    @Override
    public Optional<Agent> findByTokenHash(String tokenHash) {
        return dao().findByTokenHash(tokenHash);
    }

    @Override
    public List<Agent> list(AgentQuery query) {
        Where where = new Where()
                .equal("owner_id", "ownerId", query.ownerId())
                .equal("tenant_id", "tenantId", query.tenantId())
                .equal("type", "type", query.type() == null ? null : query.type().name());
        if (query.status() != null) {
            statusAt(where, query.status(), query.asOf());
        }
        if (query.afterId() != null) {
            where.condition("id > :afterId").bind("afterId", query.afterId());
        }
        return where.select(handle, AgentMapper.COLUMNS + " FROM agents", "ORDER BY id LIMIT :limit")
                .bind("limit", query.limit())
                .map(MAPPER)
                .list();
    }

    /** The stored columns behind a status at {@code asOf}: EXPIRED is stored ACTIVE past its expiry. */
    private static void statusAt(Where where, AgentStatus status, Instant asOf) {
        switch (status) {
            case ACTIVE -> where.condition("status = 'ACTIVE' AND (expires_at IS NULL OR expires_at > :asOf)");
            case EXPIRED -> where.condition("status = 'ACTIVE' AND expires_at <= :asOf");
            case REVOKED -> where.condition("status = 'REVOKED'");
        }
        if (status != AgentStatus.REVOKED) {
            where.bind("asOf", Columns.millis(asOf));
        }
    }

    @Override
    public int countActive(String ownerId, Instant now) {
        return dao().countActive(ownerId, now);
    }

    @Override
    public boolean update(Agent agent) {
        requireStorable(agent);
        return dao().update(agent, JsonCodec.permissionsToJson(agent.permissions()),
                JsonCodec.mapToJson(agent.metadata()));
    }

    @Override
    public boolean updateToken(String agentId, String tokenHash, String tokenPrefix, Instant updatedAt) {
        return dao().updateToken(agentId, tokenHash, tokenPrefix, updatedAt);
    }

    @Override
    public void touch(String agentId, Instant lastActiveAt) {
        touchAll(Map.of(agentId, lastActiveAt));
    }

    @Override
    public void touchAll(Map<String, Instant> lastActiveAt) {
        JdbcBatches.touchAll(handle, lastActiveAt);
    }

    private static void requireStorable(Agent agent) {
        if (agent.status() == AgentStatus.EXPIRED) {
            throw new InvalidInputException("status", agent.status(),
                    "is derived from expiresAt and never stored; store ACTIVE or REVOKED");
        }
    }
}
