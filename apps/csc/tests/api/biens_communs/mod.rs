//! Biens communs: the hours ledger through the JSON API (sequences, refusals, reversals, the
//! solidarity pot, batches, idempotency, concurrency), and the pages.

mod api;
mod concurrency;
mod lending;
mod pages;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{World, PASSWORD};

/// A Bearer token of `email`.
pub async fn token(w: &World, email: &str) -> String {
    let res = w
        .app
        .http
        .post(w.app.url("/api/v1/jetons"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A client of the API with a token.
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
}

impl Api {
    pub async fn new(w: &World, email: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: w.app.url("/api/v1/biens-communs"),
            token: token(w, email).await,
        }
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// Opens an account of centre A; returns its id.
    pub async fn account(
        &self,
        name: &str,
        floor: i64,
        ceiling: Option<i64>,
        cap: Option<i64>,
    ) -> i64 {
        let (status, body) = self
            .post(
                "/comptes",
                json!({ "centre": "centre-a", "nom": name, "plancher_minutes": floor,
                        "plafond_minutes": ceiling, "quota_max_minutes": cap }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["id"].as_i64().unwrap()
    }

    /// (solde, plancher, disponible) of an account.
    pub async fn state(&self, id: i64) -> (i64, i64, i64) {
        let (status, b) = self.get(&format!("/comptes/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        (
            b["solde"].as_i64().unwrap(),
            b["plancher"].as_i64().unwrap(),
            b["disponible"].as_i64().unwrap(),
        )
    }

    /// A transfer: (status, body).
    pub async fn pay(
        &self,
        from: i64,
        to: i64,
        minutes: i64,
        key: Option<&str>,
    ) -> (StatusCode, Value) {
        self.post(
            "/virements",
            json!({ "payeur": from, "beneficiaire": to, "minutes": minutes, "motif": "service", "cle": key }),
        )
        .await
    }
}

/// The invariants of the whole ledger: every balance sums to 0, each stored balance is the sum of
/// its entries, each transfer has two entries summing to 0, no account past a limit.
pub async fn assert_invariants(w: &World) {
    let (sum, drift, unbalanced, past) = w
        .app
        .db
        .run(|c| {
            csc_biens_communs::ledger::check_invariants(c)
                .map_err(|e| csc_core::AppError::internal(format!("{e:?}")))
        })
        .await
        .unwrap();
    assert_eq!(
        (sum, drift, unbalanced, past),
        (0, 0, 0, 0),
        "sum, drift, unbalanced, past limits"
    );
}
