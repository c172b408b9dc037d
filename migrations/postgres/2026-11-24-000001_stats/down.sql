DROP TABLE stats_drops;
DROP TABLE stats_spool;
DROP TABLE stats_salts;
DROP TABLE stats_events;
