-- Delegation chains and the links to the chains they derive from.
CREATE TABLE delegations (
    id            TEXT    NOT NULL PRIMARY KEY,
    from_agent_id TEXT    NOT NULL REFERENCES agents (id),
    to_agent_id   TEXT    NOT NULL REFERENCES agents (id),
    permissions   TEXT    NOT NULL,
    depth         INTEGER NOT NULL,
    max_depth     INTEGER NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('ACTIVE', 'REVOKED')),
    expires_at    INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    revoked_at    INTEGER
) STRICT;

-- Grants delegated to an agent (authorize), and chains from an agent (revocation).
CREATE INDEX delegations_to_status ON delegations (to_agent_id, status);
CREATE INDEX delegations_from_status ON delegations (from_agent_id, status);

-- position keeps the order of DelegationChain.parentChainIds.
CREATE TABLE delegation_parents (
    chain_id        TEXT    NOT NULL REFERENCES delegations (id),
    parent_chain_id TEXT    NOT NULL REFERENCES delegations (id),
    position        INTEGER NOT NULL,
    PRIMARY KEY (chain_id, parent_chain_id)
) STRICT, WITHOUT ROWID;

-- The chains derived from a chain (cascading revocation).
CREATE INDEX delegation_parents_parent ON delegation_parents (parent_chain_id);
