//! Tables of Biens communs (see `migrations/*/2026-12-05-000002_biens_communs`).

diesel::table! {
    bc_members (id) {
        id -> BigInt,
        centre_id -> BigInt,
        user_id -> Nullable<BigInt>,
        first_name -> Text,
        last_name -> Text,
        neighbourhood -> Text,
        contact -> Text,
        contact_detail -> Text,
        profession -> Text,
        status -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bc_accounts (id) {
        id -> BigInt,
        centre_id -> BigInt,
        kind -> Text,
        member_id -> Nullable<BigInt>,
        name -> Text,
        balance -> BigInt,
        floor_minutes -> Nullable<BigInt>,
        ceiling_minutes -> Nullable<BigInt>,
        quota_max_minutes -> Nullable<BigInt>,
        status -> Text,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    bc_batches (id) {
        id -> BigInt,
        centre_id -> BigInt,
        idem_key -> Nullable<Text>,
        fingerprint -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bc_transfers (id) {
        id -> BigInt,
        centre_id -> BigInt,
        kind -> Text,
        payer_id -> BigInt,
        payee_id -> BigInt,
        minutes -> BigInt,
        reason -> Text,
        idem_key -> Nullable<Text>,
        fingerprint -> Text,
        batch_id -> Nullable<BigInt>,
        reverses_id -> Nullable<BigInt>,
        floor_raise -> BigInt,
        channel -> Text,
        cheque_number -> Nullable<Text>,
        recorded_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bc_entries (id) {
        id -> BigInt,
        transfer_id -> BigInt,
        account_id -> BigInt,
        minutes -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bc_settings (centre_id) {
        centre_id -> BigInt,
        default_floor -> BigInt,
        default_quota_max -> Nullable<BigInt>,
        alert_minutes -> BigInt,
        closed_weekdays -> Text,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(bc_entries -> bc_transfers (transfer_id));

diesel::table! {
    bc_offers (id) {
        id -> BigInt,
        centre_id -> BigInt,
        member_id -> BigInt,
        kind -> Text,
        category -> Text,
        title -> Text,
        tags -> Text,
        availability -> Text,
        status -> Text,
        review_reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bc_exchanges (id) {
        id -> BigInt,
        centre_id -> BigInt,
        offer_id -> Nullable<BigInt>,
        giver_id -> BigInt,
        receiver_id -> BigInt,
        minutes -> BigInt,
        description -> Text,
        status -> Text,
        giver_confirmed -> Bool,
        receiver_confirmed -> Bool,
        transfer_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    bc_item_classes (id) {
        id -> BigInt,
        centre_id -> BigInt,
        name -> Text,
        loan_days -> Integer,
        renewals_allowed -> Integer,
        max_per_member -> Integer,
        hold_days -> Integer,
        loan_minutes -> BigInt,
    }
}

diesel::table! {
    bc_items (id) {
        id -> BigInt,
        centre_id -> BigInt,
        class_id -> BigInt,
        owner_member_id -> Nullable<BigInt>,
        name -> Text,
        condition_notes -> Text,
        photos -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bc_loans (id) {
        id -> BigInt,
        item_id -> BigInt,
        member_id -> BigInt,
        started_on -> Date,
        due_on -> Date,
        returned_on -> Nullable<Date>,
        renewals -> Integer,
        condition_out -> Text,
        condition_in -> Text,
        reminded_before -> Bool,
        reminded_late -> Bool,
    }
}

diesel::table! {
    bc_holds (id) {
        id -> BigInt,
        item_id -> BigInt,
        member_id -> BigInt,
        status -> Text,
        ready_on -> Nullable<Date>,
        expires_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(bc_loans -> bc_items (item_id));
diesel::joinable!(bc_holds -> bc_items (item_id));
diesel::joinable!(bc_items -> bc_item_classes (class_id));
diesel::joinable!(bc_offers -> bc_members (member_id));
diesel::allow_tables_to_appear_in_same_query!(
    bc_members,
    bc_accounts,
    bc_batches,
    bc_transfers,
    bc_entries,
    bc_settings,
    bc_offers,
    bc_exchanges,
    bc_item_classes,
    bc_items,
    bc_loans,
    bc_holds,
);
