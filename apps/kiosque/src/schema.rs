//! Tables of the kiosque (see `migrations/*/2026-11-25-000001_kiosque`).

diesel::table! {
    kiosque_themes (id) {
        id -> BigInt,
        slug -> Text,
        title -> Text,
        icon -> Text,
        position -> Integer,
    }
}

diesel::table! {
    kiosque_procedures (id) {
        id -> BigInt,
        slug -> Text,
        theme_id -> BigInt,
        title -> Text,
        description -> Text,
        url -> Text,
        operator -> Text,
        keywords -> Text,
        icon -> Text,
        purpose -> Text,
        documents -> Text,
        steps -> Text,
        help -> Text,
        position -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    kiosque_guide_overrides (centre_id, procedure_id) {
        centre_id -> BigInt,
        procedure_id -> BigInt,
        purpose -> Text,
        documents -> Text,
        steps -> Text,
        help -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    kiosque_portals (centre_id) {
        centre_id -> BigInt,
        welcome -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    kiosque_choices (centre_id, procedure_id) {
        centre_id -> BigInt,
        procedure_id -> BigInt,
        hidden -> Bool,
        pinned -> Bool,
        position -> Nullable<Integer>,
    }
}

diesel::table! {
    kiosque_local_links (id) {
        id -> BigInt,
        centre_id -> BigInt,
        theme_id -> Nullable<BigInt>,
        title -> Text,
        description -> Text,
        url -> Text,
        pinned -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    kiosque_kiosks (id) {
        id -> BigInt,
        centre_id -> BigInt,
        name -> Text,
        token -> Text,
        inactivity_seconds -> Integer,
        warning_seconds -> Integer,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    kiosque_help_places (id) {
        id -> BigInt,
        centre_id -> BigInt,
        name -> Text,
        kind -> Text,
        address -> Text,
        postcode -> Text,
        city -> Text,
        phone -> Text,
        email -> Text,
        website -> Text,
        hours -> Text,
        services -> Text,
        accessibility -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    kiosque_workshops (id) {
        id -> BigInt,
        centre_id -> BigInt,
        title -> Text,
        topic -> Text,
        level -> Text,
        starts_at -> Timestamp,
        duration_minutes -> Integer,
        place -> Text,
        seats -> Integer,
        description -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    kiosque_signups (id) {
        id -> BigInt,
        workshop_id -> BigInt,
        first_name -> Text,
        phone -> Text,
        email -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    kiosque_link_checks (url) {
        url -> Text,
        ok -> Bool,
        status -> Nullable<Integer>,
        detail -> Text,
        checked_at -> Timestamp,
    }
}

diesel::joinable!(kiosque_procedures -> kiosque_themes (theme_id));
diesel::joinable!(kiosque_signups -> kiosque_workshops (workshop_id));
diesel::allow_tables_to_appear_in_same_query!(
    kiosque_themes,
    kiosque_procedures,
    kiosque_guide_overrides,
    kiosque_choices,
    kiosque_workshops,
    kiosque_signups,
);
