package io.kavach.store.jdbi;

import io.kavach.spi.AuditStore;
import io.kavach.spi.CostStore;
import io.kavach.spi.DelegationStore;
import io.kavach.spi.PolicyStore;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * What a SQL store module adds to the shared {@link JdbiSession}: its dialect-specific stores, the
 * SqlObject interfaces they use, and the translation of its driver's failures into
 * {@link io.kavach.error.KavachException}s. Immutable; the functions must be stateless.
 *
 * @param translate given the operation and the failure met while running it, the exception to throw
 * @param daos      the SqlObject interfaces of the dialect's stores, for {@link JdbiSession#prepare}
 */
public record JdbiDialect(Function<Handle, DelegationStore> delegations, Function<Handle, AuditStore> audit,
                          Function<Handle, PolicyStore> policies, Function<Handle, CostStore> costs,
                          TranslateFailure translate, List<Class<?>> daos) {

    /** Turns a failure met while running an operation into the exception callers see. */
    @FunctionalInterface
    public interface TranslateFailure {
        RuntimeException apply(String operation, RuntimeException failure);
    }

    public JdbiDialect {
        daos = List.copyOf(daos);
    }
}
