//! Tables of the pre-registration (see `migrations/*/2026-11-26-000002_preinscription`).

diesel::table! {
    preinscription_grids (id) {
        id -> BigInt,
        centre_id -> BigInt,
        name -> Text,
        spec -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    preinscription_activities (id) {
        id -> BigInt,
        centre_id -> BigInt,
        title -> Text,
        kind -> Text,
        description -> Text,
        grid_id -> BigInt,
        units -> Text,
        days -> Text,
        resident_postcodes -> Text,
        open -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    preinscription_groups (id) {
        id -> BigInt,
        activity_id -> BigInt,
        label -> Text,
        age_min -> Integer,
        age_max -> Integer,
        capacity -> Integer,
    }
}

diesel::table! {
    preinscription_places (group_id, day) {
        group_id -> BigInt,
        day -> Date,
        capacity -> Integer,
        taken -> Integer,
    }
}

diesel::table! {
    preinscription_requests (id) {
        id -> BigInt,
        centre_id -> BigInt,
        household_id -> BigInt,
        activity_id -> BigInt,
        token_hash -> Text,
        status -> Text,
        total_cents -> BigInt,
        staff_note -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    preinscription_lines (id) {
        id -> BigInt,
        request_id -> BigInt,
        child_id -> BigInt,
        group_id -> BigInt,
        day -> Date,
        unit -> Text,
        price_cents -> BigInt,
        band -> Text,
        explanation -> Text,
        state -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(preinscription_activities -> preinscription_grids (grid_id));
diesel::joinable!(preinscription_groups -> preinscription_activities (activity_id));
diesel::joinable!(preinscription_places -> preinscription_groups (group_id));
diesel::joinable!(preinscription_lines -> preinscription_requests (request_id));
diesel::joinable!(preinscription_lines -> preinscription_groups (group_id));
diesel::joinable!(preinscription_requests -> preinscription_activities (activity_id));

diesel::allow_tables_to_appear_in_same_query!(
    preinscription_grids,
    preinscription_activities,
    preinscription_groups,
    preinscription_places,
    preinscription_requests,
    preinscription_lines,
);
