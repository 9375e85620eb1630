package io.kavach.store.jdbi;

import io.kavach.error.InvalidInputException;
import io.kavach.model.DelegationChain;
import io.kavach.model.DelegationStatus;
import io.kavach.spi.DelegationQuery;
import io.kavach.spi.DelegationStore;
import io.kavach.spi.codec.JsonCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** {@link DelegationStore} on {@code delegations} and {@code delegation_parents} of one transaction. */
final class JdbiDelegationStore implements DelegationStore {
    private static final DelegationMapper MAPPER = new DelegationMapper();
    /** Ids per revoking statement, well under the drivers' limits on bound parameters. */
    private static final int REVOKE_BATCH = 500;

    private final Handle handle;
    private DelegationDao dao;

    JdbiDelegationStore(Handle handle) {
        this.handle = handle;
    }

    /** Attached on first use: attaching costs more than most statements, and many units need no DAO. */
    private DelegationDao dao() {
        if (dao == null) {
            dao = handle.attach(DelegationDao.class);
        }
        return dao;
    }

    @Override
    public void insert(DelegationChain chain) {
        if (chain.status() == DelegationStatus.EXPIRED) {
            throw new InvalidInputException("status", chain.status(),
                    "is derived from expiresAt and never stored; store ACTIVE or REVOKED");
        }
        dao().insert(chain, JsonCodec.permissionsToJson(chain.permissions()));
        List<String> parents = chain.parentChainIds();
        for (int i = 0; i < parents.size(); i++) {
            dao().insertParent(chain.id(), parents.get(i), i);
        }
    }

    @Override
    public Optional<DelegationChain> find(String chainId) {
        return dao().find(chainId);
    }

    @Override
    public List<DelegationChain> list(DelegationQuery query) {
        Where where = new Where()
                .equal("d.from_agent_id", "fromAgentId", query.fromAgentId())
                .equal("d.to_agent_id", "toAgentId", query.toAgentId());
        if (query.status() != null) {
            // EXPIRED is stored ACTIVE past its expiry; expires_at is never null for a chain.
            switch (query.status()) {
                case ACTIVE -> where.condition("d.status = 'ACTIVE' AND d.expires_at > :asOf");
                case EXPIRED -> where.condition("d.status = 'ACTIVE' AND d.expires_at <= :asOf");
                case REVOKED -> where.condition("d.status = 'REVOKED'");
            }
            if (query.status() != DelegationStatus.REVOKED) {
                where.bind("asOf", Columns.millis(query.asOf()));
            }
        }
        if (query.afterId() != null) {
            where.condition("d.id > :afterId").bind("afterId", query.afterId());
        }
        return where.select(handle, DelegationMapper.COLUMNS + " FROM delegations d", "ORDER BY d.id LIMIT :limit")
                .bind("limit", query.limit())
                .map(MAPPER)
                .list();
    }

    @Override
    public List<DelegationChain> findActiveTo(String agentId, Instant now) {
        return dao().findActiveTo(agentId, now);
    }

    @Override
    public List<DelegationChain> findActiveFrom(String agentId, Instant now) {
        return dao().findActiveFrom(agentId, now);
    }

    @Override
    public List<String> findChildIds(String chainId) {
        return dao().findChildIds(chainId);
    }

    @Override
    public int revoke(Collection<String> chainIds, Instant at) {
        // Batched, for the drivers' caps on bound parameters. A chain already revoked, by an earlier batch
        // or before, is skipped by the statement itself and so neither changed nor counted.
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(chainIds));
        int changed = 0;
        for (int from = 0; from < ids.size(); from += REVOKE_BATCH) {
            changed += dao().revoke(ids.subList(from, Math.min(ids.size(), from + REVOKE_BATCH)), at);
        }
        return changed;
    }
}
