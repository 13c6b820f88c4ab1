-- 0001_init: the base schema for clients (CL), groups (GR), bonus accounts (BN),
-- the catalogue and purchases (PU), the audit log (AD-02) and settings.
--
-- Data rules (DEVELOPERS.md): keys are UUIDv7 text made where the row is created;
-- money and points are INTEGER minor units (kopecks; 1 point = 100 units);
-- times are UTC text 'YYYY-MM-DDTHH:MM:SS.sssZ'; every row carries created_at,
-- updated_at and node_id (the installation that last wrote it); rows that others
-- point at are deleted softly (deleted_at); the ledger and the audit log are
-- append-only.

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    node_id    TEXT NOT NULL
);

-- GR-01: client groups; GR-02 moves clients between auto_move groups by spend.
CREATE TABLE client_groups (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    discount_bp  INTEGER NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000), -- basis points: 1000 = 10 %
    spend_from   INTEGER NOT NULL DEFAULT 0 CHECK (spend_from >= 0),
    spend_to     INTEGER CHECK (spend_to IS NULL OR spend_to >= spend_from),
    auto_move    INTEGER NOT NULL DEFAULT 0 CHECK (auto_move IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    node_id      TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE UNIQUE INDEX client_groups_name ON client_groups (name) WHERE deleted_at IS NULL;

-- GR-04: statuses (levels of the bonus program), set by hand.
CREATE TABLE client_statuses (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    node_id    TEXT NOT NULL,
    deleted_at TEXT
);

-- GR-05: importance classes with a priority (higher wins).
CREATE TABLE client_classes (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    priority   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    node_id    TEXT NOT NULL,
    deleted_at TEXT
);

-- GR-06: client categories; a client may be in several.
CREATE TABLE client_categories (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    node_id    TEXT NOT NULL,
    deleted_at TEXT
);

-- CL-01, CL-07, CL-08, CL-11, CL-19.
CREATE TABLE clients (
    id               TEXT PRIMARY KEY,
    first_name       TEXT NOT NULL DEFAULT '',
    last_name        TEXT NOT NULL DEFAULT '',
    patronymic       TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',   -- E.164
    email            TEXT NOT NULL DEFAULT '',   -- lower case
    gender           TEXT NOT NULL DEFAULT '' CHECK (gender IN ('', 'male', 'female')),
    birth_date       TEXT,                       -- YYYY-MM-DD
    external_id      TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    group_id         TEXT REFERENCES client_groups (id),
    status_id        TEXT REFERENCES client_statuses (id),
    class_id         TEXT REFERENCES client_classes (id),
    discount_bp      INTEGER NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    blocked          INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
    block_reason     TEXT NOT NULL DEFAULT '',
    favorite         INTEGER NOT NULL DEFAULT 0 CHECK (favorite IN (0, 1)),
    sms_subscribed   INTEGER NOT NULL DEFAULT 0 CHECK (sms_subscribed IN (0, 1)),
    email_subscribed INTEGER NOT NULL DEFAULT 0 CHECK (email_subscribed IN (0, 1)),
    referrer_id      TEXT REFERENCES clients (id),
    -- search keys, derived from the fields above by the store on every write
    name_key         TEXT NOT NULL DEFAULT '',   -- "last first patronymic", folded
    fname_key        TEXT NOT NULL DEFAULT '',   -- "first last", folded
    phone_rev        TEXT NOT NULL DEFAULT '',   -- phone digits reversed (suffix search)
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    node_id          TEXT NOT NULL,
    deleted_at       TEXT
);
CREATE INDEX clients_name ON clients (name_key, id) WHERE deleted_at IS NULL;
CREATE INDEX clients_fname ON clients (fname_key) WHERE deleted_at IS NULL;
CREATE INDEX clients_phone ON clients (phone) WHERE deleted_at IS NULL AND phone <> '';
CREATE INDEX clients_phone_rev ON clients (phone_rev) WHERE deleted_at IS NULL AND phone_rev <> '';
CREATE INDEX clients_email ON clients (email) WHERE deleted_at IS NULL AND email <> '';
CREATE UNIQUE INDEX clients_external_id ON clients (external_id) WHERE deleted_at IS NULL AND external_id <> '';
CREATE INDEX clients_group ON clients (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX clients_referrer ON clients (referrer_id) WHERE referrer_id IS NOT NULL;

-- CL-03: identification methods; a live value identifies at most one client.
CREATE TABLE client_identifiers (
    id         TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES clients (id),
    media      TEXT NOT NULL CHECK (media IN ('guest_app', 'card', 'phone')),
    input      TEXT NOT NULL CHECK (input IN ('qr', 'barcode', 'magstripe', 'rfid', 'phone')),
    value      TEXT NOT NULL CHECK (value <> ''),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    node_id    TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX client_identifiers_value ON client_identifiers (value) WHERE deleted_at IS NULL;
CREATE INDEX client_identifiers_client ON client_identifiers (client_id);

-- CL-02: further phones, e-mails and social profile links.
CREATE TABLE client_contacts (
    id         TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES clients (id),
    kind       TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'social')),
    value      TEXT NOT NULL,
    label      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    node_id    TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX client_contacts_client ON client_contacts (client_id);

-- CL-09: tags.
CREATE TABLE tags (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    node_id    TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX tags_name ON tags (name) WHERE deleted_at IS NULL;

CREATE TABLE client_tags (
    client_id  TEXT NOT NULL REFERENCES clients (id),
    tag_id     TEXT NOT NULL REFERENCES tags (id),
    created_at TEXT NOT NULL,
    node_id    TEXT NOT NULL,
    PRIMARY KEY (client_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX client_tags_tag ON client_tags (tag_id, client_id);

-- CL-10: custom variables (name -> value).
CREATE TABLE client_variables (
    id         TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES clients (id),
    name       TEXT NOT NULL,
    value      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    node_id    TEXT NOT NULL,
    deleted_at TEXT
);
CREATE UNIQUE INDEX client_variables_name ON client_variables (client_id, name) WHERE deleted_at IS NULL;

CREATE TABLE client_category_members (
    client_id   TEXT NOT NULL REFERENCES clients (id),
    category_id TEXT NOT NULL REFERENCES client_categories (id),
    created_at  TEXT NOT NULL,
    node_id     TEXT NOT NULL,
    PRIMARY KEY (client_id, category_id)
) WITHOUT ROWID;

-- BN-01: bonus account types; one default ("Bonuses") exists from the start.
CREATE TABLE account_types (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    is_default  INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    expiry_days INTEGER CHECK (expiry_days IS NULL OR expiry_days > 0), -- BN-08
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    node_id     TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE UNIQUE INDEX account_types_default ON account_types (is_default) WHERE is_default = 1;
INSERT INTO account_types (id, name, is_default, created_at, updated_at, node_id)
VALUES ('00000000-0000-7000-8000-000000000001', 'Bonuses', 1,
        '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '00000000-0000-0000-0000-000000000000');

-- CL-04: one account per client and type, made on first accrual or by hand.
CREATE TABLE accounts (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES clients (id),
    account_type_id TEXT NOT NULL REFERENCES account_types (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    node_id         TEXT NOT NULL,
    UNIQUE (client_id, account_type_id)
);

-- PU-01: catalogue.
CREATE TABLE product_categories (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    parent_id  TEXT REFERENCES product_categories (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    node_id    TEXT NOT NULL,
    deleted_at TEXT
);

CREATE TABLE products (
    id          TEXT PRIMARY KEY,
    category_id TEXT REFERENCES product_categories (id),
    name        TEXT NOT NULL,
    sku         TEXT NOT NULL DEFAULT '',
    price       INTEGER NOT NULL CHECK (price >= 0), -- kopecks
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    node_id     TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX products_category ON products (category_id);

-- PU-02, PU-05, LR-09: purchases; "sold" is the bill, "paid" the money received.
CREATE TABLE purchases (
    id            TEXT PRIMARY KEY,
    number        TEXT NOT NULL,                 -- unique per venue (idempotency key)
    client_id     TEXT REFERENCES clients (id),
    kind          TEXT NOT NULL DEFAULT 'sale' CHECK (kind IN ('sale', 'refund')),
    refund_of     TEXT REFERENCES purchases (id),
    sold          INTEGER NOT NULL,
    discount      INTEGER NOT NULL DEFAULT 0,
    paid          INTEGER NOT NULL,
    bonus_spent   INTEGER NOT NULL DEFAULT 0,
    bonus_accrued INTEGER NOT NULL DEFAULT 0,
    occurred_at   TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    node_id       TEXT NOT NULL
);
CREATE UNIQUE INDEX purchases_number ON purchases (number);
CREATE INDEX purchases_client ON purchases (client_id, occurred_at);

CREATE TABLE purchase_lines (
    id          TEXT PRIMARY KEY,
    purchase_id TEXT NOT NULL REFERENCES purchases (id),
    position    INTEGER NOT NULL,
    product_id  TEXT REFERENCES products (id),
    category_id TEXT REFERENCES product_categories (id),
    name        TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity > 0), -- thousandths: 1000 = one piece
    price       INTEGER NOT NULL,
    amount      INTEGER NOT NULL,                      -- sold, after line discount
    created_at  TEXT NOT NULL,
    node_id     TEXT NOT NULL,
    UNIQUE (purchase_id, position)
);

-- BN-02: the ledger. Entries are immutable; a correction is a new entry.
CREATE TABLE ledger_entries (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    kind        TEXT NOT NULL CHECK (kind IN ('accrue', 'debit', 'hold', 'confirm', 'release', 'expire', 'correct')),
    amount      INTEGER NOT NULL,           -- signed minor units
    hold_id     TEXT REFERENCES ledger_entries (id), -- confirm / release: the hold they settle
    purchase_id TEXT REFERENCES purchases (id),
    author      TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    node_id     TEXT NOT NULL
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, created_at);
CREATE INDEX ledger_entries_purchase ON ledger_entries (purchase_id) WHERE purchase_id IS NOT NULL;
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;

-- BN-06, BN-07, GR-03: bonus programs.
CREATE TABLE bonus_programs (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    account_type_id  TEXT NOT NULL REFERENCES account_types (id),
    reward_kind      TEXT NOT NULL CHECK (reward_kind IN ('percent', 'fixed')),
    reward_value     INTEGER NOT NULL CHECK (reward_value >= 0), -- basis points or minor units
    min_order        INTEGER NOT NULL DEFAULT 0,
    active_from      TEXT,
    active_to        TEXT,
    weekdays         INTEGER NOT NULL DEFAULT 127, -- bit 0 = Monday
    minute_from      INTEGER,                       -- minutes after midnight
    minute_to        INTEGER,
    max_pay_share_bp INTEGER NOT NULL DEFAULT 0 CHECK (max_pay_share_bp BETWEEN 0 AND 10000),
    min_balance      INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    node_id          TEXT NOT NULL,
    deleted_at       TEXT
);

CREATE TABLE bonus_program_groups (
    program_id TEXT NOT NULL REFERENCES bonus_programs (id),
    group_id   TEXT NOT NULL REFERENCES client_groups (id),
    PRIMARY KEY (program_id, group_id)
) WITHOUT ROWID;

CREATE TABLE bonus_program_targets (
    program_id  TEXT NOT NULL REFERENCES bonus_programs (id),
    category_id TEXT REFERENCES product_categories (id),
    product_id  TEXT REFERENCES products (id),
    CHECK ((category_id IS NULL) <> (product_id IS NULL))
);
CREATE INDEX bonus_program_targets_program ON bonus_program_targets (program_id);

-- AD-02: audit log of manual and bulk operations. Append-only.
CREATE TABLE audit_log (
    id        TEXT PRIMARY KEY,
    at        TEXT NOT NULL,
    node_id   TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    details   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
