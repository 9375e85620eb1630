-- Requests for approval of calls held back by requireApproval.
CREATE TABLE approvals (
    id           TEXT    NOT NULL PRIMARY KEY,
    agent_id     TEXT    NOT NULL REFERENCES agents (id),
    action       TEXT    NOT NULL,
    resource     TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'DENIED', 'CONSUMED')),
    requested_at INTEGER NOT NULL,
    decided_at   INTEGER,
    decided_by   TEXT,
    expires_at   INTEGER,
    consumed_at  INTEGER
) STRICT;

-- findUsable and findPending.
CREATE INDEX approvals_agent_action_resource_status ON approvals (agent_id, action, resource, status);
-- Listing by status, with or without the agent, oldest first.
CREATE INDEX approvals_status_requested ON approvals (status, requested_at, id);
CREATE INDEX approvals_agent_status_requested ON approvals (agent_id, status, requested_at, id);
