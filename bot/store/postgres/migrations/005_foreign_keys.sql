-- PostgreSQL dialect of SQLite's 005: the same foreign keys (a line's pings and renewals go with
-- it), added in place; rows of lines deleted before go first, as SQLite's rebuild drops them.
DELETE FROM pings WHERE line_id NOT IN (SELECT id FROM lines);
DELETE FROM renewals WHERE line_id NOT IN (SELECT id FROM lines);
ALTER TABLE pings ADD CONSTRAINT pings_line_fk FOREIGN KEY (line_id) REFERENCES lines (id) ON DELETE CASCADE;
ALTER TABLE renewals ADD CONSTRAINT renewals_line_fk FOREIGN KEY (line_id) REFERENCES lines (id) ON DELETE CASCADE;
