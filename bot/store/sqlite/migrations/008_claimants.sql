-- The outbox's backlog (rows due and not yet sent: /readyz, metrics) read through an index of
-- its own: every line has a pending ping, so without it that question read them all.
-- (PostgreSQL's 008 of the same name also adds the instances' claim leases and its wake-up
-- triggers; SQLite has one process, so no claims between instances.)
CREATE INDEX pings_due_pending ON pings (due) WHERE status = 'pending';
