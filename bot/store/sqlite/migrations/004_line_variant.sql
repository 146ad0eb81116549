-- The plan or brand variant of a line's provider (catalog `variants`: Hotlink `starter`, CelcomDigi
-- `celcom` / `digi`). NULL: not known; the line then sees only facts true for every variant.
ALTER TABLE lines ADD COLUMN variant TEXT;
