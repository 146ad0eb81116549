-- Same as SQLite's 003.
ALTER TABLE rooms ADD COLUMN is_direct INTEGER;
