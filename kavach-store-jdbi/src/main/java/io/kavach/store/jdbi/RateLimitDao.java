package io.kavach.store.jdbi;

import io.kavach.spi.RateLimitStore.RateWindow;
import java.time.Instant;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The statements on {@code rate_events}; each is one range of the (agent, key, at) index. */
@RegisterRowMapper(RateWindowMapper.class)
public interface RateLimitDao {

    @SqlQuery("SELECT COUNT(*) AS count, MIN(at) AS earliest FROM rate_events"
            + " WHERE agent_id = :agentId AND permission_key = :key AND at > :since")
    public RateWindow window(@Bind("agentId") String agentId, @Bind("key") String permissionKey,
            @Bind("since") Instant since);

    @SqlUpdate("INSERT INTO rate_events (agent_id, permission_key, at) VALUES (:agentId, :key, :at)")
    public void insert(@Bind("agentId") String agentId, @Bind("key") String permissionKey, @Bind("at") Instant at);

    @SqlUpdate("DELETE FROM rate_events WHERE agent_id = :agentId AND permission_key = :key AND at <= :until")
    public int forget(@Bind("agentId") String agentId, @Bind("key") String permissionKey, @Bind("until") Instant until);
}
