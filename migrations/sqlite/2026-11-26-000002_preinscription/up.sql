-- Pre-registration to the leisure centre: tariff grids, activities (Wednesdays, holiday weeks,
-- stays) with their groups and opening days, places per group and day, the families' requests.
CREATE TABLE preinscription_grids (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- The grid as JSON (docs/tarifs-grilles.md), checked before it is stored.
    spec TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (centre_id, name)
);

CREATE TABLE preinscription_activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    -- mercredis | vacances | sejour
    kind TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    grid_id BIGINT NOT NULL REFERENCES preinscription_grids(id),
    -- Unit codes the families may choose (journee,demi_journee_repas…), comma-separated.
    units TEXT NOT NULL,
    -- Opening days, ISO dates, comma-separated.
    days TEXT NOT NULL,
    -- Postcodes whose families pay the resident price, comma-separated.
    resident_postcodes TEXT NOT NULL DEFAULT '',
    open BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX preinscription_activities_centre ON preinscription_activities(centre_id);

CREATE TABLE preinscription_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id BIGINT NOT NULL REFERENCES preinscription_activities(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    -- Ages in whole years on the activity's first day, both included.
    age_min INTEGER NOT NULL,
    age_max INTEGER NOT NULL,
    capacity INTEGER NOT NULL
);
CREATE INDEX preinscription_groups_activity ON preinscription_groups(activity_id);

-- One row per group and opening day: `taken < capacity` is checked in the UPDATE that takes a
-- place, so concurrent requests never overbook.
CREATE TABLE preinscription_places (
    group_id BIGINT NOT NULL REFERENCES preinscription_groups(id) ON DELETE CASCADE,
    day DATE NOT NULL,
    capacity INTEGER NOT NULL,
    taken INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, day)
);

CREATE TABLE preinscription_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    household_id BIGINT NOT NULL REFERENCES members_households(id) ON DELETE CASCADE,
    activity_id BIGINT NOT NULL REFERENCES preinscription_activities(id),
    -- SHA-256 of the private link's secret (the secret itself is only in the family's mail).
    token_hash TEXT NOT NULL UNIQUE,
    -- envoyee | validee | refusee | annulee
    status TEXT NOT NULL,
    total_cents BIGINT NOT NULL,
    staff_note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX preinscription_requests_centre ON preinscription_requests(centre_id, status);

CREATE TABLE preinscription_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES preinscription_requests(id) ON DELETE CASCADE,
    child_id BIGINT NOT NULL REFERENCES members_children(id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES preinscription_groups(id),
    day DATE NOT NULL,
    unit TEXT NOT NULL,
    price_cents BIGINT NOT NULL,
    -- The QF band applied (band grids), for the exports.
    band TEXT NOT NULL DEFAULT '',
    explanation TEXT NOT NULL,
    -- place (holds a place) | attente (waiting list) | annulee
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX preinscription_lines_request ON preinscription_lines(request_id);
CREATE INDEX preinscription_lines_waiting ON preinscription_lines(group_id, day, state);
-- A child is registered once per day.
CREATE UNIQUE INDEX preinscription_lines_child_day ON preinscription_lines(child_id, day)
    WHERE state <> 'annulee';
