DROP TABLE boussole_events;
DROP TABLE boussole_closures;
DROP TABLE boussole_services;
DROP TABLE boussole_places;
