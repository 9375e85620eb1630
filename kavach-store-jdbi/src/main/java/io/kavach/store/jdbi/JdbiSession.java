package io.kavach.store.jdbi;

import io.kavach.spi.AgentStore;
import io.kavach.spi.ApprovalStore;
import io.kavach.spi.AuditStore;
import io.kavach.spi.CostStore;
import io.kavach.spi.DelegationStore;
import io.kavach.spi.PolicyStore;
import io.kavach.spi.RateLimitStore;
import io.kavach.spi.StoreSession;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.extension.ExtensionFactory;
import org.jdbi.v3.core.extension.Extensions;
import org.jdbi.v3.sqlobject.SqlObjectFactory;

/**
 * The stores of one unit of work, bound to its Jdbi handle (and so to its transaction). Each store
 * is wrapped so that every call checks the session is still live and reports database failures as
 * {@link io.kavach.error.StoreException}s: the unit of work never sees a Jdbi or JDBC type.
 */
public final class JdbiSession implements StoreSession {
    private final Handle handle;
    private final JdbiDialect dialect;
    private final long writeSequence;
    private volatile boolean live = true;
    private AgentStore agents;
    private DelegationStore delegations;
    private RateLimitStore rateLimits;
    private ApprovalStore approvals;
    private AuditStore audit;
    private PolicyStore policies;
    private CostStore costs;

    private JdbiSession(Handle handle, JdbiDialect dialect, long writeSequence) {
        this.handle = handle;
        this.dialect = dialect;
        this.writeSequence = writeSequence;
    }

    /**
     * {@code work} as the body of a transaction on a handle: run with a session of {@code dialect},
     * which it must not use once it has returned. A write unit is first counted in the
     * {@code kavach_write_sequence} table of both schemas (see {@link StoreSession#writeSequence()}).
     */
    public static <T> Function<Handle, T> unit(JdbiDialect dialect, Function<StoreSession, T> work, boolean write) {
        return handle -> {
            JdbiSession session = new JdbiSession(handle, dialect, write ? JdbcBatches.nextWriteSequence(handle) : 0);
            try {
                return work.apply(session);
            } finally {
                session.end();
            }
        };
    }

    /**
     * Readies {@code jdbi} for sessions of {@code dialect}: sets the dialect's defines, and works out
     * the SqlObject metadata of
     * every DAO once, on the Jdbi itself. Jdbi caches that metadata in the configuration, and each
     * handle works on a copy of it, so metadata first computed for a handle is lost with the handle
     * and recomputed on every attach, which costs more than the statements of most units.
     */
    public static void prepare(Jdbi jdbi, JdbiDialect dialect) {
        dialect.defines().forEach(jdbi::define);
        Extensions extensions = jdbi.getConfig(Extensions.class);
        ExtensionFactory sqlObjects = extensions.findFactory(SqlObjectFactory.class)
                .orElseThrow(() -> new IllegalStateException("the SqlObjectPlugin is not installed"));
        List<Class<?>> daos = new ArrayList<>(List.of(AgentDao.class, ApprovalDao.class, DelegationDao.class, PolicyDao.class,
                RateLimitDao.class));
        daos.addAll(dialect.daos());
        for (Class<?> dao : daos) {
            extensions.findMetadata(dao, sqlObjects);
        }
    }

    /** Ends the session: its stores refuse further calls, whose transaction is gone. */
    private void end() {
        live = false;
    }

    @Override
    public long writeSequence() {
        return writeSequence;
    }

    @Override
    public AgentStore agents() {
        if (agents == null) {
            agents = guard(AgentStore.class, "agents", new JdbiAgentStore(handle));
        }
        return agents;
    }

    @Override
    public DelegationStore delegations() {
        if (delegations == null) {
            delegations = guard(DelegationStore.class, "delegations", new JdbiDelegationStore(handle));
        }
        return delegations;
    }

    @Override
    public RateLimitStore rateLimits() {
        if (rateLimits == null) {
            rateLimits = guard(RateLimitStore.class, "rateLimits", new JdbiRateLimitStore(handle));
        }
        return rateLimits;
    }

    @Override
    public ApprovalStore approvals() {
        if (approvals == null) {
            approvals = guard(ApprovalStore.class, "approvals", new JdbiApprovalStore(handle));
        }
        return approvals;
    }

    @Override
    public AuditStore audit() {
        if (audit == null) {
            audit = guard(AuditStore.class, "audit", dialect.audit().apply(handle));
        }
        return audit;
    }

    @Override
    public PolicyStore policies() {
        if (policies == null) {
            policies = guard(PolicyStore.class, "policies", new JdbiPolicyStore(handle));
        }
        return policies;
    }

    @Override
    public CostStore costs() {
        if (costs == null) {
            costs = guard(CostStore.class, "costs", dialect.costs().apply(handle));
        }
        return costs;
    }

    private <T> T guard(Class<T> type, String name, T target) {
        InvocationHandler handler = (proxy, method, args) -> invoke(name, target, method, args);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private Object invoke(String name, Object target, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return method.invoke(target, args);
        }
        if (!live) {
            throw new IllegalStateException("a StoreSession was used after its unit of work ended");
        }
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException runtime
                    ? dialect.translate().apply(name + "." + method.getName(), runtime)
                    : cause;
        }
    }
}
