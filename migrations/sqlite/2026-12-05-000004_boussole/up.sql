-- Boussole parentale: places of parenting support (data·inclusion « structures »), their
-- services, and their temporary closures.
CREATE TABLE boussole_places (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The data·inclusion `id`: a re-import updates the place that has it.
    ext_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL,
    commune TEXT NOT NULL,
    commune_code TEXT NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    accessibility TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    published BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- The near-me search prefilters on a box of latitudes and longitudes.
CREATE INDEX boussole_places_latitude ON boussole_places(latitude, longitude);
CREATE INDEX boussole_places_longitude ON boussole_places(longitude);

CREATE TABLE boussole_services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    place_id BIGINT NOT NULL REFERENCES boussole_places(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- data·inclusion `famille--…` codes, space-separated.
    themes TEXT NOT NULL DEFAULT '',
    -- Ages in years; -1 is pregnancy.
    age_min INTEGER NOT NULL DEFAULT -1,
    age_max INTEGER NOT NULL DEFAULT 18,
    audience TEXT NOT NULL DEFAULT '',
    free BOOLEAN NOT NULL DEFAULT 1,
    access TEXT NOT NULL,
    languages TEXT NOT NULL DEFAULT 'français',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX boussole_services_place ON boussole_services(place_id);

CREATE TABLE boussole_closures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    place_id BIGINT NOT NULL REFERENCES boussole_places(id) ON DELETE CASCADE,
    start_day DATE NOT NULL,
    end_day DATE NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX boussole_closures_place ON boussole_closures(place_id);

-- The agenda: events and workshops; a weekly recurrence of `weekly_count` occurrences
-- (1: once), less the local days in `exdates` (space-separated YYYY-MM-DD).
CREATE TABLE boussole_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    place_id BIGINT REFERENCES boussole_places(id) ON DELETE CASCADE,
    commune_code TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    weekly_count INTEGER NOT NULL DEFAULT 1,
    exdates TEXT NOT NULL DEFAULT '',
    age_min INTEGER NOT NULL DEFAULT -1,
    age_max INTEGER NOT NULL DEFAULT 18,
    free BOOLEAN NOT NULL DEFAULT 1,
    registration TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX boussole_events_place ON boussole_events(place_id);
CREATE INDEX boussole_events_starts ON boussole_events(starts_at);
