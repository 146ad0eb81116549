-- The event ID a sent reply got: an edited command (m.replace) is answered by editing this event.
ALTER TABLE replies ADD COLUMN event_id TEXT;
