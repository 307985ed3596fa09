-- The gateway's own tables (DESIGN.md §4). The SQLite store keeps a twin of these tables with the same names and
-- columns; change both together.

CREATE TABLE tenants
(
    id         text        NOT NULL PRIMARY KEY,
    name       text        NOT NULL,
    settings   jsonb       NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz NULL
);

-- Keys are stored as hashes only. previous_key_hash keeps a rotated key valid until previous_valid_until.
CREATE TABLE api_keys
(
    id                   text        NOT NULL PRIMARY KEY,
    tenant_id            text        NOT NULL REFERENCES tenants (id),
    name                 text        NOT NULL,
    prefix               text        NOT NULL,
    key_hash             bytea       NOT NULL UNIQUE,
    created_at           timestamptz NOT NULL,
    expires_at           timestamptz NULL,
    revoked_at           timestamptz NULL,
    previous_key_hash    bytea       NULL,
    previous_valid_until timestamptz NULL
);

CREATE INDEX api_keys_tenant_id ON api_keys (tenant_id);

CREATE TABLE accounts
(
    login      text        NOT NULL PRIMARY KEY,
    host       text        NOT NULL,
    oauth_app  text        NOT NULL,
    enabled    boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL
);

CREATE TABLE settings
(
    key        text        NOT NULL PRIMARY KEY,
    value      jsonb       NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Append-only; reports read it by tenant and time range.
CREATE TABLE usage_events
(
    id                          uuid        NOT NULL PRIMARY KEY,
    created_at                  timestamptz NOT NULL,
    trace_id                    text        NOT NULL,
    session_id                  text        NOT NULL,
    user_id                     text        NOT NULL,
    tenant_id                   text        NOT NULL,
    key_id                      text        NULL,
    account                     text        NOT NULL,
    source                      text        NOT NULL,
    endpoint                    text        NOT NULL,
    provider_name               text        NULL,
    model                       text        NOT NULL,
    status                      int         NOT NULL,
    initiator                   text        NULL,
    latency_ms                  int         NOT NULL,
    ttft_ms                     int         NULL,
    input_tokens                bigint      NOT NULL,
    output_tokens               bigint      NOT NULL,
    cache_read_input_tokens     bigint      NOT NULL,
    cache_creation_input_tokens bigint      NOT NULL,
    total_tokens                bigint      NOT NULL
);

CREATE INDEX usage_events_tenant_created ON usage_events (tenant_id, created_at);
