package io.kavach.store.jdbi;

import io.kavach.spi.RateLimitStore;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/** {@link RateLimitStore} on the {@code rate_events} table of one transaction. */
public final class JdbiRateLimitStore implements RateLimitStore {
    private final RateLimitDao dao;

    public JdbiRateLimitStore(Handle handle) {
        this.dao = handle.attach(RateLimitDao.class);
    }

    @Override
    public RateWindow window(String agentId, String permissionKey, Instant since) {
        return dao.window(agentId, permissionKey, since);
    }

    @Override
    public void record(String agentId, String permissionKey, Instant at, Instant forgetUntil) {
        // Forget first, so that the call recorded now is kept whatever forgetUntil says.
        dao.forget(agentId, permissionKey, forgetUntil);
        dao.insert(agentId, permissionKey, at);
    }
}
