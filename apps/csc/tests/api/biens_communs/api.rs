//! The hours ledger through `/api/v1/biens-communs`: worked sequences, refusals, reversals, the
//! solidarity pot, batches, idempotency and who may use it.

use reqwest::StatusCode;
use serde_json::json;

use super::{assert_invariants, Api};
use crate::helpers::{scalar, world};

fn code(body: &serde_json::Value) -> &str {
    body["code"].as_str().unwrap_or_default()
}

#[actix_web::test]
async fn floors_ceilings_and_give_to_earn_step_by_step() {
    let w = world().await;
    let api = Api::new(&w, "referent.a@exemple.fr").await;
    // A: may go 5 h below zero, a floor that grows up to 10 h; B: 5 h, never grows; C: no
    // floor, at most 2 h on the account.
    let a = api.account("Aïcha B.", 300, None, Some(600)).await;
    let b = api.account("Bernard L.", 300, None, None).await;
    let c = api.account("Chloé D.", 0, Some(120), None).await;
    assert_eq!(api.state(a).await, (0, 300, 300));

    // B gives A an hour of service: A's floor grows by the hour A gave (A received it).
    assert_eq!(api.pay(b, a, 60, None).await.0, StatusCode::CREATED);
    assert_eq!(api.state(b).await, (-60, 300, 240));
    assert_eq!(api.state(a).await, (60, 360, 420));

    // A spends all that is available: reaching the floor exactly is allowed.
    assert_eq!(api.pay(a, b, 420, None).await.0, StatusCode::CREATED);
    assert_eq!(api.state(a).await, (-360, 360, 0));
    assert_eq!(
        api.state(b).await,
        (360, 300, 660),
        "no cap: B's floor stays"
    );
    // One minute more is refused, and nothing moves.
    let (status, body) = api.pay(a, b, 1, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code(&body), "solde_insuffisant");
    assert!(body["message"].as_str().unwrap().contains("plancher"));
    assert_eq!(api.state(a).await, (-360, 360, 0));
    assert_eq!(api.state(b).await, (360, 300, 660));

    // The floor grows up to its cap, no further.
    assert_eq!(api.pay(b, a, 300, None).await.0, StatusCode::CREATED);
    assert_eq!(
        api.state(a).await,
        (-60, 600, 540),
        "360 + 300 capped at 600"
    );
    assert_eq!(api.pay(b, a, 60, None).await.0, StatusCode::CREATED);
    assert_eq!(api.state(a).await, (0, 600, 600));
    assert_eq!(api.state(b).await, (0, 300, 300));

    // The ceiling, inclusive.
    assert_eq!(api.pay(b, c, 120, None).await.0, StatusCode::CREATED);
    assert_eq!(api.state(c).await, (120, 0, 120));
    let (status, body) = api.pay(b, c, 1, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code(&body), "plafond_atteint");
    assert_eq!(api.state(b).await, (-120, 300, 180));
    // C may spend down to 0 exactly, not below.
    assert_eq!(api.pay(c, b, 120, None).await.0, StatusCode::CREATED);
    assert_eq!(code(&api.pay(c, b, 1, None).await.1), "solde_insuffisant");
    let (_, shown) = api.get(&format!("/comptes/{c}")).await;
    assert_eq!(
        (
            shown["plafond"].clone(),
            shown["quota_max"].clone(),
            shown["plancher"].clone()
        ),
        (json!(120), json!(null), json!(0))
    );
    assert_invariants(&w).await;
}

#[actix_web::test]
async fn a_reversal_undoes_a_transfer_once_and_never_raises_a_floor() {
    let w = world().await;
    let api = Api::new(&w, "referent.a@exemple.fr").await;
    let a = api.account("A", 300, None, Some(600)).await;
    let b = api.account("B", 300, None, Some(600)).await;
    let (_, first) = api.pay(b, a, 120, None).await;
    let first = first["id"].as_i64().unwrap();
    assert_eq!(api.state(a).await, (120, 420, 540));
    assert_eq!(api.state(b).await, (-120, 300, 180));

    let (status, body) = api
        .post(&format!("/virements/{first}/annulation"), json!({}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let reversal = body["id"].as_i64().unwrap();
    // Back where they were: A's growth undone, B's floor not raised by getting its hours back.
    assert_eq!(api.state(a).await, (0, 300, 300));
    assert_eq!(api.state(b).await, (0, 300, 300));

    // At most once, and a reversal is not reversed.
    let (status, body) = api
        .post(&format!("/virements/{first}/annulation"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "deja_annule")
    );
    let (status, body) = api
        .post(&format!("/virements/{reversal}/annulation"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "deja_annule")
    );
    let (status, _) = api.post("/virements/999999/annulation", json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A reversal respects the floor: A received 60 and spent everything it could.
    let (_, t) = api.pay(b, a, 60, None).await;
    let t = t["id"].as_i64().unwrap();
    assert_eq!(api.state(a).await, (60, 360, 420));
    assert_eq!(api.pay(a, b, 420, None).await.0, StatusCode::CREATED);
    let (status, body) = api
        .post(&format!("/virements/{t}/annulation"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "solde_insuffisant")
    );
    assert_eq!(api.state(a).await, (-360, 360, 0), "nothing changed");
    // Nothing is ever deleted: 4 transfers (the first, its reversal, two more), 8 entries.
    assert_eq!(scalar(&w.app, "SELECT COUNT(*) FROM bc_transfers").await, 4);
    assert_eq!(scalar(&w.app, "SELECT COUNT(*) FROM bc_entries").await, 8);
    assert_invariants(&w).await;
}

#[actix_web::test]
async fn refusals_have_stable_codes_and_change_nothing() {
    let w = world().await;
    let api = Api::new(&w, "referent.a@exemple.fr").await;
    let a = api.account("A", 300, None, None).await;
    let b = api.account("B", 300, None, None).await;
    let (status, body) = api.pay(a, a, 60, None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "meme_compte")
    );
    for minutes in [
        json!(0),
        json!(-30),
        json!(1.5),
        json!("60"),
        json!(null),
        json!(60_001),
    ] {
        let (status, body) = api
            .post(
                "/virements",
                json!({ "payeur": a, "beneficiaire": b, "minutes": minutes }),
            )
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "montant_invalide"),
            "{minutes}"
        );
    }
    let (status, body) = api.pay(a, 999_999, 60, None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "compte_inconnu")
    );

    // The same key with the same content: the first transfer; with another: refused.
    let (status, first) = api.pay(a, b, 60, Some("cheque-0042")).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, again) = api.pay(a, b, 60, Some("cheque-0042")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["id"], first["id"]);
    let (status, body) = api.pay(a, b, 90, Some("cheque-0042")).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "conflit_idempotence")
    );
    let (status, body) = api.pay(b, a, 60, Some("cheque-0042")).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "conflit_idempotence")
    );
    assert_eq!(api.state(a).await, (-60, 300, 240));

    // A closed account neither gives nor receives.
    let (status, body) = api
        .post(&format!("/comptes/{b}/fermeture"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = api.pay(a, b, 10, None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "compte_ferme")
    );
    let (status, body) = api.pay(b, a, 10, None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "compte_ferme")
    );
    assert_eq!(api.state(a).await, (-60, 300, 240));
    // Bad bodies: a clear 4xx, never a 500.
    let (status, _) = api.post("/virements", json!([1, 2])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = api
        .post(
            "/comptes",
            json!({ "centre": "centre-a", "nom": "X", "plancher_minutes": -5 }),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "montant_invalide")
    );
    let (status, _) = api
        .post("/comptes", json!({ "centre": "inconnu", "nom": "X" }))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_invariants(&w).await;
}

#[actix_web::test]
async fn the_solidarity_pot_receives_grants_and_settles_closed_accounts() {
    let w = world().await;
    let api = Api::new(&w, "referent.a@exemple.fr").await;
    let a = api.account("A", 300, None, None).await;
    let b = api.account("B", 300, None, None).await;
    let (_, centre) = api.get("/centres/centre-a").await;
    let pot = centre["pot_solidaire"].as_i64().unwrap();
    assert_eq!(api.pay(b, a, 120, None).await.0, StatusCode::CREATED);
    // A gives an hour to the pot; the staff grant half an hour of it to B.
    let (status, _) = api
        .post(&format!("/comptes/{a}/don"), json!({ "minutes": 60 }))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = api
        .post(
            &format!("/comptes/{b}/octroi"),
            json!({ "minutes": 30, "motif": "coup de pouce" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(api.state(pot).await, (30, 0, 30));
    // The pot never goes below zero.
    let (status, body) = api
        .post(&format!("/comptes/{b}/octroi"), json!({ "minutes": 31 }))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "solde_insuffisant")
    );
    assert_eq!(api.state(a).await, (60, 300, 360));
    assert_eq!(api.state(b).await, (-90, 300, 210));

    // Closing A: what is left goes to the pot.
    let (status, body) = api
        .post(&format!("/comptes/{a}/fermeture"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["virement"].is_i64());
    assert_eq!(api.state(pot).await, (90, 0, 90));
    let (_, shown) = api.get(&format!("/comptes/{a}")).await;
    assert_eq!(
        (shown["solde"].clone(), shown["etat"].clone()),
        (json!(0), json!("ferme"))
    );
    // Closing B: the pot pays what B owes (90: exactly what it holds).
    let (status, _) = api
        .post(&format!("/comptes/{b}/fermeture"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(api.state(pot).await, (0, 0, 0));
    let (status, body) = api
        .post(&format!("/comptes/{b}/fermeture"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "compte_ferme")
    );

    // A debt larger than the pot: the account stays open, nothing moves.
    let c = api.account("C", 300, None, None).await;
    let d = api.account("D", 300, None, None).await;
    assert_eq!(api.pay(c, d, 60, None).await.0, StatusCode::CREATED);
    let (status, body) = api
        .post(&format!("/comptes/{c}/fermeture"), json!({}))
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "solde_insuffisant")
    );
    assert_eq!(api.state(c).await, (-60, 300, 240));
    assert_invariants(&w).await;
}

#[actix_web::test]
async fn a_batch_is_all_or_nothing() {
    let w = world().await;
    let api = Api::new(&w, "referent.a@exemple.fr").await;
    let host = api.account("Animatrice", 300, None, None).await;
    let p1 = api.account("P1", 300, None, None).await;
    let p2 = api.account("P2", 300, None, None).await;
    let poor = api.account("P3", 30, None, None).await;
    let line = |p: i64| json!({ "payeur": p, "beneficiaire": host, "minutes": 60, "motif": "atelier couture" });
    let (status, body) = api
        .post(
            "/lots",
            json!({ "virements": [line(p1), line(p2), line(poor)], "cle": "atelier-1" }),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "solde_insuffisant")
    );
    assert_eq!(
        api.state(p1).await,
        (0, 300, 300),
        "the first lines were undone"
    );
    assert_eq!(api.state(host).await, (0, 300, 300));
    assert_eq!(scalar(&w.app, "SELECT COUNT(*) FROM bc_transfers").await, 0);

    let (status, body) = api
        .post(
            "/lots",
            json!({ "virements": [line(p1), line(p2)], "cle": "atelier-1" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["virements"].as_array().unwrap().len(), 2);
    assert_eq!(api.state(host).await, (120, 300, 420));
    let (status, again) = api
        .post(
            "/lots",
            json!({ "virements": [line(p1), line(p2)], "cle": "atelier-1" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["id"], body["id"]);
    let (status, other) = api
        .post(
            "/lots",
            json!({ "virements": [line(p1)], "cle": "atelier-1" }),
        )
        .await;
    assert_eq!(
        (status, code(&other)),
        (StatusCode::UNPROCESSABLE_ENTITY, "conflit_idempotence")
    );
    assert_eq!(api.state(host).await, (120, 300, 420));
    assert_invariants(&w).await;
}

#[actix_web::test]
async fn only_the_staff_of_the_centre_use_the_api() {
    let w = world().await;
    let api = Api::new(&w, "referent.a@exemple.fr").await;
    let a = api.account("A", 300, None, None).await;
    let b = api.account("B", 300, None, None).await;
    // A resident's token is refused, whatever the request.
    let resident = Api::new(&w, "habitant.a@exemple.fr").await;
    assert_eq!(
        resident.get(&format!("/comptes/{a}")).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(resident.pay(a, b, 10, None).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        resident
            .post("/comptes", json!({ "centre": "centre-a", "nom": "X" }))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    // The staff of centre B cannot touch centre A's accounts.
    let other = Api::new(&w, "referent.b@exemple.fr").await;
    assert_eq!(
        other.get(&format!("/comptes/{a}")).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(other.pay(a, b, 10, None).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        other
            .post("/comptes", json!({ "centre": "centre-a", "nom": "X" }))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        other
            .post(&format!("/comptes/{a}/fermeture"), json!({}))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    // Without a token.
    let res = reqwest::Client::new()
        .get(format!("{}/comptes/{a}", api.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(api.state(a).await, (0, 300, 300));
    // The federation admin may.
    let admin = Api::new(&w, "admin@exemple.fr").await;
    assert_eq!(admin.pay(a, b, 10, None).await.0, StatusCode::CREATED);
}
