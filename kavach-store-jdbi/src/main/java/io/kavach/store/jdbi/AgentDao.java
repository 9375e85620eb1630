package io.kavach.store.jdbi;

import io.kavach.model.Agent;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The fixed statements on {@code agents}. */
@RegisterRowMapper(AgentMapper.class)
public interface AgentDao {

    @SqlUpdate("INSERT INTO agents (id, owner_id, tenant_id, name, type, status, permissions, expires_at,"
            + " metadata, token_hash, token_prefix, created_at, updated_at, last_active_at)"
            + " VALUES (:a.id, :a.ownerId, :a.tenantId, :a.name, :a.type, :a.status, :permissions, :a.expiresAt,"
            + " :metadata, :tokenHash, :a.tokenPrefix, :a.createdAt, :a.updatedAt, :a.lastActiveAt)")
    public void insert(@BindMethods("a") Agent agent, @Bind("permissions") String permissionsJson,
            @Bind("metadata") String metadataJson, @Bind("tokenHash") String tokenHash);

    @SqlQuery("SELECT " + AgentMapper.COLUMNS + " FROM agents WHERE id = :id")
    public Optional<Agent> find(@Bind("id") String id);

    @SqlQuery("SELECT " + AgentMapper.COLUMNS + " FROM agents WHERE token_hash = :tokenHash")
    public Optional<Agent> findByTokenHash(@Bind("tokenHash") String tokenHash);

    @SqlQuery("SELECT COUNT(*) FROM agents WHERE owner_id = :ownerId AND status = 'ACTIVE'"
            + " AND (expires_at IS NULL OR expires_at > :now)")
    public int countActive(@Bind("ownerId") String ownerId, @Bind("now") Instant now);

    @SqlUpdate("UPDATE agents SET name = :a.name, status = :a.status, permissions = :permissions,"
            + " expires_at = :a.expiresAt, metadata = :metadata, updated_at = :a.updatedAt,"
            + " last_active_at = :a.lastActiveAt WHERE id = :a.id")
    public boolean update(@BindMethods("a") Agent agent, @Bind("permissions") String permissionsJson,
            @Bind("metadata") String metadataJson);

    @SqlUpdate("UPDATE agents SET token_hash = :tokenHash, token_prefix = :tokenPrefix, updated_at = :updatedAt"
            + " WHERE id = :id")
    public boolean updateToken(@Bind("id") String id, @Bind("tokenHash") String tokenHash,
            @Bind("tokenPrefix") String tokenPrefix, @Bind("updatedAt") Instant updatedAt);
}
