-- Budget policies, the agents of their shared pools, their per-period counters and the usage
-- reservations that settle corrects. A policy's agent_id and a pool's agent ids have no foreign key
-- to agents: a policy only names agents, it does not own them. Limits are NULL when not set.
CREATE TABLE budget_policies (
    id                        TEXT    NOT NULL PRIMARY KEY,
    agent_id                  TEXT,
    user_id                   TEXT,
    tenant_id                 TEXT,
    pool_name                 TEXT,
    max_tokens_cost_per_day   INTEGER CHECK (max_tokens_cost_per_day >= 0),
    max_tokens_cost_per_month INTEGER CHECK (max_tokens_cost_per_month >= 0),
    max_calls_per_day         INTEGER CHECK (max_calls_per_day >= 0),
    max_calls_per_month       INTEGER CHECK (max_calls_per_month >= 0),
    max_cost_per_day          INTEGER CHECK (max_cost_per_day >= 0),
    max_cost_per_month        INTEGER CHECK (max_cost_per_month >= 0),
    action                    TEXT    NOT NULL CHECK (action IN ('WARN', 'THROTTLE', 'BLOCK', 'REVOKE')),
    status                    TEXT    NOT NULL CHECK (status IN ('ACTIVE', 'TRIGGERED', 'DISABLED')),
    triggered_until           INTEGER,
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL,
    -- A pool policy names its agents; it matches no identity (as PolicyScope checks).
    CHECK (pool_name IS NULL OR (agent_id IS NULL AND user_id IS NULL AND tenant_id IS NULL))
) STRICT;

-- applicableTo's identity branches (agent; no agent and user; no agent or user and tenant; global)
-- each seek a prefix of the scope index, IS NULL included. list filters by user or tenant.
CREATE INDEX budget_policies_scope ON budget_policies (agent_id, user_id, tenant_id, pool_name);
CREATE INDEX budget_policies_user ON budget_policies (user_id, tenant_id);
CREATE INDEX budget_policies_tenant ON budget_policies (tenant_id);

CREATE TABLE budget_pool_members (
    policy_id TEXT NOT NULL REFERENCES budget_policies (id) ON DELETE CASCADE,
    agent_id  TEXT NOT NULL,
    PRIMARY KEY (policy_id, agent_id)
) STRICT, WITHOUT ROWID;

-- The pool policies that list an agent (applicableTo).
CREATE INDEX budget_pool_members_agent ON budget_pool_members (agent_id);

-- One row per policy and period key ('D:2026-03-10', 'M:2026-03'); no row counts as zero. The
-- primary key also serves closeEarlierPeriods (a range of periods per policy, GLOB 'D:*').
CREATE TABLE budget_counters (
    policy_id   TEXT    NOT NULL REFERENCES budget_policies (id) ON DELETE CASCADE,
    period      TEXT    NOT NULL,
    tokens_cost INTEGER NOT NULL,
    calls       INTEGER NOT NULL,
    cost_micros INTEGER NOT NULL,
    PRIMARY KEY (policy_id, period)
) STRICT, WITHOUT ROWID;

-- What an authorize with a token cost reserved, for settle. policy_ids is a JSON list of the
-- policies the usage was added to; like the audit log's, it has no foreign key, so a policy deleted
-- since does not lose the reservation.
CREATE TABLE budget_reservations (
    id           TEXT    NOT NULL PRIMARY KEY,
    agent_id     TEXT    NOT NULL,
    policy_ids   TEXT    NOT NULL,
    day_period   TEXT    NOT NULL,
    month_period TEXT    NOT NULL,
    tokens_cost  INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    settled_at   INTEGER
) STRICT;
