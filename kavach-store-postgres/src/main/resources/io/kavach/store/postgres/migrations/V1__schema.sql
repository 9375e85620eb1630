-- The whole Kavach schema as of SQLite schema version 8, in PostgreSQL's dialect.
-- Times are BIGINT epoch milliseconds (exactly what Kavach's Instants hold, and compared as
-- numbers); enums are stored by name; JSON columns hold io.kavach.spi.codec.JsonCodec text.
-- Every text column collates as "C": byte order, the order Java's String.compareTo gives for the
-- ids Kavach generates, whatever the database's default locale is.
CREATE TABLE agents (
    id             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    owner_id       TEXT COLLATE "C" NOT NULL,
    tenant_id      TEXT COLLATE "C",
    name           TEXT COLLATE "C" NOT NULL,
    type           TEXT COLLATE "C" NOT NULL,
    status         TEXT COLLATE "C" NOT NULL CHECK (status IN ('ACTIVE', 'REVOKED')),
    permissions    TEXT NOT NULL,
    expires_at     BIGINT,
    metadata       TEXT NOT NULL,
    token_hash     TEXT COLLATE "C" NOT NULL,
    token_prefix   TEXT COLLATE "C" NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    last_active_at BIGINT
);
CREATE INDEX agents_owner_status ON agents (owner_id, status);
CREATE INDEX agents_tenant ON agents (tenant_id);
CREATE UNIQUE INDEX agents_token_hash ON agents (token_hash);

CREATE TABLE delegations (
    id            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    from_agent_id TEXT COLLATE "C" NOT NULL REFERENCES agents (id),
    to_agent_id   TEXT COLLATE "C" NOT NULL REFERENCES agents (id),
    permissions   TEXT NOT NULL,
    depth         INTEGER NOT NULL,
    max_depth     INTEGER NOT NULL,
    status        TEXT COLLATE "C" NOT NULL CHECK (status IN ('ACTIVE', 'REVOKED')),
    expires_at    BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    revoked_at    BIGINT
);
CREATE INDEX delegations_to_status ON delegations (to_agent_id, status);
CREATE INDEX delegations_from_status ON delegations (from_agent_id, status);

CREATE TABLE delegation_parents (
    chain_id        TEXT COLLATE "C" NOT NULL REFERENCES delegations (id),
    parent_chain_id TEXT COLLATE "C" NOT NULL REFERENCES delegations (id),
    position        INTEGER NOT NULL,
    PRIMARY KEY (chain_id, parent_chain_id)
);
CREATE INDEX delegation_parents_parent ON delegation_parents (parent_chain_id);

CREATE TABLE rate_events (
    agent_id       TEXT COLLATE "C" NOT NULL,
    permission_key TEXT COLLATE "C" NOT NULL,
    at             BIGINT NOT NULL
);
CREATE INDEX rate_events_agent_key_at ON rate_events (agent_id, permission_key, at);

CREATE TABLE approvals (
    id           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    agent_id     TEXT COLLATE "C" NOT NULL REFERENCES agents (id),
    action       TEXT COLLATE "C" NOT NULL,
    resource     TEXT COLLATE "C" NOT NULL,
    status       TEXT COLLATE "C" NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'DENIED', 'CONSUMED')),
    requested_at BIGINT NOT NULL,
    decided_at   BIGINT,
    decided_by   TEXT COLLATE "C",
    expires_at   BIGINT,
    consumed_at  BIGINT
);
CREATE INDEX approvals_agent_action_resource_status ON approvals (agent_id, action, resource, status);
CREATE INDEX approvals_status_requested ON approvals (status, requested_at, id);
CREATE INDEX approvals_agent_status_requested ON approvals (agent_id, status, requested_at, id);

-- The audit log as one hash chain. seq is assigned on append and never reused; appends are
-- serialized by the store's write lock, so seq order is commit order.
CREATE TABLE audit_log (
    seq                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                  TEXT COLLATE "C" NOT NULL,
    ts                  BIGINT NOT NULL,
    agent_id            TEXT COLLATE "C",
    user_id             TEXT COLLATE "C",
    tenant_id           TEXT COLLATE "C",
    action              TEXT COLLATE "C",
    resource            TEXT COLLATE "C",
    result              TEXT COLLATE "C" NOT NULL,
    code                TEXT COLLATE "C",
    reason              TEXT,
    tokens_cost         BIGINT,
    duration_micros     BIGINT NOT NULL,
    delegation_chain_id TEXT COLLATE "C",
    policy_ids          TEXT NOT NULL,
    ip                  TEXT,
    user_agent          TEXT,
    arguments           TEXT NOT NULL,
    previous_hash       TEXT COLLATE "C" NOT NULL,
    hash                TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX audit_log_id ON audit_log (id);
CREATE INDEX audit_log_ts ON audit_log (ts DESC, id DESC);
CREATE INDEX audit_log_agent_ts ON audit_log (agent_id, ts DESC, id DESC);
CREATE INDEX audit_log_user_ts ON audit_log (user_id, ts DESC, id DESC);
CREATE INDEX audit_log_tenant_ts ON audit_log (tenant_id, ts, id);
CREATE INDEX audit_log_action_ts ON audit_log (action, ts, id);

CREATE TABLE audit_checkpoint (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    hash          TEXT COLLATE "C" NOT NULL,
    deleted_until BIGINT NOT NULL,
    deleted       BIGINT NOT NULL CHECK (deleted >= 0)
);

CREATE TABLE budget_policies (
    id                        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    agent_id                  TEXT COLLATE "C",
    user_id                   TEXT COLLATE "C",
    tenant_id                 TEXT COLLATE "C",
    pool_name                 TEXT COLLATE "C",
    max_tokens_cost_per_day   BIGINT CHECK (max_tokens_cost_per_day >= 0),
    max_tokens_cost_per_month BIGINT CHECK (max_tokens_cost_per_month >= 0),
    max_calls_per_day         BIGINT CHECK (max_calls_per_day >= 0),
    max_calls_per_month       BIGINT CHECK (max_calls_per_month >= 0),
    max_cost_per_day          BIGINT CHECK (max_cost_per_day >= 0),
    max_cost_per_month        BIGINT CHECK (max_cost_per_month >= 0),
    action                    TEXT COLLATE "C" NOT NULL CHECK (action IN ('WARN', 'THROTTLE', 'BLOCK', 'REVOKE')),
    status                    TEXT COLLATE "C" NOT NULL CHECK (status IN ('ACTIVE', 'TRIGGERED', 'DISABLED')),
    triggered_until           BIGINT,
    created_at                BIGINT NOT NULL,
    updated_at                BIGINT NOT NULL,
    CHECK (pool_name IS NULL OR (agent_id IS NULL AND user_id IS NULL AND tenant_id IS NULL))
);
CREATE INDEX budget_policies_scope ON budget_policies (agent_id, user_id, tenant_id, pool_name);
CREATE INDEX budget_policies_user ON budget_policies (user_id, tenant_id);
CREATE INDEX budget_policies_tenant ON budget_policies (tenant_id);

CREATE TABLE budget_pool_members (
    policy_id TEXT COLLATE "C" NOT NULL REFERENCES budget_policies (id) ON DELETE CASCADE,
    agent_id  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (policy_id, agent_id)
);
CREATE INDEX budget_pool_members_agent ON budget_pool_members (agent_id);

-- The primary key also serves closeEarlierPeriods (a LIKE 'D:%' prefix of periods per policy:
-- with the "C" collation, a prefix LIKE is an index range).
CREATE TABLE budget_counters (
    policy_id   TEXT COLLATE "C" NOT NULL REFERENCES budget_policies (id) ON DELETE CASCADE,
    period      TEXT COLLATE "C" NOT NULL,
    tokens_cost BIGINT NOT NULL,
    calls       BIGINT NOT NULL,
    cost_micros BIGINT NOT NULL,
    PRIMARY KEY (policy_id, period)
);

CREATE TABLE budget_reservations (
    id           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    agent_id     TEXT COLLATE "C" NOT NULL,
    policy_ids   TEXT NOT NULL,
    day_period   TEXT COLLATE "C" NOT NULL,
    month_period TEXT COLLATE "C" NOT NULL,
    tokens_cost  BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    settled_at   BIGINT
);

CREATE TABLE cost_events (
    id                  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    ts                  BIGINT NOT NULL,
    day                 TEXT COLLATE "C" NOT NULL,
    agent_id            TEXT COLLATE "C" NOT NULL,
    owner_id            TEXT COLLATE "C" NOT NULL,
    tenant_id           TEXT COLLATE "C",
    tool                TEXT COLLATE "C" NOT NULL,
    input_tokens        BIGINT NOT NULL,
    output_tokens       BIGINT NOT NULL,
    cost_micros         BIGINT NOT NULL CHECK (cost_micros >= 0),
    currency            TEXT COLLATE "C" NOT NULL,
    metadata            TEXT NOT NULL,
    delegation_chain_id TEXT COLLATE "C"
);
CREATE INDEX cost_events_agent ON cost_events (agent_id, currency, ts);
CREATE INDEX cost_events_owner ON cost_events (owner_id, currency, ts);
CREATE INDEX cost_events_chain ON cost_events (delegation_chain_id, ts);
CREATE INDEX cost_events_currency ON cost_events (currency, ts);
CREATE INDEX cost_events_ts ON cost_events (ts);

CREATE TABLE cost_rollups (
    agent_id      TEXT COLLATE "C" NOT NULL,
    owner_id      TEXT COLLATE "C" NOT NULL,
    tool          TEXT COLLATE "C" NOT NULL,
    day           TEXT COLLATE "C" NOT NULL,
    currency      TEXT COLLATE "C" NOT NULL,
    cost_micros   BIGINT NOT NULL,
    calls         BIGINT NOT NULL,
    input_tokens  BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    PRIMARY KEY (agent_id, tool, day, currency)
);
CREATE INDEX cost_rollups_owner ON cost_rollups (owner_id, currency, day);

CREATE TABLE cost_alerts (
    agent_id      TEXT COLLATE "C" NOT NULL,
    type          TEXT COLLATE "C" NOT NULL,
    last_fired_at BIGINT NOT NULL,
    PRIMARY KEY (agent_id, type)
);
