//! Tables of Anim'Connect (see `migrations/*/2026-12-05-000005_animconnect`).

diesel::table! {
    animconnect_sheets (id) {
        id -> BigInt,
        centre_id -> BigInt,
        author_id -> Nullable<BigInt>,
        author_name -> Text,
        title -> Text,
        summary -> Text,
        kind -> Text,
        theme -> Text,
        age_min -> Integer,
        age_max -> Integer,
        group_min -> Integer,
        group_max -> Integer,
        duration -> Integer,
        setup -> Integer,
        tidy -> Integer,
        place -> Text,
        rainy_day -> Bool,
        animators -> Integer,
        tags -> Text,
        visibility -> Text,
        forked_from -> Nullable<BigInt>,
        credit -> Text,
        search -> Text,
        uses -> Integer,
        rating_sum -> Integer,
        rating_count -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    animconnect_sheet_notes (sheet_id) {
        sheet_id -> BigInt,
        variants -> Text,
        adaptations -> Text,
        dangers -> Text,
        measures -> Text,
        cancel_when -> Text,
        evaluation -> Text,
    }
}

diesel::table! {
    animconnect_sheet_materials (id) {
        id -> BigInt,
        sheet_id -> BigInt,
        position -> Integer,
        article -> Text,
        quantity -> Integer,
        unit -> Text,
    }
}

diesel::table! {
    animconnect_sheet_steps (id) {
        id -> BigInt,
        sheet_id -> BigInt,
        position -> Integer,
        timing -> Text,
        what -> Text,
        who -> Text,
    }
}

diesel::table! {
    animconnect_sheet_photos (id) {
        id -> BigInt,
        sheet_id -> BigInt,
        content_type -> Text,
        bytes -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    animconnect_ratings (sheet_id, user_id) {
        sheet_id -> BigInt,
        user_id -> BigInt,
        author_name -> Text,
        centre_name -> Text,
        stars -> Integer,
        comment -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    animconnect_centres (centre_id) {
        centre_id -> BigInt,
        pedt -> Bool,
        project_summary -> Text,
    }
}

diesel::table! {
    animconnect_objectives (id) {
        id -> BigInt,
        centre_id -> BigInt,
        parent_id -> Nullable<BigInt>,
        level -> Text,
        title -> Text,
        position -> Integer,
    }
}

diesel::table! {
    animconnect_sheet_objectives (sheet_id, objective_id) {
        sheet_id -> BigInt,
        objective_id -> BigInt,
    }
}

diesel::table! {
    animconnect_team (id) {
        id -> BigInt,
        centre_id -> BigInt,
        user_id -> Nullable<BigInt>,
        name -> Text,
        qualification -> Text,
        director -> Bool,
    }
}

diesel::table! {
    animconnect_team_days (member_id, day) {
        member_id -> BigInt,
        day -> Date,
    }
}

diesel::table! {
    animconnect_group_leads (group_id, member_id) {
        group_id -> BigInt,
        member_id -> BigInt,
    }
}

diesel::table! {
    animconnect_periods (id) {
        id -> BigInt,
        centre_id -> BigInt,
        activity_id -> BigInt,
        title -> Text,
        first_day -> Date,
        last_day -> Date,
        created_at -> Timestamp,
    }
}

diesel::table! {
    animconnect_slots (id) {
        id -> BigInt,
        period_id -> BigInt,
        position -> Integer,
        label -> Text,
        starts_at -> Time,
        ends_at -> Time,
        explained -> Text,
    }
}

diesel::table! {
    animconnect_sessions (id) {
        id -> BigInt,
        period_id -> BigInt,
        group_id -> BigInt,
        day -> Date,
        slot_id -> BigInt,
        sheet_id -> Nullable<BigInt>,
        title -> Text,
        place -> Text,
        plan_b_sheet_id -> Nullable<BigInt>,
        notes -> Text,
    }
}

diesel::table! {
    animconnect_session_leads (session_id, member_id) {
        session_id -> BigInt,
        member_id -> BigInt,
    }
}

diesel::table! {
    animconnect_session_objectives (session_id, objective_id) {
        session_id -> BigInt,
        objective_id -> BigInt,
    }
}

diesel::table! {
    animconnect_school_holidays (id) {
        id -> BigInt,
        name -> Text,
        first_day -> Date,
        last_day -> Date,
        created_at -> Timestamp,
    }
}

diesel::joinable!(animconnect_sheet_notes -> animconnect_sheets (sheet_id));
diesel::joinable!(animconnect_sheet_materials -> animconnect_sheets (sheet_id));
diesel::joinable!(animconnect_sheet_steps -> animconnect_sheets (sheet_id));
diesel::joinable!(animconnect_sheet_photos -> animconnect_sheets (sheet_id));
diesel::joinable!(animconnect_ratings -> animconnect_sheets (sheet_id));
diesel::joinable!(animconnect_sheet_objectives -> animconnect_objectives (objective_id));
diesel::joinable!(animconnect_team_days -> animconnect_team (member_id));
diesel::joinable!(animconnect_slots -> animconnect_periods (period_id));
diesel::joinable!(animconnect_sessions -> animconnect_slots (slot_id));
diesel::joinable!(animconnect_session_leads -> animconnect_team (member_id));
diesel::joinable!(animconnect_session_leads -> animconnect_sessions (session_id));
diesel::joinable!(animconnect_group_leads -> animconnect_team (member_id));
diesel::joinable!(animconnect_session_objectives -> animconnect_objectives (objective_id));

diesel::allow_tables_to_appear_in_same_query!(
    animconnect_sheets,
    animconnect_sheet_notes,
    animconnect_sheet_materials,
    animconnect_sheet_steps,
    animconnect_sheet_photos,
    animconnect_ratings,
    animconnect_centres,
    animconnect_objectives,
    animconnect_sheet_objectives,
    animconnect_team,
    animconnect_team_days,
    animconnect_group_leads,
    animconnect_periods,
    animconnect_slots,
    animconnect_sessions,
    animconnect_session_leads,
    animconnect_session_objectives,
);
