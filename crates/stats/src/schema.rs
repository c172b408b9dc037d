diesel::table! {
    stats_events (id) {
        id -> BigInt,
        event_id -> BigInt,
        ts -> Timestamp,
        day -> Date,
        hour -> SmallInt,
        weekday -> SmallInt,
        centre_id -> BigInt,
        app -> Text,
        kind -> Text,
        path -> Text,
        status -> Integer,
        device -> Text,
        referrer -> Text,
        visitor -> BigInt,
        session -> BigInt,
        target -> Text,
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    stats_salts (day) {
        day -> Date,
        salt -> Text,
    }
}

diesel::table! {
    stats_spool (id) {
        id -> BigInt,
        created_at -> Timestamp,
        events -> Integer,
        payload -> Text,
    }
}

diesel::table! {
    stats_drops (day) {
        day -> Date,
        dropped -> BigInt,
    }
}
