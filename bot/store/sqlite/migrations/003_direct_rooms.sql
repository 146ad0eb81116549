-- Whether a room is a DM, as the inviter said (is_direct on the invite): a two-person group room
-- is still a group room. NULL: unknown (rooms joined before this was recorded).
ALTER TABLE rooms ADD COLUMN is_direct INTEGER;
