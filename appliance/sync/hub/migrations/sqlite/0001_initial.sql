-- The hub's first schema: identity, sites, enrollment tokens, replay nonces, events and cursors,
-- published curriculum, signed bundles and notices.
CREATE TABLE hub_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sites (
    site_id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    public_key TEXT NOT NULL UNIQUE,
    issuer_key TEXT,
    store_id TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT,
    revoked_reason TEXT,
    last_seen TEXT,
    clock_skew_s REAL
);
CREATE TABLE enroll_tokens (
    token_hash TEXT PRIMARY KEY,
    site_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    site_id TEXT
);
CREATE TABLE nonces (
    site_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (site_id, nonce)
);
CREATE INDEX nonces_seen_at ON nonces (seen_at);
CREATE TABLE cursors (
    site_id TEXT NOT NULL REFERENCES sites (site_id),
    epoch TEXT NOT NULL,
    acknowledged INTEGER NOT NULL DEFAULT 0,
    received INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (site_id, epoch)
);
CREATE TABLE events (
    site_id TEXT NOT NULL,
    epoch TEXT NOT NULL,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    subject TEXT,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    redacted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (site_id, epoch, seq)
);
CREATE INDEX events_type ON events (type, created_at);
CREATE INDEX events_subject ON events (site_id, subject);
CREATE TABLE modules (
    path TEXT NOT NULL,
    version TEXT NOT NULL,
    module_id TEXT,
    sha256 TEXT NOT NULL,
    body TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (path, version)
);
CREATE TABLE bundles (
    version INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE notices (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
