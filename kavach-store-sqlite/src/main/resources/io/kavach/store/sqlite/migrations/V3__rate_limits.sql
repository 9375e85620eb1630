-- One row per allowed call of a rate-limited permission, kept for the trailing window only.
CREATE TABLE rate_events (
    agent_id       TEXT    NOT NULL,
    permission_key TEXT    NOT NULL,
    at             INTEGER NOT NULL
) STRICT;

-- Counting a window and forgetting what fell out of it.
CREATE INDEX rate_events_agent_key_at ON rate_events (agent_id, permission_key, at);
