//! Kiosk mode: the secret address, the inactivity timer, the one-tap answer, revocation.

use super::*;

#[tokio::test]
async fn a_kiosk_has_a_secret_address_a_timer_and_records_the_answer() {
    let w = world().await;
    let r = referent_a(&w).await;
    let a = w.centre_a;
    let res = r
        .post_form(
            &format!("{MOUNT}/gestion/{a}/bornes"),
            &[
                ("name", "Borne du hall"),
                ("inactivity_seconds", "90"),
                ("warning_seconds", "19"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("entre 20 et 300") && body.contains("value=\"Borne du hall\""));
    let res = r
        .post_form(
            &format!("{MOUNT}/gestion/{a}/bornes"),
            &[
                ("name", "Borne du hall"),
                ("inactivity_seconds", "90"),
                ("warning_seconds", "30"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let kiosks = w
        .app
        .db
        .run(move |c| Ok(csc_kiosque::kiosks::of_centre(c, a)?))
        .await
        .unwrap();
    let k = &kiosks[0];
    let base = format!("{MOUNT}/borne/{}", k.token);
    let home = w.app.get_text(&base, StatusCode::OK).await;
    assert!(home.contains("id=\"recommencer\""));
    assert!(home.contains("data-inactivite=\"90\"") && home.contains("data-avertissement=\"30\""));
    assert!(home.contains(&format!("data-accueil=\"{base}\"")));
    assert!(home.contains(&kiosque("/fichiers/borne.js")));
    assert!(home.contains("id=\"plus-de-temps\""));
    let guide = w
        .app
        .get_text(
            &format!("{base}/demarche/caf-declarer-ressources"),
            StatusCode::OK,
        )
        .await;
    assert!(guide.contains("id=\"commencer\"") && guide.contains("target=\"_blank\""));
    assert!(guide.contains("Avez-vous pu faire votre démarche ?"));
    // The one-tap answer is a statistics event.
    let visitor = w.app.new_client();
    visitor.get(&base).await;
    let res = visitor
        .post_form(
            &format!("{base}/reponse"),
            &[
                ("procedure", "caf-declarer-ressources"),
                ("reponse", "aide"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    assert!(body.contains("class=\"merci\"") && body.contains("personnes qui peuvent vous aider"));
    let res = visitor
        .post_form(
            &format!("{base}/reponse"),
            &[
                ("procedure", "caf-declarer-ressources"),
                ("reponse", "peut-etre"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let app = &w.app;
    eventually(10, "the answer in the statistics", || async {
        let n: i64 = app
            .db
            .run(|c| {
                Ok(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                    "SELECT COUNT(*) FROM stats_events WHERE kind = 'event' AND name = 'demarche-faite' \
                     AND value = 'aide' AND target = 'caf-declarer-ressources' AND app = 'kiosque'",
                )
                .get_result(c)?)
            })
            .await
            .unwrap();
        (n == 1).then_some(())
    })
    .await;
    // The portal has no kiosk question; a revoked address stops working, a new one is given.
    let portal = w
        .app
        .get_text(
            &kiosque("/c/centre-a/demarche/caf-declarer-ressources"),
            StatusCode::OK,
        )
        .await;
    assert!(!portal.contains("id=\"question\""));
    let res = r
        .post_form(
            &format!("{MOUNT}/gestion/{a}/bornes/{}/revoquer", k.id),
            &[("renew", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(w.app.get(&base).await.status(), StatusCode::NOT_FOUND);
    let kiosks = w
        .app
        .db
        .run(move |c| Ok(csc_kiosque::kiosks::of_centre(c, a)?))
        .await
        .unwrap();
    let new = kiosks.iter().find(|x| x.revoked_at.is_none()).unwrap();
    assert_ne!(new.token, k.token);
    assert_eq!(new.inactivity_seconds, 90);
    w.app
        .get_text(&format!("{MOUNT}/borne/{}", new.token), StatusCode::OK)
        .await;
    assert_eq!(
        w.app.get(&kiosque("/borne/inconnu")).await.status(),
        StatusCode::NOT_FOUND
    );
}
