//! Tables of the pre-registration (see `migrations/*/2026-11-26-000002_preinscription` and
//! `…/2026-12-04-000002_activities`). Activities, groups, seats and registrations are the
//! shared calendar's (`csc_activities::schema`).

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
    preinscription_offers (activity_id) {
        activity_id -> BigInt,
        grid_id -> BigInt,
        units -> Text,
        resident_postcodes -> Text,
        open -> Bool,
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
        registration_id -> BigInt,
        unit -> Text,
        price_cents -> BigInt,
        band -> Text,
        explanation -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(preinscription_offers -> preinscription_grids (grid_id));
diesel::joinable!(preinscription_lines -> preinscription_requests (request_id));

// The shared calendar's tables are another crate's: they are read with their own queries
// (diesel's joins across crates would need impls that the orphan rule forbids).
diesel::allow_tables_to_appear_in_same_query!(
    preinscription_grids,
    preinscription_offers,
    preinscription_requests,
    preinscription_lines,
);
