//! Digital workshops: sign-ups, the confirmation mail, the list of names, seats under load.

use super::*;

async fn create_workshop(client: &csc_testkit::TestClient, centre: i64, seats: &str) -> i64 {
    let res = client
        .post_form(
            &format!("{MOUNT}/gestion/{centre}/ateliers"),
            &[
                ("title", "Créer son adresse e-mail"),
                ("topic", "Messagerie"),
                ("level", "debutant"),
                ("date", "2099-03-04"),
                ("time", "14:00"),
                ("duration_minutes", "90"),
                ("place", "Salle informatique"),
                ("seats", seats),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    location(&res).rsplit('/').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn residents_sign_up_to_workshops_and_the_referent_prints_the_list() {
    let w = world().await;
    let r = referent_a(&w).await;
    let a = w.centre_a;
    let res = r
        .post_form(
            &format!("{MOUNT}/gestion/{a}/ateliers"),
            &[
                ("title", "Atelier"),
                ("level", "debutant"),
                ("date", "2020-01-01"),
                ("time", "25:00"),
                ("duration_minutes", "90"),
                ("seats", "8"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("format hh:mm") && body.contains("value=\"Atelier\""));
    let id = create_workshop(&r, a, "2").await;
    let list = w
        .app
        .get_text(&kiosque("/c/centre-a/ateliers"), StatusCode::OK)
        .await;
    assert!(
        list.contains("Créer son adresse e-mail")
            && list.contains("mercredi 4 mars 2099 à 14 h 00")
    );
    assert!(list.contains("2 sur 2"));

    let resident = w.app.new_client();
    let path = format!("{MOUNT}/c/centre-a/ateliers/{id}");
    let res = resident
        .post_form(
            &path,
            &[("first_name", "Fatima"), ("contact", "pas un numéro")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("10 chiffres") && body.contains("value=\"Fatima\""));
    let res = resident
        .post_form(
            &path,
            &[("first_name", "Fatima"), ("contact", "fatima@exemple.fr")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("C'est noté, Fatima"));
    let res = resident
        .post_form(
            &path,
            &[("first_name", "Jean"), ("contact", "06 12 34 56 78")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = resident
        .post_form(&path, &[("first_name", "Paul"), ("contact", "0611111111")])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("complet"));
    // The confirmation mail, to the address given only.
    let app = &w.app;
    let mails = eventually(10, "the confirmation mail", || async {
        let m = app.mail_files();
        (!m.is_empty()).then_some(m)
    })
    .await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("fatima@exemple.fr") && mails[0].contains("Salle informatique"));
    // The referent's list; another centre's referent and a resident see nothing.
    let page = r
        .get_text(
            &format!("{MOUNT}/gestion/{a}/ateliers/{id}"),
            StatusCode::OK,
        )
        .await;
    assert!(page.contains("Fatima") && page.contains("06 12 34 56 78") && page.contains("2 sur 2"));
    let rb = w.app.new_client();
    rb.login_ok("referent.b@exemple.fr", PASSWORD).await;
    assert_eq!(
        rb.get(&format!("{MOUNT}/gestion/{a}/ateliers/{id}"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        rb.get(&format!("{MOUNT}/gestion/{}/ateliers/{id}", w.centre_b))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // An animator of the centre may see the list too.
    w.app
        .create_user(
            "animateur.a@exemple.fr",
            PASSWORD,
            false,
            &[(a, Role::Animateur)],
        )
        .await;
    let anim = w.app.new_client();
    anim.login_ok("animateur.a@exemple.fr", PASSWORD).await;
    assert_eq!(
        anim.get(&format!("{MOUNT}/gestion/{a}/ateliers/{id}"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        anim.get(&format!("{MOUNT}/gestion/{a}/bornes"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn concurrent_sign_ups_never_exceed_the_seats() {
    let w = world().await;
    let r = referent_a(&w).await;
    let id = create_workshop(&r, w.centre_a, "5").await;
    let path = format!("{MOUNT}/c/centre-a/ateliers/{id}");
    let clients: Vec<_> = (0..20).map(|_| w.app.new_client()).collect();
    for c in &clients {
        c.csrf_token().await;
    }
    let results = futures_util::future::join_all(clients.iter().enumerate().map(|(i, c)| {
        let path = path.clone();
        async move {
            let phone = format!("06 00 00 00 {i:02}");
            c.post_form(&path, &[("first_name", "Camille"), ("contact", &phone)])
                .await
                .status()
        }
    }))
    .await;
    let ok = results.iter().filter(|s| **s == StatusCode::OK).count();
    let full = results
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((ok, full), (5, 15), "{results:?}");
    let n: i64 = w
        .app
        .db
        .run(move |c| {
            Ok(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
                "SELECT COUNT(*) FROM kiosque_signups WHERE workshop_id = {id}"
            ))
            .get_result(c)?)
        })
        .await
        .unwrap();
    assert_eq!(n, 5);
}
