-- Snoozed pings: a ping can be asked for again (a 💤 reaction), as a new row whose identity
-- adds the snooze count, so its transaction ID differs from the original's.
CREATE TABLE pings_new (
    id         INTEGER PRIMARY KEY,
    line_id    INTEGER NOT NULL,
    expiry     TEXT NOT NULL,
    "offset"   INTEGER NOT NULL,
    snooze     INTEGER NOT NULL DEFAULT 0,
    due        INTEGER NOT NULL,
    not_before INTEGER NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending',
    attempts   INTEGER NOT NULL DEFAULT 0,
    event_id   TEXT,
    sent_at    INTEGER,
    UNIQUE (line_id, expiry, "offset", snooze)
);
INSERT INTO pings_new (id, line_id, expiry, "offset", due, not_before, status, attempts, event_id, sent_at)
    SELECT id, line_id, expiry, "offset", due, not_before, status, attempts, event_id, sent_at FROM pings;
DROP TABLE pings;
ALTER TABLE pings_new RENAME TO pings;
CREATE INDEX pings_pending ON pings (not_before) WHERE status = 'pending';
CREATE INDEX pings_line ON pings (line_id);
CREATE INDEX pings_event ON pings (event_id) WHERE event_id IS NOT NULL;

-- Group rooms: the bot left (kicked, or the last human left) at this time; data is kept for a
-- while, then deleted. Scam guard on or off per room.
ALTER TABLE rooms ADD COLUMN left_at INTEGER;
ALTER TABLE rooms ADD COLUMN scamguard INTEGER NOT NULL DEFAULT 1;

-- "list all" in a DM: the rooms' lines that mention the user.
CREATE INDEX lines_mention ON lines (mention) WHERE mention IS NOT NULL;
