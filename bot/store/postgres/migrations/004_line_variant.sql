-- Same as SQLite's 004.
ALTER TABLE lines ADD COLUMN variant TEXT;
