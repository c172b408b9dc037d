-- Mails the staff may turn off, one row per account and topic turned off (« nouvelle demande de
-- pré-inscription »…): by default every member of the team concerned is told.
CREATE TABLE notification_optouts (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- `app.topic`, as the app declares it
    topic TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, topic)
);
