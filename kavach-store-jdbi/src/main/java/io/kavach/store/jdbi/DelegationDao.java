package io.kavach.store.jdbi;

import io.kavach.model.DelegationChain;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The fixed statements on {@code delegations} and {@code delegation_parents}. */
@RegisterRowMapper(DelegationMapper.class)
interface DelegationDao {

    @SqlUpdate("INSERT INTO delegations (id, from_agent_id, to_agent_id, permissions, depth, max_depth, status,"
            + " expires_at, created_at, revoked_at) VALUES (:c.id, :c.fromAgentId, :c.toAgentId, :permissions,"
            + " :c.depth, :c.maxDepth, :c.status, :c.expiresAt, :c.createdAt, :c.revokedAt)")
    void insert(@BindMethods("c") DelegationChain chain, @Bind("permissions") String permissionsJson);

    @SqlUpdate("INSERT INTO delegation_parents (chain_id, parent_chain_id, position)"
            + " VALUES (:chainId, :parentChainId, :position)")
    void insertParent(@Bind("chainId") String chainId, @Bind("parentChainId") String parentChainId,
            @Bind("position") int position);

    @SqlQuery("SELECT " + DelegationMapper.COLUMNS + " FROM delegations d WHERE d.id = :id")
    Optional<DelegationChain> find(@Bind("id") String id);

    @SqlQuery("SELECT " + DelegationMapper.COLUMNS + " FROM delegations d WHERE d.to_agent_id = :agentId"
            + " AND d.status = 'ACTIVE' AND d.expires_at > :now ORDER BY d.id")
    List<DelegationChain> findActiveTo(@Bind("agentId") String agentId, @Bind("now") Instant now);

    @SqlQuery("SELECT " + DelegationMapper.COLUMNS + " FROM delegations d WHERE d.from_agent_id = :agentId"
            + " AND d.status = 'ACTIVE' AND d.expires_at > :now ORDER BY d.id")
    List<DelegationChain> findActiveFrom(@Bind("agentId") String agentId, @Bind("now") Instant now);

    @SqlQuery("SELECT chain_id FROM delegation_parents WHERE parent_chain_id = :chainId ORDER BY chain_id")
    List<String> findChildIds(@Bind("chainId") String chainId);

    @SqlUpdate("UPDATE delegations SET status = 'REVOKED', revoked_at = :at"
            + " WHERE status <> 'REVOKED' AND id IN (<ids>)")
    int revoke(@BindList("ids") Collection<String> ids, @Bind("at") Instant at);
}
