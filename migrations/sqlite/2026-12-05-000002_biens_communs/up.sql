-- Biens communs: the hours ledger (accounts, transfers, entries, batches), the members and
-- their offers and needs, and the exchanges between them.

-- A member of a centre's time bank (a resident; no e-mail needed: the reception acts for them).
CREATE TABLE bc_members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    neighbourhood TEXT NOT NULL DEFAULT '',
    -- centre | courriel | telephone
    contact TEXT NOT NULL,
    contact_detail TEXT NOT NULL DEFAULT '',
    profession TEXT NOT NULL DEFAULT '',
    -- en_attente | actif | ferme
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX bc_members_centre ON bc_members(centre_id);
CREATE UNIQUE INDEX bc_members_user ON bc_members(centre_id, user_id) WHERE user_id IS NOT NULL;

-- An hours account: a member's, or one of the centre's own (opening fund, solidarity pot).
-- `balance` is the sum of the account's entries, kept by the conditional UPDATE of each transfer.
CREATE TABLE bc_accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    -- membre | fonds_ouverture | pot_solidaire
    kind TEXT NOT NULL,
    member_id BIGINT REFERENCES bc_members(id),
    name TEXT NOT NULL,
    balance BIGINT NOT NULL DEFAULT 0,
    -- How far below zero the balance may go (minutes); NULL: no floor (the opening fund).
    floor_minutes BIGINT,
    -- The highest balance allowed; NULL: none.
    ceiling_minutes BIGINT,
    -- The give-to-earn cap of the floor; NULL: the floor never grows.
    quota_max_minutes BIGINT,
    -- ouvert | ferme
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP
);
CREATE INDEX bc_accounts_centre ON bc_accounts(centre_id);
CREATE UNIQUE INDEX bc_accounts_centre_kind ON bc_accounts(centre_id, kind) WHERE kind <> 'membre';

-- A batch of transfers recorded all together (a collective workshop).
CREATE TABLE bc_batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    idem_key TEXT,
    fingerprint TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX bc_batches_key ON bc_batches(centre_id, idem_key) WHERE idem_key IS NOT NULL;

-- A transfer of minutes from a payer to a payee: two entries. Never deleted; a reversal refers
-- to the transfer it corrects (at most one).
CREATE TABLE bc_transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    -- service | don | octroi | ouverture | cloture | annulation
    kind TEXT NOT NULL,
    payer_id BIGINT NOT NULL REFERENCES bc_accounts(id),
    payee_id BIGINT NOT NULL REFERENCES bc_accounts(id),
    minutes BIGINT NOT NULL CHECK (minutes > 0),
    reason TEXT NOT NULL,
    idem_key TEXT,
    fingerprint TEXT NOT NULL,
    batch_id BIGINT REFERENCES bc_batches(id),
    reverses_id BIGINT REFERENCES bc_transfers(id),
    -- How much this transfer raised the payee's floor (give to earn), undone by its reversal.
    floor_raise BIGINT NOT NULL DEFAULT 0,
    -- guichet | telephone | papier | en_ligne | api
    channel TEXT NOT NULL,
    cheque_number TEXT,
    recorded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX bc_transfers_key ON bc_transfers(centre_id, idem_key) WHERE idem_key IS NOT NULL;
CREATE UNIQUE INDEX bc_transfers_reverses ON bc_transfers(reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX bc_transfers_centre ON bc_transfers(centre_id, created_at);

-- One movement of an account: negative for the payer, positive for the payee.
CREATE TABLE bc_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    transfer_id BIGINT NOT NULL REFERENCES bc_transfers(id),
    account_id BIGINT NOT NULL REFERENCES bc_accounts(id),
    minutes BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX bc_entries_account ON bc_entries(account_id, id);
CREATE INDEX bc_entries_transfer ON bc_entries(transfer_id);

-- A centre's settings of the time bank.
CREATE TABLE bc_settings (
    centre_id BIGINT PRIMARY KEY REFERENCES centres(id) ON DELETE CASCADE,
    -- Floor given to a new member (minutes).
    default_floor BIGINT NOT NULL,
    -- Give-to-earn cap of a new member's floor (minutes); NULL: no growth.
    default_quota_max BIGINT,
    -- Warn when what is available falls to this or below (minutes).
    alert_minutes BIGINT NOT NULL,
    -- Days the centre is closed, ISO weekday numbers 1 (Monday) to 7, comma-separated.
    closed_weekdays TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- An offer (a skill a member gives) or a need (help a member asks for).
CREATE TABLE bc_offers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES bc_members(id),
    -- offre | besoin
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    -- Free words, lower case, separated by commas.
    tags TEXT NOT NULL DEFAULT '',
    availability TEXT NOT NULL DEFAULT '',
    -- ouverte | a_verifier | refusee | close
    status TEXT NOT NULL,
    -- Why the Accorderie rules sent it to the staff's review queue.
    review_reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX bc_offers_centre ON bc_offers(centre_id, kind, status);

-- An exchange of a service: asked -> accepted -> done -> confirmed by both (the hours move then),
-- or recorded by the staff in one step.
CREATE TABLE bc_exchanges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    offer_id BIGINT REFERENCES bc_offers(id),
    giver_id BIGINT NOT NULL REFERENCES bc_members(id),
    receiver_id BIGINT NOT NULL REFERENCES bc_members(id),
    minutes BIGINT NOT NULL CHECK (minutes > 0),
    description TEXT NOT NULL,
    -- demande | acceptee | faite | confirmee | annulee
    status TEXT NOT NULL,
    giver_confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    receiver_confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    transfer_id BIGINT REFERENCES bc_transfers(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX bc_exchanges_centre ON bc_exchanges(centre_id, status);

-- Lending: classes of items with their rules, items, loans, and the holds queue of each item.
CREATE TABLE bc_item_classes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    loan_days INTEGER NOT NULL,
    renewals_allowed INTEGER NOT NULL,
    -- At most this many items of the class per member, loans and holds counted together.
    max_per_member INTEGER NOT NULL,
    -- Days the first in line has to collect an item once it is back.
    hold_days INTEGER NOT NULL,
    -- Minutes the borrower pays the lender per loan (0: lending moves no hours).
    loan_minutes BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE bc_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    class_id BIGINT NOT NULL REFERENCES bc_item_classes(id),
    -- NULL: lent by the centre.
    owner_member_id BIGINT REFERENCES bc_members(id),
    name TEXT NOT NULL,
    condition_notes TEXT NOT NULL DEFAULT '',
    -- File names of photos, one a line.
    photos TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE bc_loans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id BIGINT NOT NULL REFERENCES bc_items(id),
    member_id BIGINT NOT NULL REFERENCES bc_members(id),
    started_on DATE NOT NULL,
    due_on DATE NOT NULL,
    returned_on DATE,
    renewals INTEGER NOT NULL DEFAULT 0,
    condition_out TEXT NOT NULL DEFAULT '',
    condition_in TEXT NOT NULL DEFAULT '',
    reminded_before BOOLEAN NOT NULL DEFAULT FALSE,
    reminded_late BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX bc_loans_item ON bc_loans(item_id);
CREATE INDEX bc_loans_member ON bc_loans(member_id);
CREATE UNIQUE INDEX bc_loans_one_out ON bc_loans(item_id) WHERE returned_on IS NULL;

CREATE TABLE bc_holds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id BIGINT NOT NULL REFERENCES bc_items(id),
    member_id BIGINT NOT NULL REFERENCES bc_members(id),
    -- attente | a_retirer | honoree | expiree | annulee
    status TEXT NOT NULL,
    ready_on DATE,
    expires_on DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX bc_holds_item ON bc_holds(item_id, status);
