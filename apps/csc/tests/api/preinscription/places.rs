//! Places and the waiting list: concurrent requests, freed places, the reception's changes.

use super::*;

#[tokio::test]
async fn fifty_concurrent_requests_for_ten_places_give_ten_places_and_forty_waiting() {
    let w = world().await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", w.centre_a, "10").await;
    let mut families = Vec::new();
    for i in 0..50 {
        let c = w.app.new_client();
        let family = join(
            &c,
            &format!("parent{i}@exemple.fr"),
            "500",
            &format!("Enfant{i}"),
        )
        .await;
        let child = child_of(&w.app, &family).await;
        families.push((c, family, child));
    }
    let sends = families.iter().map(|(c, family, child)| {
        let field = format!("d_{child}_{day}");
        let path = format!("{family}/activite/{activity}");
        async move {
            let res = c
                .post_form(&path, &[(field.as_str(), "journee"), ("action", "envoyer")])
                .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
            location(&res)
        }
    });
    let links: Vec<String> = futures_util::future::join_all(sends).await;
    let all = texts(
        &w.app,
        "SELECT r.state AS value FROM preinscription_lines l \
         JOIN activity_registrations r ON r.id = l.registration_id ORDER BY l.id",
    )
    .await;
    assert_eq!(all.iter().filter(|s| *s == "place").count(), 10);
    assert_eq!(all.iter().filter(|s| *s == "attente").count(), 40);

    // A family with a place cancels: the first child waiting gets it, and a mail.
    let mut placed = None;
    for l in &links {
        if w.app
            .get_text(l, StatusCode::OK)
            .await
            .contains("Place réservée")
        {
            placed = Some(l.clone());
            break;
        }
    }
    let res = w
        .app
        .post_form(&format!("{}/annuler", placed.unwrap()), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let all = texts(
        &w.app,
        "SELECT r.state AS value FROM preinscription_lines l \
         JOIN activity_registrations r ON r.id = l.registration_id ORDER BY l.id",
    )
    .await;
    assert_eq!(all.iter().filter(|s| *s == "place").count(), 10);
    assert_eq!(all.iter().filter(|s| *s == "attente").count(), 39);
    eventually(10, "the freed-place mail", || async {
        w.app
            .mail_files()
            .into_iter()
            .find(|m| m.contains("Bonne nouvelle"))
    })
    .await;
}

#[tokio::test]
async fn reception_changes_a_unit_and_wait_lists_a_request_and_families_are_told() {
    let w = world().await;
    let a = w.centre_a;
    add_accueil(&w.app, a).await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", a, "1").await;
    let (_, first) = family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;
    let (_, second) = family_with_request(&w.app, activity, &day, "nadia@exemple.fr").await;
    let ids = texts(&w.app, "SELECT CAST(request_id AS TEXT) || ':' || CAST(id AS TEXT) AS value FROM preinscription_lines ORDER BY id").await;
    let (request, line) = ids[0].split_once(':').unwrap();
    let detail = format!("{MOUNT}/gestion/{a}/demandes/{request}");
    let accueil = w.app.new_client();
    accueil.login_ok("accueil.a@exemple.fr", PASSWORD).await;

    // Journée (11,30 €) -> demi-journée avec repas: 8,35 € in the Saffré grid, tranche 5.
    let res = accueil
        .post_form(
            &format!("{detail}/formule"),
            &[("line", line), ("unit", "demi_journee_repas")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = w.app.get_text(&first, StatusCode::OK).await;
    assert!(page.contains("8,35\u{a0}€"), "{page}");
    assert!(page.contains("la demi-journée avec repas"), "{page}");
    // A unit the activity does not offer is refused.
    let res = accueil
        .post_form(
            &format!("{detail}/formule"),
            &[("line", line), ("unit", "semaine")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // Wait-listed: its place goes to the family waiting, which gets a mail.
    let res = accueil
        .post_form(&format!("{detail}/liste-attente"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(w
        .app
        .get_text(&second, StatusCode::OK)
        .await
        .contains("Place réservée"));
    assert!(w
        .app
        .get_text(&first, StatusCode::OK)
        .await
        .contains("Liste d&#x27;attente"));
    eventually(
        10,
        "the freed-place mail and one mail per change",
        || async {
            let mails = w.app.mail_files();
            let freed = mails.iter().any(|m| m.contains("Bonne nouvelle"));
            let changes = mails.iter().filter(|m| m.contains("a chang")).count();
            (freed && changes >= 2).then_some(())
        },
    )
    .await;
}
