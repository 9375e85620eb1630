package io.kavach.store.postgres.internal;

import io.kavach.spi.AuditStore;
import io.kavach.spi.CostStore;
import io.kavach.spi.DelegationStore;
import io.kavach.spi.PolicyStore;
import io.kavach.store.jdbi.JdbiDialect;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The PostgreSQL stores and error translation of a {@link io.kavach.store.jdbi.JdbiSession}. */
enum PostgresDialect implements JdbiDialect {
    INSTANCE;

    @Override
    public DelegationStore delegations(Handle handle) {
        return new PostgresDelegationStore(handle);
    }

    @Override
    public AuditStore audit(Handle handle) {
        return new PostgresAuditStore(handle);
    }

    @Override
    public PolicyStore policies(Handle handle) {
        return new PostgresPolicyStore(handle);
    }

    @Override
    public CostStore costs(Handle handle) {
        return new PostgresCostStore(handle);
    }

    @Override
    public List<Class<?>> daos() {
        return List.of(AuditDao.class, CostDao.class, DelegationDao.class, PolicyDao.class);
    }

    @Override
    public RuntimeException translate(String operation, RuntimeException failure) {
        return PgErrors.translate(operation, failure);
    }
}
