-- Same as SQLite's 006.
ALTER TABLE replies ADD COLUMN event_id TEXT;
