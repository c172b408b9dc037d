//! Boussole parentale: the directory and map of parenting support of the territory (places,
//! services, opening hours, near-me search), for parents and the network's actors.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod hours;

/// Where the app is mounted: every URL of the app is built from it.
pub const MOUNT: &str = "/boussole";

/// Now, in Paris local time (the hours of places are local).
pub fn paris_now() -> chrono::NaiveDateTime {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .naive_local()
}
