-- Foreign keys, declared: a line's pings and renewals are deleted with it (ON DELETE CASCADE),
-- instead of by hand in every delete. SQLite cannot add a constraint to a table, so both tables
-- are rebuilt. Rows of lines deleted before this migration are left behind: their line ids are
-- never reused (AUTOINCREMENT), so they guarded nothing.
CREATE TABLE pings_new (
    id         INTEGER PRIMARY KEY,
    line_id    INTEGER NOT NULL REFERENCES lines (id) ON DELETE CASCADE,
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
INSERT INTO pings_new (id, line_id, expiry, "offset", snooze, due, not_before, status, attempts, event_id, sent_at)
    SELECT id, line_id, expiry, "offset", snooze, due, not_before, status, attempts, event_id, sent_at FROM pings
    WHERE line_id IN (SELECT id FROM lines);
DROP TABLE pings;
ALTER TABLE pings_new RENAME TO pings;
CREATE INDEX pings_pending ON pings (not_before) WHERE status = 'pending';
CREATE INDEX pings_line ON pings (line_id);
CREATE INDEX pings_event ON pings (event_id) WHERE event_id IS NOT NULL;

CREATE TABLE renewals_new (
    id         INTEGER PRIMARY KEY,
    line_id    INTEGER NOT NULL REFERENCES lines (id) ON DELETE CASCADE,
    old_expiry TEXT NOT NULL,
    new_expiry TEXT NOT NULL,
    at         INTEGER NOT NULL
);
INSERT INTO renewals_new (id, line_id, old_expiry, new_expiry, at)
    SELECT id, line_id, old_expiry, new_expiry, at FROM renewals WHERE line_id IN (SELECT id FROM lines);
DROP TABLE renewals;
ALTER TABLE renewals_new RENAME TO renewals;
CREATE INDEX renewals_line ON renewals (line_id, id);
