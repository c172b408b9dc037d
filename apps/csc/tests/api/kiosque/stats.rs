//! The referent's statistics: procedures launched and kiosk answers.

use csc_testkit::spawn_app;

use super::*;

#[tokio::test]
async fn the_referent_sees_procedures_launched_and_kiosk_answers() {
    let app = spawn_app(&csc::modules()).await;
    let a = app.create_centre("centre-a", "Centre A").await;
    let b = app.create_centre("centre-b", "Centre B").await;
    app.create_user("ref@exemple.fr", PASSWORD, false, &[(a, Role::Referent)])
        .await;
    app.create_user("refb@exemple.fr", PASSWORD, false, &[(b, Role::Referent)])
        .await;
    let r = app.new_client();
    r.login_ok("ref@exemple.fr", PASSWORD).await;
    for _ in 0..3 {
        app.get(&format!("/go/kiosque/{a}/caf-declarer-ressources"))
            .await;
    }
    app.get(&format!("/go/kiosque/{a}/ameli-carte-vitale"))
        .await;
    app.get(&format!("/go/kiosque/{b}/ameli-carte-vitale"))
        .await;
    r.post_form(
        &format!("{MOUNT}/gestion/{a}/bornes"),
        &[
            ("name", "Borne"),
            ("inactivity_seconds", "120"),
            ("warning_seconds", "30"),
        ],
    )
    .await;
    let token = app
        .db
        .run(move |c| Ok(csc_kiosque::kiosks::of_centre(c, a)?[0].token.clone()))
        .await
        .unwrap();
    let v = app.new_client();
    for answer in ["oui", "oui", "non"] {
        let res = v
            .post_form(
                &format!("{MOUNT}/borne/{token}/reponse"),
                &[
                    ("procedure", "caf-declarer-ressources"),
                    ("reponse", answer),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let page = eventually(10, "the figures on the referent's page", || async {
        let p = r
            .get_text(&format!("{MOUNT}/gestion/{a}/statistiques"), StatusCode::OK)
            .await;
        (p.contains("<strong>4</strong> démarches lancées") && p.contains("<td>Non</td><td>1</td>"))
            .then_some(p)
    })
    .await;
    assert!(
        page.contains("<td>Déclarer mes ressources à la CAF</td><td>3</td>"),
        "{page}"
    );
    assert!(
        page.contains("<td>Famille</td><td>3</td>") && page.contains("<td>Santé</td><td>1</td>"),
        "{page}"
    );
    assert!(
        page.contains("<td>Oui</td><td>2</td>") && page.contains("<td>Non</td><td>1</td>"),
        "{page}"
    );
    let rb = app.new_client();
    rb.login_ok("refb@exemple.fr", PASSWORD).await;
    assert_eq!(
        rb.get(&format!("{MOUNT}/gestion/{a}/statistiques"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let res = r
        .get(&format!("{MOUNT}/gestion/{a}/statistiques?du=hier"))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
