-- 0003_money: the money side (BN-01…BN-08, PU-01…PU-06, AD-01, AD-02): the
-- ledger with earning lots and the draws spends take from them, cached
-- balances, bonus program settings, purchases with refunds and gifts, gifts,
-- users, and what the audit log and the catalogue are searched by.
--
-- SQLite cannot change a CHECK constraint, so ledger_entries, purchases and
-- purchase_lines are rebuilt: a new table is made under a _new name (pointing
-- at the other _new tables, which the renames turn into the final names),
-- filled with INSERT … SELECT, the old tables are dropped children first (so
-- dropping a parent finds no rows pointing at it) and the new ones renamed.
-- The whole migration runs in one transaction with foreign keys on.
--
-- Ledger (app.EntryKind is the contract): an entry moves the posted balance
-- by amount and the held amount by held, the signs fixed by its kind. A lot
-- (accrue, opening, return, a positive correct) is an earning the spends draw
-- from: ledger_draws names the lots a negative entry takes its points from
-- (their sum is −amount), and ledger_lots caches what is left of each lot.
-- accounts.posted and accounts.held cache the sums of the entries; their
-- CHECK is what makes an overdraft impossible whatever the caller does. The
-- store writes an entry, its draws, its lot and the account's cache in one
-- transaction, and LedgerCheck proves the caches against the sums. Entries and
-- draws are append-only; the caches are derived and never typed by anyone.
--
-- No code before this migration wrote ledger entries; any rows there are
-- copied with their signs fixed by the new contract (a hold's amount becomes
-- its held amount, its settlement takes that back), and their lots start
-- whole (the old ledger had no draws).

-- BN-02: the ledger.
CREATE TABLE ledger_entries_new (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    client_id   TEXT NOT NULL REFERENCES clients (id),
    kind        TEXT NOT NULL CHECK (kind IN ('accrue', 'opening', 'return', 'debit', 'reverse', 'expire',
                                             'correct', 'hold', 'confirm', 'release')),
    amount      INTEGER NOT NULL DEFAULT 0,  -- Δ posted, kopecks of points
    held        INTEGER NOT NULL DEFAULT 0,  -- Δ held
    hold_id     TEXT REFERENCES ledger_entries_new (id), -- confirm / release: the hold they settle
    -- A refund writes its entries before its receipt, in the same transaction.
    purchase_id TEXT REFERENCES purchases_new (id) DEFERRABLE INITIALLY DEFERRED,
    order_ref   TEXT NOT NULL DEFAULT '',    -- hold: the open order it reserves for
    expires_at  TEXT,                        -- a lot's expiry; NULL: never
    author      TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    message     TEXT NOT NULL DEFAULT '',    -- to the client (BN-03)
    created_at  TEXT NOT NULL,
    node_id     TEXT NOT NULL,
    -- The signs of app.EntryKind's table.
    CHECK (CASE kind
        WHEN 'accrue'  THEN amount > 0 AND held = 0
        WHEN 'opening' THEN amount > 0 AND held = 0
        WHEN 'return'  THEN amount > 0 AND held = 0
        WHEN 'debit'   THEN amount < 0 AND held = 0
        WHEN 'reverse' THEN amount < 0 AND held = 0
        WHEN 'expire'  THEN amount < 0 AND held = 0
        WHEN 'correct' THEN amount <> 0 AND held = 0
        WHEN 'hold'    THEN amount = 0 AND held > 0
        WHEN 'confirm' THEN amount <= 0 AND held < 0
        WHEN 'release' THEN amount = 0 AND held < 0
    END),
    CHECK ((hold_id IS NOT NULL) = (kind IN ('confirm', 'release'))),
    CHECK (expires_at IS NULL OR kind IN ('accrue', 'opening', 'return', 'correct'))
);

-- PU-02, PU-05, PU-06, LR-09: receipts, refunds and gifts; "sold" is the
-- bill, "paid" the money received.
CREATE TABLE purchases_new (
    id            TEXT PRIMARY KEY,
    number        TEXT NOT NULL,                 -- unique per venue (idempotency key)
    client_id     TEXT REFERENCES clients (id),
    kind          TEXT NOT NULL DEFAULT 'sale' CHECK (kind IN ('sale', 'refund', 'gift')),
    refund_of     TEXT REFERENCES purchases_new (id), -- a refund: the sale it refunds
    sold          INTEGER NOT NULL,
    discount      INTEGER NOT NULL DEFAULT 0,
    paid          INTEGER NOT NULL,
    bonus_spent   INTEGER NOT NULL DEFAULT 0,
    bonus_accrued INTEGER NOT NULL DEFAULT 0,
    unrecovered   INTEGER NOT NULL DEFAULT 0 CHECK (unrecovered >= 0), -- a refund: what it could not take back
    request_hash  TEXT NOT NULL DEFAULT '',      -- a retry with the same number must carry the same
    author        TEXT NOT NULL DEFAULT '',
    occurred_at   TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    node_id       TEXT NOT NULL,
    CHECK (refund_of IS NULL OR kind = 'refund')
);

CREATE TABLE purchase_lines_new (
    id          TEXT PRIMARY KEY,
    purchase_id TEXT NOT NULL REFERENCES purchases_new (id),
    position    INTEGER NOT NULL,
    product_id  TEXT REFERENCES products (id),
    category_id TEXT REFERENCES product_categories (id),
    name        TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity > 0), -- thousandths: 1000 = one piece
    price       INTEGER NOT NULL,                      -- list price of one piece
    amount      INTEGER NOT NULL,                      -- the line's share of sold
    discount    INTEGER NOT NULL DEFAULT 0,            -- its share of the discounts
    bonus       INTEGER NOT NULL DEFAULT 0,            -- its share of the points paid
    accrued     INTEGER NOT NULL DEFAULT 0,            -- its share of the points earned
    voided      INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)),
    refund_of   TEXT REFERENCES purchase_lines_new (id), -- a refund's line: the sale line it gives back
    created_at  TEXT NOT NULL,
    node_id     TEXT NOT NULL,
    UNIQUE (purchase_id, position)
);

INSERT INTO purchases_new (id, number, client_id, kind, refund_of, sold, discount, paid, bonus_spent, bonus_accrued,
                           occurred_at, created_at, updated_at, node_id)
SELECT id, number, client_id, kind, refund_of, sold, discount, paid, bonus_spent, bonus_accrued,
       occurred_at, created_at, updated_at, node_id
FROM purchases ORDER BY rowid;

INSERT INTO purchase_lines_new (id, purchase_id, position, product_id, category_id, name, quantity, price, amount,
                                created_at, node_id)
SELECT id, purchase_id, position, product_id, category_id, name, quantity, price, amount, created_at, node_id
FROM purchase_lines ORDER BY rowid;

INSERT INTO ledger_entries_new (id, account_id, client_id, kind, amount, held, hold_id, purchase_id,
                                author, reason, created_at, node_id)
SELECT e.id, e.account_id, a.client_id, e.kind,
       CASE WHEN e.kind IN ('hold', 'release') THEN 0
            WHEN e.kind IN ('debit', 'expire', 'confirm') THEN -abs(e.amount)
            WHEN e.kind = 'accrue' THEN abs(e.amount)
            ELSE e.amount END,
       CASE WHEN e.kind = 'hold' THEN abs(e.amount)
            WHEN e.kind IN ('confirm', 'release') THEN
                -(SELECT abs(h.amount) FROM ledger_entries h WHERE h.id = e.hold_id)
            ELSE 0 END,
       e.hold_id, e.purchase_id, e.author, e.reason, e.created_at, e.node_id
FROM ledger_entries e JOIN accounts a ON a.id = e.account_id ORDER BY e.rowid;

DROP TABLE ledger_entries; -- its triggers and indexes go with it
DROP TABLE purchase_lines;
DROP TABLE purchases;
ALTER TABLE purchases_new RENAME TO purchases;
ALTER TABLE purchase_lines_new RENAME TO purchase_lines;
ALTER TABLE ledger_entries_new RENAME TO ledger_entries;

CREATE UNIQUE INDEX purchases_number ON purchases (number);
CREATE INDEX purchases_client ON purchases (client_id, occurred_at, id);
CREATE INDEX purchases_occurred ON purchases (occurred_at, id);
CREATE INDEX purchases_refund_of ON purchases (refund_of) WHERE refund_of IS NOT NULL;
CREATE INDEX purchase_lines_refund_of ON purchase_lines (refund_of) WHERE refund_of IS NOT NULL;

CREATE INDEX ledger_entries_account ON ledger_entries (account_id, created_at, id);
CREATE INDEX ledger_entries_client ON ledger_entries (client_id, created_at, id);
CREATE INDEX ledger_entries_purchase ON ledger_entries (purchase_id) WHERE purchase_id IS NOT NULL;
-- A hold is settled (confirmed or released) once.
CREATE UNIQUE INDEX ledger_entries_settles ON ledger_entries (hold_id) WHERE kind IN ('confirm', 'release');
CREATE INDEX ledger_entries_holds ON ledger_entries (created_at, id) WHERE kind = 'hold';
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;

-- The lots a negative entry takes its points from, in the order taken.
CREATE TABLE ledger_draws (
    entry_id TEXT NOT NULL REFERENCES ledger_entries (id),
    lot_id   TEXT NOT NULL REFERENCES ledger_entries (id),
    amount   INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (entry_id, lot_id)
);
CREATE INDEX ledger_draws_lot ON ledger_draws (lot_id);
CREATE TRIGGER ledger_draws_no_update BEFORE UPDATE ON ledger_draws
BEGIN SELECT RAISE(ABORT, 'ledger draws are append-only'); END;
CREATE TRIGGER ledger_draws_no_delete BEFORE DELETE ON ledger_draws
BEGIN SELECT RAISE(ABORT, 'ledger draws are append-only'); END;

-- What is left of each lot: amount less its draws (derived, kept by the store).
CREATE TABLE ledger_lots (
    entry_id   TEXT PRIMARY KEY REFERENCES ledger_entries (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    amount     INTEGER NOT NULL CHECK (amount > 0),
    remaining  INTEGER NOT NULL CHECK (remaining >= 0 AND remaining <= amount),
    expires_at TEXT,                     -- NULL: never
    created_at TEXT NOT NULL
);
-- OpenLots: the soonest expiring first, never-expiring last, then oldest.
CREATE INDEX ledger_lots_open ON ledger_lots (account_id, expires_at IS NULL, expires_at, created_at, entry_id)
    WHERE remaining > 0;
-- DueLots (BN-08).
CREATE INDEX ledger_lots_due ON ledger_lots (expires_at, created_at, entry_id) WHERE remaining > 0 AND expires_at IS NOT NULL;
INSERT INTO ledger_lots (entry_id, account_id, amount, remaining, expires_at, created_at)
SELECT id, account_id, amount, amount, expires_at, created_at FROM ledger_entries
WHERE kind IN ('accrue', 'opening', 'return') OR (kind = 'correct' AND amount > 0);

-- CL-04: the account's cached sums of its entries. Available = posted − held
-- never goes negative, nor does held.
ALTER TABLE accounts ADD COLUMN posted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN held INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0 AND posted >= held);
UPDATE accounts SET posted = s.posted, held = s.held
FROM (SELECT account_id, sum(amount) AS posted, sum(held) AS held FROM ledger_entries GROUP BY account_id) s
WHERE s.account_id = accounts.id;

-- BN-06, BN-07, LR-09: bonus programs. minute_from / minute_to are
-- app.Program's HoursFrom / HoursTo: equal means all day, stored as 0 and 0.
ALTER TABLE bonus_programs ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1));
ALTER TABLE bonus_programs ADD COLUMN base TEXT NOT NULL DEFAULT 'sold' CHECK (base IN ('sold', 'paid'));
ALTER TABLE bonus_programs ADD COLUMN earn_on_bonus_paid INTEGER NOT NULL DEFAULT 0 CHECK (earn_on_bonus_paid IN (0, 1));
UPDATE bonus_programs SET minute_from = 0, minute_to = 0
WHERE minute_from IS NULL OR minute_to IS NULL OR minute_from = minute_to;

-- PU-01: a live product's SKU is unique when it has one; the catalogue is
-- listed by name.
CREATE UNIQUE INDEX products_sku ON products (sku) WHERE deleted_at IS NULL AND sku <> '';
CREATE INDEX products_name ON products (name) WHERE deleted_at IS NULL;
CREATE INDEX product_categories_parent ON product_categories (parent_id) WHERE parent_id IS NOT NULL;

-- PU-06: gifts given from the client page, for points (0: free).
CREATE TABLE gifts (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL CHECK (name <> ''),
    points     INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    node_id    TEXT NOT NULL,
    deleted_at TEXT
);

-- AD-01: the people who sign in. name_key is the name in lower case (folded
-- by the store, as SQLite's lower() knows only ASCII): one user per name.
-- Users are disabled, never deleted.
CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    name_key    TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'cashier')),
    secret_hash TEXT NOT NULL,           -- PHC argon2id
    disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    node_id     TEXT NOT NULL
);
CREATE UNIQUE INDEX users_name ON users (name_key);

-- AD-02: the audit log is read newest first, by time.
CREATE INDEX audit_log_at ON audit_log (at, id);
