//! The limits under concurrency, on whichever backend the tests run.

use futures_util::future::join_all;
use futures_util::StreamExt;
use reqwest::StatusCode;

use super::{assert_invariants, Api};
use crate::helpers::{scalar, world};

#[actix_web::test]
async fn a_hundred_concurrent_transfers_pass_only_as_far_as_the_floor() {
    let w = world().await;
    let api = Api::new(&w, "referent.a@exemple.fr").await;
    // 10 minutes affordable: exactly 10 one-minute transfers pass.
    let payer = api.account("Payeur", 10, None, None).await;
    let payee = api.account("Bénéficiaire", 0, None, None).await;
    let answers = join_all((0..100).map(|_| {
        let api = api.clone();
        async move { api.pay(payer, payee, 1, None).await.0 }
    }))
    .await;
    let passed = answers
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let refused = answers
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    assert_eq!((passed, refused), (10, 90), "{answers:?}");
    assert_eq!(api.state(payer).await, (-10, 10, 0));
    assert_eq!(api.state(payee).await, (10, 0, 10));
    assert_invariants(&w).await;
}

#[actix_web::test]
async fn a_ring_of_ten_members_sends_a_thousand_transfers_at_once() {
    let w = world().await;
    let api = Api::new(&w, "referent.a@exemple.fr").await;
    let mut ring = Vec::new();
    for i in 0..10 {
        ring.push(
            api.account(&format!("Membre {i}"), 300, None, Some(600))
                .await,
        );
    }
    // 100 one-minute transfers from each member to the next, all at once (32 in flight).
    let jobs: Vec<(i64, i64)> = (0..1000)
        .map(|n| (ring[n % 10], ring[(n + 1) % 10]))
        .collect();
    let api2 = api.clone();
    let answers: Vec<StatusCode> = futures_util::stream::iter(jobs)
        .map(|(from, to)| {
            let api = api2.clone();
            async move { api.pay(from, to, 1, None).await.0 }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    let wrong: Vec<_> = answers
        .iter()
        .filter(|s| **s != StatusCode::CREATED)
        .collect();
    assert!(wrong.is_empty(), "{} not created: {wrong:?}", wrong.len());
    for id in &ring {
        let (solde, _, _) = api.state(*id).await;
        assert_eq!(solde, 0);
    }
    assert_eq!(
        scalar(&w.app, "SELECT COUNT(*) FROM bc_transfers").await,
        1000
    );
    assert_eq!(
        scalar(&w.app, "SELECT COUNT(*) FROM bc_entries").await,
        2000
    );
    assert_invariants(&w).await;
}

#[actix_web::test]
async fn twenty_submissions_of_one_key_make_one_transfer() {
    let w = world().await;
    let api = Api::new(&w, "referent.a@exemple.fr").await;
    let a = api.account("A", 300, None, None).await;
    let b = api.account("B", 300, None, None).await;
    let answers = join_all((0..20).map(|_| {
        let api = api.clone();
        async move { api.pay(a, b, 45, Some("formulaire-7f3a")).await }
    }))
    .await;
    let created = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    let replayed = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!((created, replayed), (1, 19), "{answers:?}");
    let ids: std::collections::HashSet<i64> = answers
        .iter()
        .map(|(_, b)| b["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(api.state(a).await, (-45, 300, 255));
    assert_eq!(scalar(&w.app, "SELECT COUNT(*) FROM bc_transfers").await, 1);
    assert_invariants(&w).await;
}
