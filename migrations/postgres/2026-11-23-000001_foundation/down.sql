DROP TABLE mail_attachments;
DROP TABLE mail_outbox;
DROP TABLE auth_login_failures;
DROP TABLE auth_tokens;
DROP TABLE auth_sessions;
DROP TABLE user_roles;
DROP TABLE users;
DROP TABLE centres;
