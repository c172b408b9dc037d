-- Glossaire « Quand les enfants deviennent profs »: one engine, several lexicons (digital words
-- explained by children, the Boussole's parenting acronyms…). Entries have versions; only a
-- published version is shown or found. Words asked for are requests, claimed by a workshop of a
-- referenced structure, whose children (no account: first name, initial, age band) write drafts
-- that the accompanying adult validates.

-- Bumped by every change that the search sees, so each process knows when to rebuild its index.
CREATE TABLE glossaire_revision (
    id INTEGER PRIMARY KEY,
    revision BIGINT NOT NULL
);
INSERT INTO glossaire_revision (id, revision) VALUES (1, 0);

-- A centre referenced by the network's admin as a structure that feeds the glossary.
CREATE TABLE glossaire_structures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL UNIQUE REFERENCES centres(id) ON DELETE CASCADE,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE glossaire_lexicons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    structure_id BIGINT REFERENCES glossaire_structures(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE glossaire_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lexicon_id BIGINT NOT NULL REFERENCES glossaire_lexicons(id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    -- normalised spelling and French phonetic key (apps/glossaire/src/text.rs)
    norm TEXT NOT NULL,
    phon TEXT NOT NULL,
    -- number of the published version; NULL: nothing published, never shown nor found
    published INTEGER,
    understood BIGINT NOT NULL DEFAULT 0,
    not_understood BIGINT NOT NULL DEFAULT 0,
    illustration BLOB,
    illustration_type TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (lexicon_id, norm)
);

CREATE TABLE glossaire_aliases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id BIGINT NOT NULL REFERENCES glossaire_entries(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    norm TEXT NOT NULL,
    phon TEXT NOT NULL,
    UNIQUE (entry_id, norm)
);

CREATE TABLE glossaire_workshops (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    structure_id BIGINT NOT NULL REFERENCES glossaire_structures(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    leader_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);

-- Children and teenagers of a workshop: no account, no contact, no photo.
CREATE TABLE glossaire_contributors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id BIGINT NOT NULL REFERENCES glossaire_workshops(id) ON DELETE CASCADE,
    first_name TEXT NOT NULL,
    initial TEXT NOT NULL,
    -- coded age band (moins-de-11, 11-14, 15-17)
    age_band TEXT NOT NULL,
    -- the parents' authorisation to credit the child by name was given (needed under 15)
    authorised BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE glossaire_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lexicon_id BIGINT NOT NULL REFERENCES glossaire_lexicons(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    norm TEXT NOT NULL,
    times BIGINT NOT NULL DEFAULT 1,
    -- ouverte | prise | publiee
    status TEXT NOT NULL,
    workshop_id BIGINT REFERENCES glossaire_workshops(id) ON DELETE SET NULL,
    claimed_at TIMESTAMP,
    entry_id BIGINT REFERENCES glossaire_entries(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    last_asked_at TIMESTAMP NOT NULL,
    -- when the daily digest told the structures of it
    digested_at TIMESTAMP,
    UNIQUE (lexicon_id, norm)
);

CREATE TABLE glossaire_drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id BIGINT NOT NULL REFERENCES glossaire_workshops(id) ON DELETE CASCADE,
    lexicon_id BIGINT NOT NULL REFERENCES glossaire_lexicons(id) ON DELETE CASCADE,
    request_id BIGINT REFERENCES glossaire_requests(id) ON DELETE SET NULL,
    term TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '',
    word_class TEXT NOT NULL DEFAULT '',
    definition TEXT NOT NULL,
    example TEXT NOT NULL DEFAULT '',
    related TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    -- brouillon | renvoye | valide
    status TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX glossaire_drafts_workshop ON glossaire_drafts(workshop_id);

CREATE TABLE glossaire_draft_authors (
    draft_id BIGINT NOT NULL REFERENCES glossaire_drafts(id) ON DELETE CASCADE,
    contributor_id BIGINT NOT NULL REFERENCES glossaire_contributors(id) ON DELETE CASCADE,
    PRIMARY KEY (draft_id, contributor_id)
);

CREATE TABLE glossaire_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id BIGINT NOT NULL REFERENCES glossaire_entries(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    word_class TEXT NOT NULL DEFAULT '',
    definition TEXT NOT NULL,
    example TEXT NOT NULL DEFAULT '',
    related TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    -- credited structure (the workshop's, or the lexicon's for an import)
    structure_id BIGINT REFERENCES glossaire_structures(id) ON DELETE SET NULL,
    -- the workshop draft it comes from (its authors are the credit), NULL for an import
    draft_id BIGINT REFERENCES glossaire_drafts(id) ON DELETE SET NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (entry_id, number)
);

-- One row per day a digest of new requests was sent: at most one a day.
CREATE TABLE glossaire_digests (
    day DATE PRIMARY KEY,
    requests BIGINT NOT NULL,
    sent_at TIMESTAMP NOT NULL
);
