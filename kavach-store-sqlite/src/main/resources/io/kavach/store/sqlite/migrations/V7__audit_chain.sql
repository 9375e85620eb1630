-- The audit log as one hash chain. The table is rebuilt with a chain sequence: seq is the rowid,
-- assigned by SQLite on append and, with AUTOINCREMENT, never reused, even after a cleanup deleted
-- every entry, so it strictly increases in append order. Each entry keeps the hash of the one
-- before it (or of the cleanup checkpoint, or 64 zeros for the first entry ever) and its own hash;
-- the hashes are computed by the caller (kavach-audit), the store only keeps them. Entries written
-- before this version have no chain: they are copied in their append (rowid) order with empty hashes.
CREATE TABLE audit_log_chained (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
    id                  TEXT    NOT NULL,
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
    arguments           TEXT    NOT NULL,
    previous_hash       TEXT    NOT NULL,
    hash                TEXT    NOT NULL
) STRICT;

INSERT INTO audit_log_chained (id, ts, agent_id, user_id, tenant_id, action, resource, result, code, reason,
        tokens_cost, duration_micros, delegation_chain_id, policy_ids, ip, user_agent, arguments, previous_hash, hash)
    SELECT id, ts, agent_id, user_id, tenant_id, action, resource, result, code, reason, tokens_cost,
           duration_micros, delegation_chain_id, policy_ids, ip, user_agent, arguments, '', ''
    FROM audit_log
    ORDER BY rowid;

DROP TABLE audit_log;
ALTER TABLE audit_log_chained RENAME TO audit_log;

-- Entries are found by id, which is unique.
CREATE UNIQUE INDEX audit_log_id ON audit_log (id);

-- Newest first (and, read backwards, oldest first for exports), overall and per agent, user,
-- tenant and action, with the id as the tie-break. Chain order is the table itself (seq).
CREATE INDEX audit_log_ts ON audit_log (ts DESC, id DESC);
CREATE INDEX audit_log_agent_ts ON audit_log (agent_id, ts DESC, id DESC);
CREATE INDEX audit_log_user_ts ON audit_log (user_id, ts DESC, id DESC);
CREATE INDEX audit_log_tenant_ts ON audit_log (tenant_id, ts, id);
CREATE INDEX audit_log_action_ts ON audit_log (action, ts, id);

-- What retention cleanups left behind (one row at most): the hash of the last entry deleted, which
-- the first remaining entry names as its previous hash; the last cleanup's cutoff (epoch
-- milliseconds); and how many entries cleanups have deleted in all.
CREATE TABLE audit_checkpoint (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    hash          TEXT    NOT NULL,
    deleted_until INTEGER NOT NULL,
    deleted       INTEGER NOT NULL CHECK (deleted >= 0)
) STRICT;
