package io.kavach.store.jdbi;

import io.kavach.spi.RateLimitStore;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/** {@link RateLimitStore} on the {@code rate_events} table of one transaction. */
public final class JdbiRateLimitStore implements RateLimitStore {
    private final Handle handle;
    private RateLimitDao dao;

    public JdbiRateLimitStore(Handle handle) {
        this.handle = handle;
    }

    /** Attached on first use: attaching costs more than most statements, and many units need no DAO. */
    private RateLimitDao dao() {
        if (dao == null) {
            dao = handle.attach(RateLimitDao.class);
        }
        return dao;
    }

    @Override
    public RateWindow window(String agentId, String permissionKey, Instant since) {
        return dao().window(agentId, permissionKey, since);
    }

    @Override
    public void record(String agentId, String permissionKey, Instant at, Instant forgetUntil) {
        // Forget first, so that the call recorded now is kept whatever forgetUntil says.
        dao().forget(agentId, permissionKey, forgetUntil);
        dao().insert(agentId, permissionKey, at);
    }
}
