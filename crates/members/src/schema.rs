//! Tables of the families (see `migrations/*/2026-11-26-000001_members`).

diesel::table! {
    members_households (id) {
        id -> BigInt,
        centre_id -> BigInt,
        user_id -> Nullable<BigInt>,
        token_hash -> Text,
        address -> Text,
        postcode -> Text,
        town -> Text,
        scheme -> Text,
        allocataire -> Text,
        qf -> Nullable<Integer>,
        qf_date -> Nullable<Date>,
        qf_proof -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    members_adults (id) {
        id -> BigInt,
        household_id -> BigInt,
        position -> Integer,
        first_name -> Text,
        last_name -> Text,
        email -> Text,
        phone -> Text,
        relation -> Text,
    }
}

diesel::table! {
    members_children (id) {
        id -> BigInt,
        first_name -> Text,
        last_name -> Text,
        birth_date -> Date,
        disability -> Bool,
        health -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    members_household_children (household_id, child_id) {
        household_id -> BigInt,
        child_id -> BigInt,
    }
}

diesel::table! {
    members_memberships (id) {
        id -> BigInt,
        household_id -> BigInt,
        centre_id -> BigInt,
        kind -> Text,
        starts_on -> Date,
        ends_on -> Date,
        fee_cents -> BigInt,
        status -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    members_consents (id) {
        id -> BigInt,
        household_id -> BigInt,
        purpose -> Text,
        given_at -> Timestamp,
    }
}

diesel::table! {
    members_centre_settings (centre_id) {
        centre_id -> BigInt,
        membership_validity -> Text,
    }
}

diesel::joinable!(members_adults -> members_households (household_id));
diesel::joinable!(members_household_children -> members_households (household_id));
diesel::joinable!(members_household_children -> members_children (child_id));
diesel::joinable!(members_memberships -> members_households (household_id));
diesel::joinable!(members_consents -> members_households (household_id));

diesel::allow_tables_to_appear_in_same_query!(
    members_households,
    members_adults,
    members_children,
    members_household_children,
    members_memberships,
    members_consents,
    members_centre_settings,
);
