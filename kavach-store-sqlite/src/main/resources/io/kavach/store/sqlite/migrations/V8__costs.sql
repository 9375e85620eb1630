-- Cost attribution: the recorded cost events, their rollups per agent, tool, day and currency, and
-- the alert state. Amounts are exact integer microdollars (of the currency's unit) and token counts
-- integers: the tables are STRICT, so no REAL ever enters a sum. An event's agent_id has no foreign
-- key to agents: costs, like the audit log, outlive what they name.
CREATE TABLE cost_events (
    id                  TEXT    NOT NULL PRIMARY KEY,
    ts                  INTEGER NOT NULL,
    day                 TEXT    NOT NULL,
    agent_id            TEXT    NOT NULL,
    owner_id            TEXT    NOT NULL,
    tenant_id           TEXT,
    tool                TEXT    NOT NULL,
    input_tokens        INTEGER NOT NULL,
    output_tokens       INTEGER NOT NULL,
    cost_micros         INTEGER NOT NULL CHECK (cost_micros >= 0),
    currency            TEXT    NOT NULL,
    metadata            TEXT    NOT NULL,
    delegation_chain_id TEXT
) STRICT;

-- A period's events per agent, per owner and per delegation chain (summarize, and the rolling
-- window of spendSince); per currency over a period (topAgents); and by age (cleanup).
CREATE INDEX cost_events_agent ON cost_events (agent_id, currency, ts);
CREATE INDEX cost_events_owner ON cost_events (owner_id, currency, ts);
CREATE INDEX cost_events_chain ON cost_events (delegation_chain_id, ts);
CREATE INDEX cost_events_currency ON cost_events (currency, ts);
CREATE INDEX cost_events_ts ON cost_events (ts);

-- The sums of the events per agent, tool, day and currency, added to on every insert and taken
-- from on cleanup (a row whose calls reach zero is deleted): whole days are read without the
-- events. owner_id is the agent's owner, for the owner's reports.
CREATE TABLE cost_rollups (
    agent_id      TEXT    NOT NULL,
    owner_id      TEXT    NOT NULL,
    tool          TEXT    NOT NULL,
    day           TEXT    NOT NULL,
    currency      TEXT    NOT NULL,
    cost_micros   INTEGER NOT NULL,
    calls         INTEGER NOT NULL,
    input_tokens  INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    PRIMARY KEY (agent_id, tool, day, currency)
) STRICT, WITHOUT ROWID;

CREATE INDEX cost_rollups_owner ON cost_rollups (owner_id, currency, day);

-- When each type of alert (warn, critical, budget_exceeded) last fired for an agent.
CREATE TABLE cost_alerts (
    agent_id      TEXT    NOT NULL,
    type          TEXT    NOT NULL,
    last_fired_at INTEGER NOT NULL,
    PRIMARY KEY (agent_id, type)
) STRICT, WITHOUT ROWID;
