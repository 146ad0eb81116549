-- Claims between instances, judged by each instance's lease instead of one lease per row: the
-- active instance renews ONE row (its own, here) while it sends, not every outbox row it holds;
-- the renewal never waits on the outbox's row locks, and costs the same at 10 million lines.
-- A row (pings, replies) is held by `claimed_by` while `claimed_until` is not NULL and that
-- instance's lease here has not run out; NULL says the claim was given up (a failed send: any
-- instance may retry it, and checks the room first when it is not the one that held it).
CREATE TABLE claimants (
    name     TEXT PRIMARY KEY,
    until_ms BIGINT NOT NULL
);

-- The outbox's backlog (rows due and not yet sent: /readyz, metrics) read through an index of
-- its own: every line has a pending ping, so without it that question read them all.
CREATE INDEX pings_due_pending ON pings (due) WHERE status = 'pending';

-- Wake-ups (LISTEN renewal_bot_wake), installed once here instead of at every start (a start
-- then takes no table lock, and so never queues the active instance's statements behind it).
-- New rows: one NOTIFY per statement with the earliest new due instant.
CREATE OR REPLACE FUNCTION renewal_bot_wake() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE earliest BIGINT;
BEGIN
    SELECT MIN(not_before) INTO earliest FROM changed WHERE status = 'pending';
    IF earliest IS NOT NULL THEN
        PERFORM pg_notify('renewal_bot_wake', earliest::text);
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS pings_wake_ins ON pings;
CREATE TRIGGER pings_wake_ins AFTER INSERT ON pings REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION renewal_bot_wake();
DROP TRIGGER IF EXISTS replies_wake_ins ON replies;
CREATE TRIGGER replies_wake_ins AFTER INSERT ON replies REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION renewal_bot_wake();

-- Changed rows: only a pending row whose due instant moved (a retry, a digest delay, "retry now")
-- wakes anyone. A claim, which sets only claimed_by/claimed_until, fires nothing: before, every
-- claim of 500 rows materialised them for a statement trigger and woke every instance, the
-- claiming one included.
DROP TRIGGER IF EXISTS pings_wake_upd ON pings;
CREATE OR REPLACE FUNCTION renewal_bot_wake_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('renewal_bot_wake', NEW.not_before::text);
    RETURN NULL;
END $$;
CREATE TRIGGER pings_wake_moved AFTER UPDATE OF not_before, status ON pings FOR EACH ROW
    WHEN (NEW.status = 'pending' AND (OLD.not_before IS DISTINCT FROM NEW.not_before
                                      OR OLD.status IS DISTINCT FROM NEW.status))
    EXECUTE FUNCTION renewal_bot_wake_row();
