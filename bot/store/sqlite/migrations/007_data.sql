-- Issue 13: offers waiting for a yes, private calendar feeds, the daily digest.
-- Portable SQL (the PostgreSQL adapter keeps the same tables).

-- An offer made to one sender in one owner's conversation, stored until confirmed (`yes`, ✅) or
-- expired: a carrier notice to add or update, an import preview, a forget. reply_txn is the
-- transaction ID of the bot's reply that made the offer; reply_event its event once sent (a ✅ on it
-- confirms).
CREATE TABLE pending (
    id          INTEGER PRIMARY KEY,
    owner_id    TEXT NOT NULL,
    sender      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    reply_txn   TEXT,
    reply_event TEXT,
    expires_at  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX pending_owner ON pending (owner_id, sender);
CREATE INDEX pending_reply_txn ON pending (reply_txn);
CREATE INDEX pending_reply_event ON pending (reply_event);

-- A private calendar feed per owner: only a SHA-256 of the secret token is kept.
CREATE TABLE calendar_tokens (
    owner_id   TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

-- `digest daily`: at most one ping a day (digest_on: the owner's local date of the last one).
ALTER TABLE owners ADD COLUMN digest INTEGER NOT NULL DEFAULT 0;
ALTER TABLE owners ADD COLUMN digest_on TEXT;
