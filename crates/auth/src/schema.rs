diesel::table! {
    centres (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        address -> Text,
        postcode -> Text,
        city -> Text,
        phone -> Text,
        email -> Text,
        website -> Text,
        logo -> Nullable<Binary>,
        logo_type -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        display_name -> Text,
        password_hash -> Nullable<Text>,
        is_admin -> Bool,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_roles (user_id, centre_id, role) {
        user_id -> BigInt,
        centre_id -> BigInt,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    auth_sessions (id) {
        id -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    auth_tokens (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        purpose -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    auth_login_failures (id) {
        id -> BigInt,
        account -> Text,
        client -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    notification_optouts (user_id, topic) {
        user_id -> BigInt,
        topic -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(user_roles -> centres (centre_id));
diesel::joinable!(notification_optouts -> users (user_id));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(auth_sessions -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    notification_optouts,
    centres,
    users,
    user_roles,
    auth_sessions,
    auth_tokens
);
