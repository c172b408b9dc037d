-- Anim'Connect: the shared library of activity sheets, each centre's pedagogical project, team,
-- periods of planning with their time slots, and the planned sessions of each group.

-- A sheet belongs to its author's centre; its visibility opens it to the centre, then to all.
CREATE TABLE animconnect_sheets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    -- The credit as shown: the author's name when written (kept if the account goes)
    author_name TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    -- coded: jeu | manuel | sport | expression | cuisine | nature | sortie | grand-jeu | eveil | numerique
    kind TEXT NOT NULL,
    -- coded: the themes of the library
    theme TEXT NOT NULL,
    age_min INTEGER NOT NULL,
    age_max INTEGER NOT NULL,
    group_min INTEGER NOT NULL,
    group_max INTEGER NOT NULL,
    -- minutes
    duration INTEGER NOT NULL,
    setup INTEGER NOT NULL DEFAULT 0,
    tidy INTEGER NOT NULL DEFAULT 0,
    -- dedans | dehors | les-deux
    place TEXT NOT NULL,
    rainy_day BOOLEAN NOT NULL DEFAULT FALSE,
    animators INTEGER NOT NULL DEFAULT 1,
    tags TEXT NOT NULL DEFAULT '',
    -- brouillon | centre | partagee
    visibility TEXT NOT NULL,
    forked_from BIGINT REFERENCES animconnect_sheets(id) ON DELETE SET NULL,
    -- « Adaptée de « … » (centre X) », kept when the original is deleted
    credit TEXT NOT NULL DEFAULT '',
    -- Title, summary, tags, theme and materials, lower case without accents, for the search
    search TEXT NOT NULL,
    -- Sessions planned with this sheet, kept by the planning
    uses INTEGER NOT NULL DEFAULT 0,
    rating_sum INTEGER NOT NULL DEFAULT 0,
    rating_count INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX animconnect_sheets_visible ON animconnect_sheets(visibility, centre_id);
CREATE INDEX animconnect_sheets_uses ON animconnect_sheets(uses);
CREATE INDEX animconnect_sheets_fork ON animconnect_sheets(forked_from);

-- The long texts of a sheet, read on its page only.
CREATE TABLE animconnect_sheet_notes (
    sheet_id BIGINT PRIMARY KEY REFERENCES animconnect_sheets(id) ON DELETE CASCADE,
    variants TEXT NOT NULL DEFAULT '',
    adaptations TEXT NOT NULL DEFAULT '',
    dangers TEXT NOT NULL DEFAULT '',
    measures TEXT NOT NULL DEFAULT '',
    cancel_when TEXT NOT NULL DEFAULT '',
    evaluation TEXT NOT NULL DEFAULT ''
);

CREATE TABLE animconnect_sheet_materials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sheet_id BIGINT NOT NULL REFERENCES animconnect_sheets(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    article TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    unit TEXT NOT NULL DEFAULT ''
);
CREATE INDEX animconnect_sheet_materials_sheet ON animconnect_sheet_materials(sheet_id);

CREATE TABLE animconnect_sheet_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sheet_id BIGINT NOT NULL REFERENCES animconnect_sheets(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    -- « 10 min », « 14 h 15 »: as the author writes it
    timing TEXT NOT NULL DEFAULT '',
    what TEXT NOT NULL,
    who TEXT NOT NULL DEFAULT ''
);
CREATE INDEX animconnect_sheet_steps_sheet ON animconnect_sheet_steps(sheet_id);

CREATE TABLE animconnect_sheet_photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sheet_id BIGINT NOT NULL REFERENCES animconnect_sheets(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX animconnect_sheet_photos_sheet ON animconnect_sheet_photos(sheet_id);

-- One rating per animator and sheet (1 to 5), with a short comment.
CREATE TABLE animconnect_ratings (
    sheet_id BIGINT NOT NULL REFERENCES animconnect_sheets(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    author_name TEXT NOT NULL,
    centre_name TEXT NOT NULL,
    stars INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (sheet_id, user_id)
);

-- The centre's settings for Anim'Connect.
CREATE TABLE animconnect_centres (
    centre_id BIGINT PRIMARY KEY REFERENCES centres(id) ON DELETE CASCADE,
    -- The centre works under a projet éducatif territorial (périscolaire rates)
    pedt BOOLEAN NOT NULL DEFAULT FALSE,
    -- A short summary of the pedagogical project for families
    project_summary TEXT NOT NULL DEFAULT ''
);

-- The pedagogical project: intentions > general objectives > operational objectives.
CREATE TABLE animconnect_objectives (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    parent_id BIGINT REFERENCES animconnect_objectives(id) ON DELETE CASCADE,
    -- intention | general | operationnel
    level TEXT NOT NULL,
    title TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX animconnect_objectives_centre ON animconnect_objectives(centre_id);

CREATE TABLE animconnect_sheet_objectives (
    sheet_id BIGINT NOT NULL REFERENCES animconnect_sheets(id) ON DELETE CASCADE,
    objective_id BIGINT NOT NULL REFERENCES animconnect_objectives(id) ON DELETE CASCADE,
    PRIMARY KEY (sheet_id, objective_id)
);

-- The team of a centre: who animates, with what qualification, on which days.
CREATE TABLE animconnect_team (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    -- bafa | fonctionnaire | stagiaire | non-qualifie
    qualification TEXT NOT NULL,
    director BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX animconnect_team_centre ON animconnect_team(centre_id);

CREATE TABLE animconnect_team_days (
    member_id BIGINT NOT NULL REFERENCES animconnect_team(id) ON DELETE CASCADE,
    day DATE NOT NULL,
    PRIMARY KEY (member_id, day)
);
CREATE INDEX animconnect_team_days_day ON animconnect_team_days(day);

-- Who leads a group (an animator edits the planning of the groups they lead).
CREATE TABLE animconnect_group_leads (
    group_id BIGINT NOT NULL REFERENCES activity_groups(id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES animconnect_team(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, member_id)
);

-- A period of planning (« Mercredis de septembre à décembre ») on an activity of the calendar.
CREATE TABLE animconnect_periods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id BIGINT NOT NULL REFERENCES centres(id) ON DELETE CASCADE,
    activity_id BIGINT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    first_day DATE NOT NULL,
    last_day DATE NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX animconnect_periods_centre ON animconnect_periods(centre_id);

-- The time slots of a period's days (accueil, matin, repas, temps calme, après-midi).
CREATE TABLE animconnect_slots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period_id BIGINT NOT NULL REFERENCES animconnect_periods(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    starts_at TIME NOT NULL,
    ends_at TIME NOT NULL,
    -- What this time of the day is, in plain words for families
    explained TEXT NOT NULL DEFAULT ''
);
CREATE INDEX animconnect_slots_period ON animconnect_slots(period_id);

-- A planned session: a group, a day, a slot; a sheet or a free title; a plan B.
CREATE TABLE animconnect_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period_id BIGINT NOT NULL REFERENCES animconnect_periods(id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES activity_groups(id) ON DELETE CASCADE,
    day DATE NOT NULL,
    slot_id BIGINT NOT NULL REFERENCES animconnect_slots(id) ON DELETE CASCADE,
    sheet_id BIGINT REFERENCES animconnect_sheets(id) ON DELETE SET NULL,
    title TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    plan_b_sheet_id BIGINT REFERENCES animconnect_sheets(id) ON DELETE SET NULL,
    notes TEXT NOT NULL DEFAULT '',
    UNIQUE (group_id, day, slot_id)
);
CREATE INDEX animconnect_sessions_period ON animconnect_sessions(period_id, day);
CREATE INDEX animconnect_sessions_sheet ON animconnect_sessions(sheet_id);

CREATE TABLE animconnect_session_leads (
    session_id BIGINT NOT NULL REFERENCES animconnect_sessions(id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES animconnect_team(id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, member_id)
);
CREATE INDEX animconnect_session_leads_member ON animconnect_session_leads(member_id);

CREATE TABLE animconnect_session_objectives (
    session_id BIGINT NOT NULL REFERENCES animconnect_sessions(id) ON DELETE CASCADE,
    objective_id BIGINT NOT NULL REFERENCES animconnect_objectives(id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, objective_id)
);

-- School holidays of zone B added by the federation's admin for school years beyond the data
-- shipped with the suite (crates/calendar/data/vacances-zone-b.csv).
CREATE TABLE animconnect_school_holidays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    first_day DATE NOT NULL,
    last_day DATE NOT NULL,
    created_at TIMESTAMP NOT NULL
);
