-- Statistics (the Matomo replacement): events when no ClickHouse is configured, daily salts of the
-- visitor hash, the spool of batches ClickHouse could not take yet, and counts of dropped events.
CREATE TABLE stats_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id BIGINT NOT NULL,
    ts TIMESTAMP NOT NULL,
    day DATE NOT NULL,
    hour SMALLINT NOT NULL,
    weekday SMALLINT NOT NULL,
    centre_id BIGINT NOT NULL,
    app TEXT NOT NULL,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    device TEXT NOT NULL,
    referrer TEXT NOT NULL,
    visitor BIGINT NOT NULL,
    session BIGINT NOT NULL,
    target TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX stats_events_centre_day ON stats_events(centre_id, day);
CREATE INDEX stats_events_ts ON stats_events(ts);

CREATE TABLE stats_salts (
    day DATE PRIMARY KEY NOT NULL,
    salt TEXT NOT NULL
);

CREATE TABLE stats_spool (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TIMESTAMP NOT NULL,
    events INTEGER NOT NULL,
    payload TEXT NOT NULL
);

CREATE TABLE stats_drops (
    day DATE PRIMARY KEY NOT NULL,
    dropped BIGINT NOT NULL
);
