-- Standalone storage (DESIGN.md §1, §4): Orleans grain state and the gateway's own tables in one SQLite file.
--
-- Conventions, kept identical across every SQLite migration:
-- * Table and column names match the Postgres twin (migrations/postgres) exactly, so both stores pass one contract.
-- * Timestamps are INTEGER milliseconds since the Unix epoch, UTC (DateTimeOffset.ToUnixTimeMilliseconds): compact,
--   compared and range-scanned as plain integers (usage_events by tenant and time), and free of text-format drift.
-- * Booleans are INTEGER 0/1; JSON documents are TEXT checked with json_valid (Postgres uses jsonb).
-- * Foreign keys are declared as in Postgres; SQLite enforces them on connections opened with "Foreign Keys=True"
--   (SqliteDatabase.CreateConnectionString does).

-- Orleans grain state for SqliteGrainStorage. The etag is random per write (never a counter), so a row that is
-- deleted on clear and written again can never reproduce an etag a stale activation still holds.
CREATE TABLE grain_state (
    grain_type TEXT    NOT NULL,
    grain_id   TEXT    NOT NULL,
    state_name TEXT    NOT NULL,
    etag       TEXT    NOT NULL,
    payload    BLOB    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (grain_type, grain_id, state_name)
);

CREATE TABLE tenants (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    settings   TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);

CREATE TABLE api_keys (
    id                   TEXT    NOT NULL PRIMARY KEY,
    tenant_id            TEXT    NOT NULL REFERENCES tenants (id),
    name                 TEXT    NOT NULL,
    prefix               TEXT    NOT NULL,
    key_hash             BLOB    NOT NULL UNIQUE,
    created_at           INTEGER NOT NULL,
    expires_at           INTEGER,
    revoked_at           INTEGER,
    previous_key_hash    BLOB,
    previous_valid_until INTEGER
);

CREATE INDEX ix_api_keys_tenant_id ON api_keys (tenant_id);

CREATE TABLE accounts (
    login      TEXT    NOT NULL PRIMARY KEY,
    host       TEXT    NOT NULL,
    oauth_app  TEXT    NOT NULL,
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at INTEGER NOT NULL
);

CREATE TABLE settings (
    key        TEXT    NOT NULL PRIMARY KEY,
    value      TEXT    NOT NULL CHECK (json_valid(value)),
    updated_at INTEGER NOT NULL
);

-- Append-only usage records (SPEC §15): one row per upstream request.
CREATE TABLE usage_events (
    id                          TEXT    NOT NULL PRIMARY KEY,
    created_at                  INTEGER NOT NULL,
    trace_id                    TEXT    NOT NULL,
    session_id                  TEXT    NOT NULL,
    user_id                     TEXT    NOT NULL,
    tenant_id                   TEXT    NOT NULL,
    key_id                      TEXT,
    account                     TEXT    NOT NULL,
    source                      TEXT    NOT NULL,
    endpoint                    TEXT    NOT NULL,
    provider_name               TEXT,
    model                       TEXT    NOT NULL,
    status                      INTEGER NOT NULL,
    initiator                   TEXT,
    latency_ms                  INTEGER NOT NULL,
    ttft_ms                     INTEGER,
    input_tokens                INTEGER NOT NULL,
    output_tokens               INTEGER NOT NULL,
    cache_read_input_tokens     INTEGER NOT NULL,
    cache_creation_input_tokens INTEGER NOT NULL,
    total_tokens                INTEGER NOT NULL
);

CREATE INDEX ix_usage_events_tenant_id_created_at ON usage_events (tenant_id, created_at);
