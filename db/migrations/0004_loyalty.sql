-- 0004_loyalty: the automatic loyalty (issue 6; GR-04, GR-05, GR-06,
-- LR-01…LR-09, PU-04): the rules, visits with a status, the values set by
-- hand with their meaning, and the outbox of messages.

-- LR-01…LR-05: one row per rule. kind: discount, class, category_add,
-- category_remove; measure: sold, paid, visits (kopecks or a count),
-- absent_days, came, missed (category rules only); threshold is "from"
-- (days for absent_days, 0 for came / missed); discount_bp for discount
-- rules; target_id the class or category. position keeps the editor's
-- order (the result never depends on it: LR-06 resolves by value).
CREATE TABLE loyalty_rules (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('discount', 'class', 'category_add', 'category_remove')),
    measure     TEXT NOT NULL CHECK (measure IN ('sold', 'paid', 'visits', 'absent_days', 'came', 'missed')),
    threshold   INTEGER NOT NULL CHECK (threshold >= 0),
    discount_bp INTEGER NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    target_id   TEXT,
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    node_id     TEXT NOT NULL,
    deleted_at  TEXT,
    CHECK ((kind = 'discount') = (target_id IS NULL)),
    CHECK (kind LIKE 'category%' OR measure IN ('sold', 'paid', 'visits'))
);

-- PU-04: appointments with their outcome. A visit with status 'came' counts
-- in the client's totals like a sale (visits, sold, paid, first and last
-- visit); 'missed' counts only for the category rules by status.
CREATE TABLE visits (
    id         TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES clients (id),
    at         TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('came', 'missed')),
    sold       INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0),
    paid       INTEGER NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= sold),
    note       TEXT NOT NULL DEFAULT '',
    author     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    node_id    TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX visits_client ON visits (client_id, at);

-- The last appointment's status (the category rules by status read it), and
-- the values set by hand (GR-04): a lock 'fixed' keeps the value from the
-- rules until changed by hand, 'floor' lets the rules raise it only.
ALTER TABLE clients ADD COLUMN last_visit_status TEXT CHECK (last_visit_status IN ('came', 'missed'));
ALTER TABLE clients ADD COLUMN discount_lock TEXT NOT NULL DEFAULT '' CHECK (discount_lock IN ('', 'fixed', 'floor'));
ALTER TABLE clients ADD COLUMN discount_lock_bp INTEGER NOT NULL DEFAULT 0 CHECK (discount_lock_bp BETWEEN 0 AND 10000);
ALTER TABLE clients ADD COLUMN class_lock TEXT NOT NULL DEFAULT '' CHECK (class_lock IN ('', 'fixed', 'floor'));
ALTER TABLE clients ADD COLUMN class_lock_id TEXT REFERENCES client_classes (id);

-- The lapse warnings find the clients with a discount by their last visit
-- through clients_last_visit (a week of last visits, then their rows): an
-- index over the discount would be rewritten for every discount the rules
-- change, and made a recalculation of a million clients 15 s slower. The
-- classes' and statuses' clients are counted for their editors.
CREATE INDEX clients_class ON clients (class_id) WHERE class_id IS NOT NULL;
CREATE INDEX clients_status ON clients (status_id) WHERE status_id IS NOT NULL;

-- LR-08 (MS-01 extends it): every message is a row; its id derives from
-- what caused it, so a re-run of a job cannot queue it twice.
CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES clients (id),
    channel    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    recipient  TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'skipped', 'cancelled')),
    reason     TEXT NOT NULL DEFAULT '',
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    node_id    TEXT NOT NULL
);
CREATE INDEX outbox_created ON outbox (created_at);
CREATE INDEX outbox_status ON outbox (status, created_at);
CREATE INDEX outbox_client ON outbox (client_id, created_at);
