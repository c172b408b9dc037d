-- Families (foyers) of each centre, shared by the pre-registration and attendance services.
-- A household belongs to one centre; a child may belong to two households (separated parents).
CREATE TABLE members_households (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    -- The account the family created afterwards, if any (never required).
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    -- SHA-256 of the secret of the family's private link (families need no account).
    token_hash TEXT NOT NULL UNIQUE,
    address TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL,
    town TEXT NOT NULL,
    -- caf | msa | autre
    scheme TEXT NOT NULL,
    allocataire TEXT NOT NULL DEFAULT '',
    -- Quotient familial in whole euros; NULL when the family does not give it.
    qf INTEGER,
    qf_date DATE,
    -- non_fourni | fourni | verifie
    qf_proof TEXT NOT NULL DEFAULT 'non_fourni',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX members_households_centre ON members_households(centre_id);

CREATE TABLE members_adults (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id BIGINT NOT NULL REFERENCES members_households(id) ON DELETE CASCADE,
    -- 1: the adult who filled the form; 2: the other responsible adult.
    position INTEGER NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    relation TEXT NOT NULL DEFAULT '',
    UNIQUE (household_id, position)
);

CREATE TABLE members_children (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    birth_date DATE NOT NULL,
    -- Counts for the quotient familial (AEEH): an extra half part.
    disability BOOLEAN NOT NULL DEFAULT 0,
    -- Allergies, PAI, what the team must know: optional, shown only to the staff who need it.
    health TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE members_household_children (
    household_id BIGINT NOT NULL REFERENCES members_households(id) ON DELETE CASCADE,
    child_id BIGINT NOT NULL REFERENCES members_children(id) ON DELETE CASCADE,
    PRIMARY KEY (household_id, child_id)
);
CREATE INDEX members_household_children_child ON members_household_children(child_id);

CREATE TABLE members_memberships (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id BIGINT NOT NULL REFERENCES members_households(id) ON DELETE CASCADE,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    -- famille | adulte | enfant | reduite
    kind TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    fee_cents BIGINT NOT NULL,
    -- demandee | validee
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX members_memberships_household ON members_memberships(household_id);

CREATE TABLE members_consents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id BIGINT NOT NULL REFERENCES members_households(id) ON DELETE CASCADE,
    -- donnees (processing of the form), photos, sortie_seul…
    purpose TEXT NOT NULL,
    given_at TIMESTAMP NOT NULL,
    UNIQUE (household_id, purpose)
);

-- How long a membership lasts, per centre: the school year, or 12 months from the day.
CREATE TABLE members_centre_settings (
    centre_id BIGINT PRIMARY KEY NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    -- annee_scolaire | douze_mois
    membership_validity TEXT NOT NULL DEFAULT 'annee_scolaire'
);
