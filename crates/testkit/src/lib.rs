//! Test helpers shared by every app: a fresh database per test on the backend named by
//! `TEST_DATABASE_URL`, the real application on a random port, an HTTP client with cookies, a real
//! SMTP server (aiosmtpd) that a test can stop and restart, and fixtures.

#![allow(clippy::unwrap_used)]

mod app;
mod clickhouse;
mod client;
mod db;
mod smtp;

pub use app::{spawn_app, spawn_app_beside, spawn_app_with, TestApp};
pub use clickhouse::{clickhouse_test_url, ClickHouseServer};
pub use client::{location, TestClient};
pub use db::TestDb;
pub use smtp::SmtpSink;

/// Polls `check` every 100 ms until it gives `Some`, or panics after `secs` seconds.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out after {secs} s waiting for: {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
