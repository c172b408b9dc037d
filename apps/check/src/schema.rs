//! Check's tables (see `migrations/*/2026-12-05-000001_check`).

diesel::table! {
    check_imports (id) {
        id -> BigInt,
        centre_id -> BigInt,
        activity_id -> BigInt,
        file_name -> Text,
        created_count -> Integer,
        activity_created -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    check_sessions (session_id) {
        session_id -> BigInt,
        name -> Text,
        name_key -> Text,
        reserved -> Bool,
        closed -> Bool,
        import_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    check_families (id) {
        id -> BigInt,
        centre_id -> BigInt,
        label -> Text,
        label_key -> Text,
        town -> Text,
        qpv -> Text,
        regime -> Text,
        card_token -> Text,
        import_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    check_people (id) {
        id -> BigInt,
        centre_id -> BigInt,
        family_id -> Nullable<BigInt>,
        first_name -> Text,
        last_name -> Text,
        name_key -> Text,
        role -> Text,
        birth_date -> Nullable<Date>,
        age_band -> Text,
        import_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    check_attendance (id) {
        id -> BigInt,
        session_id -> BigInt,
        person_id -> BigInt,
        family_id -> Nullable<BigInt>,
        state -> Text,
        arrived_at -> Nullable<Time>,
        left_at -> Nullable<Time>,
        recorded_at -> Timestamp,
        import_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    check_tallies (session_id, counter) {
        session_id -> BigInt,
        counter -> Text,
        value -> Integer,
    }
}

diesel::table! {
    check_caf_settings (activity_id) {
        activity_id -> BigInt,
        config -> Text,
    }
}

diesel::table! {
    check_centre_settings (centre_id) {
        centre_id -> BigInt,
        retention_years -> Integer,
    }
}

diesel::table! {
    check_aggregates (activity_id, month) {
        activity_id -> BigInt,
        month -> Text,
        report -> Text,
    }
}

// The children of `csc-members` (read only: their names for the roll call's expected list).
diesel::table! {
    members_children (id) {
        id -> BigInt,
        first_name -> Text,
        last_name -> Text,
    }
}

// The calendar's tables (`csc-activities`), declared again here so that Check's queries can
// join them with its own (diesel allows joins between tables of one crate only).
diesel::table! {
    activities (id) {
        id -> BigInt,
        centre_id -> BigInt,
        title -> Text,
        kind -> Text,
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

diesel::joinable!(check_attendance -> check_people (person_id));
diesel::joinable!(check_attendance -> activity_sessions (session_id));
diesel::joinable!(check_sessions -> activity_sessions (session_id));
diesel::joinable!(activity_sessions -> activities (activity_id));
diesel::joinable!(check_people -> check_families (family_id));

diesel::allow_tables_to_appear_in_same_query!(
    check_imports,
    check_sessions,
    check_families,
    check_people,
    check_attendance,
    check_tallies,
    check_caf_settings,
    check_centre_settings,
    check_aggregates,
    members_children,
    activities,
    activity_sessions,
);
