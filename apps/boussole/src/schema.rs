//! Tables of the Boussole (see `migrations/*/2026-12-05-000004_boussole`).

diesel::table! {
    boussole_places (id) {
        id -> BigInt,
        ext_id -> Text,
        name -> Text,
        description -> Text,
        address -> Text,
        postcode -> Text,
        commune -> Text,
        commune_code -> Text,
        latitude -> Double,
        longitude -> Double,
        phone -> Text,
        email -> Text,
        website -> Text,
        accessibility -> Text,
        hours -> Text,
        published -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    boussole_services (id) {
        id -> BigInt,
        place_id -> BigInt,
        name -> Text,
        kind -> Text,
        description -> Text,
        themes -> Text,
        age_min -> Integer,
        age_max -> Integer,
        audience -> Text,
        free -> Bool,
        access -> Text,
        languages -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    boussole_closures (id) {
        id -> BigInt,
        place_id -> BigInt,
        start_day -> Date,
        end_day -> Date,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(boussole_services -> boussole_places (place_id));
diesel::joinable!(boussole_closures -> boussole_places (place_id));
diesel::allow_tables_to_appear_in_same_query!(
    boussole_places,
    boussole_services,
    boussole_closures
);

diesel::table! {
    boussole_events (id) {
        id -> BigInt,
        place_id -> Nullable<BigInt>,
        commune_code -> Text,
        title -> Text,
        description -> Text,
        location -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        weekly_count -> Integer,
        exdates -> Text,
        age_min -> Integer,
        age_max -> Integer,
        free -> Bool,
        registration -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}
