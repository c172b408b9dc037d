-- Kiosque « Le numérique à mon service »: the federation's catalogue of procedures and guides,
-- each centre's portal choices, kiosks, help directory, digital workshops, link checks.
CREATE TABLE kiosque_themes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    icon TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE kiosque_procedures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    theme_id BIGINT NOT NULL REFERENCES kiosque_themes(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL,
    operator TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '',
    icon TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL DEFAULT '',
    documents TEXT NOT NULL DEFAULT '',
    steps TEXT NOT NULL DEFAULT '',
    help TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX kiosque_procedures_theme ON kiosque_procedures(theme_id);

CREATE TABLE kiosque_guide_overrides (
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    procedure_id BIGINT NOT NULL REFERENCES kiosque_procedures(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL DEFAULT '',
    documents TEXT NOT NULL DEFAULT '',
    steps TEXT NOT NULL DEFAULT '',
    help TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (centre_id, procedure_id)
);

CREATE TABLE kiosque_portals (
    centre_id BIGINT PRIMARY KEY NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    welcome TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE kiosque_choices (
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    procedure_id BIGINT NOT NULL REFERENCES kiosque_procedures(id) ON DELETE CASCADE,
    hidden BOOLEAN NOT NULL DEFAULT 0,
    pinned BOOLEAN NOT NULL DEFAULT 0,
    position INTEGER,
    PRIMARY KEY (centre_id, procedure_id)
);

CREATE TABLE kiosque_local_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    theme_id BIGINT REFERENCES kiosque_themes(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL,
    pinned BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX kiosque_local_links_centre ON kiosque_local_links(centre_id);

CREATE TABLE kiosque_kiosks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    inactivity_seconds INTEGER NOT NULL,
    warning_seconds INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX kiosque_kiosks_centre ON kiosque_kiosks(centre_id);

CREATE TABLE kiosque_help_places (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    services TEXT NOT NULL DEFAULT '',
    accessibility TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX kiosque_help_places_centre ON kiosque_help_places(centre_id);

CREATE TABLE kiosque_workshops (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    topic TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    duration_minutes INTEGER NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    seats INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX kiosque_workshops_centre ON kiosque_workshops(centre_id, starts_at);

CREATE TABLE kiosque_signups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id BIGINT NOT NULL REFERENCES kiosque_workshops(id) ON DELETE CASCADE,
    first_name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX kiosque_signups_workshop ON kiosque_signups(workshop_id);

CREATE TABLE kiosque_link_checks (
    url TEXT PRIMARY KEY NOT NULL,
    ok BOOLEAN NOT NULL,
    status INTEGER,
    detail TEXT NOT NULL DEFAULT '',
    checked_at TIMESTAMP NOT NULL
);
