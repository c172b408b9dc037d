diesel::table! {
    mail_outbox (id) {
        id -> BigInt,
        template -> Text,
        to_addr -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mail_attachments (id) {
        id -> BigInt,
        mail_id -> BigInt,
        filename -> Text,
        content_type -> Text,
        data -> Binary,
    }
}

diesel::joinable!(mail_attachments -> mail_outbox (mail_id));
diesel::allow_tables_to_appear_in_same_query!(mail_outbox, mail_attachments);
