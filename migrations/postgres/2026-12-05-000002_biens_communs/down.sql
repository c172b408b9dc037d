DROP TABLE bc_exchanges;
DROP TABLE bc_offers;
DROP TABLE bc_settings;
DROP TABLE bc_entries;
DROP TABLE bc_transfers;
DROP TABLE bc_batches;
DROP TABLE bc_accounts;
DROP TABLE bc_members;
