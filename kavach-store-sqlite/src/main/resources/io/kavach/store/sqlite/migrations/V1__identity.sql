-- Agents and the hashes of their tokens.
-- Times are epoch milliseconds; enums are stored by name; JSON columns use io.kavach.spi.codec.JsonCodec.
-- EXPIRED is derived from expires_at when reading, never stored.
CREATE TABLE agents (
    id             TEXT    NOT NULL PRIMARY KEY,
    owner_id       TEXT    NOT NULL,
    tenant_id      TEXT,
    name           TEXT    NOT NULL,
    type           TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('ACTIVE', 'REVOKED')),
    permissions    TEXT    NOT NULL,
    expires_at     INTEGER,
    metadata       TEXT    NOT NULL,
    token_hash     TEXT    NOT NULL,
    token_prefix   TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    last_active_at INTEGER
) STRICT;

-- Listing and counting an owner's agents by status.
CREATE INDEX agents_owner_status ON agents (owner_id, status);
-- Listing a tenant's agents.
CREATE INDEX agents_tenant ON agents (tenant_id);
-- authorizeByToken; also keeps two agents from sharing a token.
CREATE UNIQUE INDEX agents_token_hash ON agents (token_hash);
