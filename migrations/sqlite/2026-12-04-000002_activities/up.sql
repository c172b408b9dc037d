-- The shared activity calendar: activities, their groups, sessions and seats, and the children
-- registered to a group on a day, moved out of the pré-inscription (which keeps its offer: grid,
-- units, residents' postcodes, open or not; and the price of each requested day). Ids are kept,
-- so that every request and day keeps its activity, group and registration. SQLite cannot change
-- a column's foreign key: the requests and days tables are rebuilt, with foreign keys off
-- meanwhile (every row copied keeps its ids, so every reference still holds).
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    -- mercredis | vacances | sejour | ludotheque | laep | atelier
    kind TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX activities_centre ON activities(centre_id);

CREATE TABLE activity_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id BIGINT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    -- Ages in whole years on the activity's first day, both included.
    age_min INTEGER NOT NULL,
    age_max INTEGER NOT NULL,
    capacity INTEGER NOT NULL
);
CREATE INDEX activity_groups_activity ON activity_groups(activity_id);

-- A day the activity runs, with its hours when known.
CREATE TABLE activity_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id BIGINT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    day DATE NOT NULL,
    starts_at TIME,
    ends_at TIME
);
CREATE INDEX activity_sessions_activity ON activity_sessions(activity_id, day);

-- One row per group and day: `taken < capacity` is checked in the UPDATE that takes a seat, so
-- concurrent registrations never overbook.
CREATE TABLE activity_seats (
    group_id BIGINT NOT NULL REFERENCES activity_groups(id) ON DELETE CASCADE,
    day DATE NOT NULL,
    capacity INTEGER NOT NULL,
    taken INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, day)
);

CREATE TABLE activity_registrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id BIGINT NOT NULL REFERENCES activity_groups(id) ON DELETE CASCADE,
    day DATE NOT NULL,
    child_id BIGINT NOT NULL REFERENCES members_children(id) ON DELETE CASCADE,
    -- place | attente | annulee
    state TEXT NOT NULL,
    -- Confirmed by the centre (a validated request): expected on the roll call when placed.
    confirmed BOOLEAN NOT NULL DEFAULT 0,
    -- The app that made it.
    app TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX activity_registrations_waiting ON activity_registrations(group_id, day, state);
-- A child is registered once per day.
CREATE UNIQUE INDEX activity_registrations_child_day ON activity_registrations(child_id, day)
    WHERE state <> 'annulee';

INSERT INTO activities (id, centre_id, title, kind, description, created_at)
    SELECT id, centre_id, title, kind, description, created_at FROM preinscription_activities;
INSERT INTO activity_groups (id, activity_id, label, age_min, age_max, capacity)
    SELECT id, activity_id, label, age_min, age_max, capacity FROM preinscription_groups;
WITH RECURSIVE split(activity_id, day, rest) AS (
    SELECT id, '', days || ',' FROM preinscription_activities
    UNION ALL
    SELECT activity_id, substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
    FROM split WHERE rest <> ''
)
INSERT INTO activity_sessions (activity_id, day)
    SELECT activity_id, day FROM split WHERE day <> '' ORDER BY activity_id, day;
INSERT INTO activity_seats (group_id, day, capacity, taken)
    SELECT group_id, day, capacity, taken FROM preinscription_places;
INSERT INTO activity_registrations (id, group_id, day, child_id, state, confirmed, app, created_at)
    SELECT l.id, l.group_id, l.day, l.child_id, l.state, r.status = 'validee', 'preinscription',
           l.created_at
    FROM preinscription_lines l JOIN preinscription_requests r ON r.id = l.request_id;

-- The pré-inscription's side of an activity it opens to families.
CREATE TABLE preinscription_offers (
    activity_id BIGINT PRIMARY KEY REFERENCES activities(id) ON DELETE CASCADE,
    grid_id BIGINT NOT NULL REFERENCES preinscription_grids(id),
    -- Unit codes the families may choose (journee,demi_journee_repas…), comma-separated.
    units TEXT NOT NULL,
    -- Postcodes whose families pay the resident price, comma-separated.
    resident_postcodes TEXT NOT NULL DEFAULT '',
    open BOOLEAN NOT NULL DEFAULT 1
);
INSERT INTO preinscription_offers (activity_id, grid_id, units, resident_postcodes, open)
    SELECT id, grid_id, units, resident_postcodes, open FROM preinscription_activities;

CREATE TABLE preinscription_requests_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    household_id BIGINT NOT NULL REFERENCES members_households(id) ON DELETE CASCADE,
    activity_id BIGINT NOT NULL REFERENCES activities(id),
    -- SHA-256 of the private link's secret (the secret itself is only in the family's mail).
    token_hash TEXT NOT NULL UNIQUE,
    -- envoyee | validee | refusee | annulee
    status TEXT NOT NULL,
    total_cents BIGINT NOT NULL,
    staff_note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO preinscription_requests_new
    SELECT id, centre_id, household_id, activity_id, token_hash, status, total_cents, staff_note,
           created_at, updated_at
    FROM preinscription_requests;

-- A requested day is now the price of a registration.
CREATE TABLE preinscription_lines_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES preinscription_requests(id) ON DELETE CASCADE,
    registration_id BIGINT NOT NULL UNIQUE
        REFERENCES activity_registrations(id) ON DELETE CASCADE,
    unit TEXT NOT NULL,
    price_cents BIGINT NOT NULL,
    -- The QF band applied (band grids), for the exports.
    band TEXT NOT NULL DEFAULT '',
    explanation TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO preinscription_lines_new
    (id, request_id, registration_id, unit, price_cents, band, explanation, created_at)
    SELECT id, request_id, id, unit, price_cents, band, explanation, created_at
    FROM preinscription_lines;

DROP TABLE preinscription_lines;
DROP TABLE preinscription_requests;
DROP TABLE preinscription_places;
DROP TABLE preinscription_groups;
DROP TABLE preinscription_activities;
ALTER TABLE preinscription_requests_new RENAME TO preinscription_requests;
ALTER TABLE preinscription_lines_new RENAME TO preinscription_lines;
CREATE INDEX preinscription_requests_centre ON preinscription_requests(centre_id, status);
CREATE INDEX preinscription_lines_request ON preinscription_lines(request_id);

COMMIT;
PRAGMA foreign_keys = ON;
