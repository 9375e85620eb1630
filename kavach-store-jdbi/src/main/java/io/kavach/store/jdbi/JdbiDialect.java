package io.kavach.store.jdbi;

import io.kavach.spi.AuditStore;
import io.kavach.spi.CostStore;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * What a SQL store module adds to the shared {@link JdbiSession}: its dialect-specific stores, the
 * SqlObject interfaces they use, the SQL fragments the shared statements leave to it, and the
 * translation of its driver's failures into {@link io.kavach.error.KavachException}s. Immutable;
 * the functions must be stateless.
 *
 * @param translate given the operation and the failure met while running it, the exception to throw
 * @param daos      the SqlObject interfaces of the dialect's stores, for {@link JdbiSession#prepare}
 * @param defines   Jdbi defines that complete the shared statements, such as
 *                  {@link DelegationMapper#PARENT_IDS} and {@link BudgetPolicyMapper#POOL_AGENT_IDS}
 */
public record JdbiDialect(Function<Handle, AuditStore> audit, Function<Handle, CostStore> costs,
                          TranslateFailure translate, List<Class<?>> daos,
                          Map<String, String> defines) {

    /** Turns a failure met while running an operation into the exception callers see. */
    @FunctionalInterface
    public interface TranslateFailure {
        RuntimeException apply(String operation, RuntimeException failure);
    }

    public JdbiDialect {
        daos = List.copyOf(daos);
        defines = Map.copyOf(defines);
    }
}
