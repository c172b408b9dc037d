//! The families' rights: their data, its deletion, the retention job.

use super::*;

#[tokio::test]
async fn a_family_downloads_its_data_and_deleting_it_frees_its_places() {
    let w = world().await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", w.centre_a, "1").await;
    let (family, request) = family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;
    let (_, waiting) = family_with_request(&w.app, activity, &day, "nadia@exemple.fr").await;
    assert!(w
        .app
        .get_text(&waiting, StatusCode::OK)
        .await
        .contains("Liste d&#x27;attente"));

    let res = w.app.get(&format!("{family}/donnees.json")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let data: serde_json::Value = res.json().await.unwrap();
    assert_eq!(data["family"]["children"][0]["first_name"], "Inès");
    assert_eq!(
        data["family"]["children"][0]["health"],
        "Allergie aux arachides"
    );
    assert_eq!(
        data["requests"][0][1][0]["state"]["label"],
        "Place réservée"
    );
    assert!(data["family"]["household"].get("token_hash").is_none());

    // Without the confirmation nothing is deleted.
    let res = w.app.post_form(&format!("{family}/supprimer"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(w.app.get(&family).await.status(), StatusCode::OK);

    let res = w
        .app
        .post_form(&format!("{family}/supprimer"), &[("confirm", "on")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(w.app.get(&family).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(w.app.get(&request).await.status(), StatusCode::NOT_FOUND);
    // The place went to the family waiting.
    assert!(w
        .app
        .get_text(&waiting, StatusCode::OK)
        .await
        .contains("Place réservée"));
    let children: i64 = texts(
        &w.app,
        "SELECT CAST(COUNT(*) AS TEXT) AS value FROM members_children",
    )
    .await[0]
        .parse::<i64>()
        .unwrap();
    assert_eq!(children, 1, "only the other family's child is left");

    // The retention job: nothing is old today; 25 months later, everything is.
    let now = csc_core::time::now();
    let kept = w
        .app
        .db
        .run(move |c| csc_preinscription::rgpd::purge(c, now, 24))
        .await
        .unwrap();
    assert_eq!(kept, 0);
    let later = now + chrono::Duration::days(25 * 31);
    let purged = w
        .app
        .db
        .run(move |c| csc_preinscription::rgpd::purge(c, later, 24))
        .await
        .unwrap();
    assert_eq!(purged, 1);
    assert_eq!(w.app.get(&waiting).await.status(), StatusCode::NOT_FOUND);
}
