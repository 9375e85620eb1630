-- The append-only audit log. Early denials may name no agent, or one that does not exist, so
-- agent_id has no foreign key; action and resource may be missing from an invalid request.
CREATE TABLE audit_log (
    id                  TEXT    NOT NULL PRIMARY KEY,
    ts                  INTEGER NOT NULL,
    agent_id            TEXT,
    user_id             TEXT,
    tenant_id           TEXT,
    action              TEXT,
    resource            TEXT,
    result              TEXT    NOT NULL,
    code                TEXT,
    reason              TEXT,
    tokens_cost         INTEGER,
    duration_micros     INTEGER NOT NULL,
    delegation_chain_id TEXT,
    policy_ids          TEXT    NOT NULL,
    ip                  TEXT,
    user_agent          TEXT,
    arguments           TEXT    NOT NULL
) STRICT;

-- Newest first, per agent and overall, with the id as the tie-break.
CREATE INDEX audit_log_agent_ts ON audit_log (agent_id, ts DESC, id DESC);
CREATE INDEX audit_log_ts ON audit_log (ts DESC, id DESC);
