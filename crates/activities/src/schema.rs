//! Tables of the shared calendar (see `migrations/*/2026-12-04-000002_activities`).

diesel::table! {
    activities (id) {
        id -> BigInt,
        centre_id -> BigInt,
        title -> Text,
        kind -> Text,
        description -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    activity_groups (id) {
        id -> BigInt,
        activity_id -> BigInt,
        label -> Text,
        age_min -> Integer,
        age_max -> Integer,
        capacity -> Integer,
    }
}

diesel::table! {
    activity_sessions (id) {
        id -> BigInt,
        activity_id -> BigInt,
        day -> Date,
        starts_at -> Nullable<Time>,
        ends_at -> Nullable<Time>,
    }
}

diesel::table! {
    activity_seats (group_id, day) {
        group_id -> BigInt,
        day -> Date,
        capacity -> Integer,
        taken -> Integer,
    }
}

diesel::table! {
    activity_registrations (id) {
        id -> BigInt,
        group_id -> BigInt,
        day -> Date,
        child_id -> BigInt,
        state -> Text,
        confirmed -> Bool,
        app -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(activity_groups -> activities (activity_id));
diesel::joinable!(activity_sessions -> activities (activity_id));
diesel::joinable!(activity_seats -> activity_groups (group_id));
diesel::joinable!(activity_registrations -> activity_groups (group_id));

diesel::allow_tables_to_appear_in_same_query!(
    activities,
    activity_groups,
    activity_sessions,
    activity_seats,
    activity_registrations,
);
