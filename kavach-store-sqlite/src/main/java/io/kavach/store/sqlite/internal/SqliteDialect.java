package io.kavach.store.sqlite.internal;

import io.kavach.spi.AuditStore;
import io.kavach.spi.CostStore;
import io.kavach.spi.DelegationStore;
import io.kavach.spi.PolicyStore;
import io.kavach.store.jdbi.JdbiDialect;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The SQLite stores and error translation of a {@link io.kavach.store.jdbi.JdbiSession}. */
enum SqliteDialect implements JdbiDialect {
    INSTANCE;

    @Override
    public DelegationStore delegations(Handle handle) {
        return new SqliteDelegationStore(handle);
    }

    @Override
    public AuditStore audit(Handle handle) {
        return new SqliteAuditStore(handle);
    }

    @Override
    public PolicyStore policies(Handle handle) {
        return new SqlitePolicyStore(handle);
    }

    @Override
    public CostStore costs(Handle handle) {
        return new SqliteCostStore(handle);
    }

    @Override
    public List<Class<?>> daos() {
        return List.of(AuditDao.class, CostDao.class, DelegationDao.class, PolicyDao.class);
    }

    @Override
    public RuntimeException translate(String operation, RuntimeException failure) {
        return SqliteErrors.translate(operation, failure);
    }
}
