package io.kavach.store.jdbi;

import io.kavach.spi.AuditStore;
import io.kavach.spi.CostStore;
import io.kavach.spi.DelegationStore;
import io.kavach.spi.PolicyStore;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What a SQL store module adds to the shared {@link JdbiSession}: its dialect-specific stores, and
 * the translation of its driver's failures into {@link io.kavach.error.KavachException}s.
 * Implementations are stateless and thread-safe.
 */
public interface JdbiDialect {
    DelegationStore delegations(Handle handle);

    AuditStore audit(Handle handle);

    PolicyStore policies(Handle handle);

    CostStore costs(Handle handle);

    /** The SqlObject interfaces of the dialect's stores, for {@link JdbiSession#prepare}. */
    List<Class<?>> daos();

    /** The exception to throw for {@code failure}, met while running {@code operation}. */
    RuntimeException translate(String operation, RuntimeException failure);
}
