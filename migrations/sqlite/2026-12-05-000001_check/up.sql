-- Check: attendance per activity session. Activities and sessions are the shared calendar's;
-- Check adds what it needs beside them (a session's name and whether it is reserved to a
-- group), the people it counts (first name, name or initial, birth date or age band: nothing
-- more), the families they come with, each attendance, anonymous LAEP tallies, imports (so
-- that one can be undone whole), CAF settings per activity, retention per centre and the
-- monthly aggregates kept after old attendance is deleted.

-- An import of past attendance: what it created carries its id, so that undoing it deletes
-- exactly that.
CREATE TABLE check_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    activity_id BIGINT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    created_count INTEGER NOT NULL,
    -- The activity did not exist and was created by this import.
    activity_created BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Check's side of a calendar session.
CREATE TABLE check_sessions (
    session_id BIGINT PRIMARY KEY REFERENCES activity_sessions(id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    -- The name trimmed, case-folded, without accents: how an import finds the session again.
    name_key TEXT NOT NULL DEFAULT '',
    -- Reserved to a group (a school class, a crèche): reported apart, never in public totals.
    reserved BOOLEAN NOT NULL DEFAULT 0,
    -- Closed: the roll call no longer takes taps.
    closed BOOLEAN NOT NULL DEFAULT 0,
    import_id BIGINT REFERENCES check_imports(id) ON DELETE SET NULL
);

-- A family as Check knows it (a visit of 1-n adults and 0-n children comes as one unit).
CREATE TABLE check_families (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    label_key TEXT NOT NULL,
    town TEXT NOT NULL DEFAULT '',
    -- oui | non | '' (unknown): lives in a priority neighbourhood (QPV).
    qpv TEXT NOT NULL DEFAULT '',
    -- caf | msa | autre | '' (unknown)
    regime TEXT NOT NULL DEFAULT '',
    -- The secret of the family's QR card (random, printed on the card only).
    card_token TEXT NOT NULL UNIQUE,
    import_id BIGINT REFERENCES check_imports(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX check_families_key ON check_families(centre_id, label_key);

-- A person counted: first name, name or initial, birth date or age band. No health data.
CREATE TABLE check_people (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    family_id BIGINT REFERENCES check_families(id) ON DELETE SET NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    -- « prénom|nom » trimmed, case-folded, without accents.
    name_key TEXT NOT NULL,
    -- adulte | enfant
    role TEXT NOT NULL,
    birth_date DATE,
    -- When only a band is known (a newcomer): <3 | 3-5 | 6-11 | 12-17 | ''
    age_band TEXT NOT NULL DEFAULT '',
    import_id BIGINT REFERENCES check_imports(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX check_people_key ON check_people(centre_id, name_key);
CREATE INDEX check_people_family ON check_people(family_id);

-- One person's attendance at one session.
CREATE TABLE check_attendance (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id BIGINT NOT NULL REFERENCES activity_sessions(id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES check_people(id) ON DELETE CASCADE,
    -- The family the person came with (the unit of a family visit), if any.
    family_id BIGINT REFERENCES check_families(id) ON DELETE SET NULL,
    -- present | absent_justifie | absent_injustifie
    state TEXT NOT NULL,
    arrived_at TIME,
    left_at TIME,
    recorded_at TIMESTAMP NOT NULL,
    import_id BIGINT REFERENCES check_imports(id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX check_attendance_once ON check_attendance(session_id, person_id);
CREATE INDEX check_attendance_person ON check_attendance(person_id);
CREATE INDEX check_attendance_family ON check_attendance(family_id);
CREATE INDEX check_attendance_import ON check_attendance(import_id);

-- Anonymous counts of a session (a LAEP): no name stored.
CREATE TABLE check_tallies (
    session_id BIGINT NOT NULL REFERENCES activity_sessions(id) ON DELETE CASCADE,
    -- adultes | enfants_moins_3 | enfants_3_5 | enfants_6_11 | enfants_12_17 | familles_nouvelles
    counter TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (session_id, counter)
);

-- How the CAF of this activity wants its hours counted (JSON of `caf::CafConfig`).
CREATE TABLE check_caf_settings (
    activity_id BIGINT PRIMARY KEY REFERENCES activities(id) ON DELETE CASCADE,
    config TEXT NOT NULL
);

CREATE TABLE check_centre_settings (
    centre_id BIGINT PRIMARY KEY REFERENCES centres(id) ON DELETE CASCADE,
    -- Attendance older than this is aggregated then deleted (the funders' audit window).
    retention_years INTEGER NOT NULL DEFAULT 3
);

-- Monthly reports kept after their attendance was deleted (JSON of the report).
CREATE TABLE check_aggregates (
    activity_id BIGINT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    report TEXT NOT NULL,
    PRIMARY KEY (activity_id, month)
);
