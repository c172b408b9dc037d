DROP TABLE preinscription_lines;
DROP TABLE preinscription_requests;
DROP TABLE preinscription_places;
DROP TABLE preinscription_groups;
DROP TABLE preinscription_activities;
DROP TABLE preinscription_grids;
