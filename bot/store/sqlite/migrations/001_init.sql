-- Owners: a user (their DM lines) or a room (its group lines).
CREATE TABLE owners (
    owner_id     TEXT PRIMARY KEY,
    room_id      TEXT,
    timezone     TEXT,
    ping_time    TEXT,
    lead_days    TEXT,
    language     TEXT,
    language_set INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);

-- AUTOINCREMENT: a line id is never reused, so a ping's transaction ID never collides with an
-- old line's.
CREATE TABLE lines (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id      TEXT NOT NULL,
    number        INTEGER NOT NULL,
    provider      TEXT NOT NULL,
    label         TEXT NOT NULL DEFAULT '',
    expiry        TEXT NOT NULL,
    lead_days     TEXT,
    reminders_off INTEGER NOT NULL DEFAULT 0,
    mention       TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (owner_id, number)
);
CREATE INDEX lines_owner_expiry ON lines (owner_id, expiry);

CREATE TABLE renewals (
    id         INTEGER PRIMARY KEY,
    line_id    INTEGER NOT NULL,
    old_expiry TEXT NOT NULL,
    new_expiry TEXT NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX renewals_line ON renewals (line_id, id);

-- The ping outbox. One pending row per line at most; sent and skipped rows stay as the record
-- that a (line, expiry, offset) was handled, so it is never sent twice.
CREATE TABLE pings (
    id         INTEGER PRIMARY KEY,
    line_id    INTEGER NOT NULL,
    expiry     TEXT NOT NULL,
    "offset"   INTEGER NOT NULL,
    due        INTEGER NOT NULL,
    not_before INTEGER NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending',
    attempts   INTEGER NOT NULL DEFAULT 0,
    event_id   TEXT,
    sent_at    INTEGER,
    UNIQUE (line_id, expiry, "offset")
);
CREATE INDEX pings_pending ON pings (not_before) WHERE status = 'pending';
CREATE INDEX pings_line ON pings (line_id);

-- Events the bot has acted on: never act twice.
CREATE TABLE handled_events (
    event_id TEXT PRIMARY KEY,
    room_id  TEXT NOT NULL,
    at       INTEGER NOT NULL
);

-- The reply outbox: written in the same transaction as the command's effects.
CREATE TABLE replies (
    id         INTEGER PRIMARY KEY,
    txn_id     TEXT NOT NULL UNIQUE,
    room_id    TEXT NOT NULL,
    msgtype    TEXT NOT NULL,
    content    TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending',
    attempts   INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX replies_pending ON replies (not_before) WHERE status = 'pending';

CREATE TABLE rooms (
    room_id   TEXT PRIMARY KEY,
    joined_at INTEGER NOT NULL,
    last_ts   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE kv (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
