//! Tables of the glossary (see `migrations/*/2026-12-05-000003_glossaire`).

diesel::table! {
    glossaire_revision (id) {
        id -> Integer,
        revision -> BigInt,
    }
}

diesel::table! {
    glossaire_structures (id) {
        id -> BigInt,
        centre_id -> BigInt,
        description -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    glossaire_lexicons (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        description -> Text,
        structure_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    glossaire_entries (id) {
        id -> BigInt,
        lexicon_id -> BigInt,
        term -> Text,
        norm -> Text,
        phon -> Text,
        published -> Nullable<Integer>,
        understood -> BigInt,
        not_understood -> BigInt,
        illustration -> Nullable<Binary>,
        illustration_type -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    glossaire_aliases (id) {
        id -> BigInt,
        entry_id -> BigInt,
        alias -> Text,
        norm -> Text,
        phon -> Text,
    }
}

diesel::table! {
    glossaire_workshops (id) {
        id -> BigInt,
        structure_id -> BigInt,
        title -> Text,
        leader_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    glossaire_contributors (id) {
        id -> BigInt,
        workshop_id -> BigInt,
        first_name -> Text,
        initial -> Text,
        age_band -> Text,
        authorised -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    glossaire_requests (id) {
        id -> BigInt,
        lexicon_id -> BigInt,
        text -> Text,
        norm -> Text,
        times -> BigInt,
        status -> Text,
        workshop_id -> Nullable<BigInt>,
        claimed_at -> Nullable<Timestamp>,
        entry_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        last_asked_at -> Timestamp,
        digested_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    glossaire_drafts (id) {
        id -> BigInt,
        workshop_id -> BigInt,
        lexicon_id -> BigInt,
        request_id -> Nullable<BigInt>,
        term -> Text,
        aliases -> Text,
        word_class -> Text,
        definition -> Text,
        example -> Text,
        related -> Text,
        category -> Text,
        status -> Text,
        comment -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    glossaire_draft_authors (draft_id, contributor_id) {
        draft_id -> BigInt,
        contributor_id -> BigInt,
    }
}

diesel::table! {
    glossaire_versions (id) {
        id -> BigInt,
        entry_id -> BigInt,
        number -> Integer,
        word_class -> Text,
        definition -> Text,
        example -> Text,
        related -> Text,
        category -> Text,
        structure_id -> Nullable<BigInt>,
        draft_id -> Nullable<BigInt>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    glossaire_digests (day) {
        day -> Date,
        requests -> BigInt,
        sent_at -> Timestamp,
    }
}

diesel::joinable!(glossaire_aliases -> glossaire_entries (entry_id));
diesel::joinable!(glossaire_entries -> glossaire_lexicons (lexicon_id));
diesel::joinable!(glossaire_versions -> glossaire_entries (entry_id));
diesel::joinable!(glossaire_lexicons -> glossaire_structures (structure_id));
diesel::joinable!(glossaire_workshops -> glossaire_structures (structure_id));
diesel::joinable!(glossaire_contributors -> glossaire_workshops (workshop_id));
diesel::joinable!(glossaire_drafts -> glossaire_workshops (workshop_id));
diesel::joinable!(glossaire_draft_authors -> glossaire_drafts (draft_id));
diesel::joinable!(glossaire_draft_authors -> glossaire_contributors (contributor_id));
diesel::joinable!(glossaire_requests -> glossaire_lexicons (lexicon_id));
diesel::joinable!(glossaire_requests -> glossaire_workshops (workshop_id));
diesel::allow_tables_to_appear_in_same_query!(
    glossaire_revision,
    glossaire_structures,
    glossaire_lexicons,
    glossaire_entries,
    glossaire_aliases,
    glossaire_workshops,
    glossaire_contributors,
    glossaire_requests,
    glossaire_drafts,
    glossaire_draft_authors,
    glossaire_versions,
    glossaire_digests,
);
