-- PostgreSQL dialect of SQLite's 002: PostgreSQL alters tables in place, no rebuild.
ALTER TABLE pings ADD COLUMN snooze INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pings DROP CONSTRAINT pings_identity;
ALTER TABLE pings ADD CONSTRAINT pings_identity UNIQUE (line_id, expiry, "offset", snooze);
CREATE INDEX pings_event ON pings (event_id) WHERE event_id IS NOT NULL;

ALTER TABLE rooms ADD COLUMN left_at BIGINT;
ALTER TABLE rooms ADD COLUMN scamguard INTEGER NOT NULL DEFAULT 1;

CREATE INDEX lines_mention ON lines (mention) WHERE mention IS NOT NULL;
