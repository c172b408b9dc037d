DROP TABLE members_centre_settings;
DROP TABLE members_consents;
DROP TABLE members_memberships;
DROP TABLE members_household_children;
DROP TABLE members_children;
DROP TABLE members_adults;
DROP TABLE members_households;
