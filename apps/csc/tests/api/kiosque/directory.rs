//! The help directory, kept by each centre's referent.

use super::*;

#[tokio::test]
async fn the_help_directory_is_kept_by_the_referent() {
    let w = world().await;
    let r = referent_a(&w).await;
    let a = w.centre_a;
    let res = r
        .post_form(
            &format!("{MOUNT}/gestion/{a}/aide"),
            &[
                ("name", "France Services Lille-Sud"),
                ("kind", "france-services"),
                ("phone", "12"),
                ("postcode", "59"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("5 chiffres") && body.contains("value=\"France Services Lille-Sud\""));
    let res = r
        .post_form(
            &format!("{MOUNT}/gestion/{a}/aide"),
            &[
                ("name", "France Services Lille-Sud"),
                ("kind", "france-services"),
                ("address", "10 rue de l'Europe"),
                ("postcode", "59000"),
                ("city", "Lille"),
                ("phone", "03 20 00 00 00"),
                ("hours", "Lundi au vendredi, 9 h – 12 h"),
                ("services", "CAF, impôts, ANTS"),
                ("accessibility", "Accès de plain-pied"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let help = w
        .app
        .get_text(&kiosque("/c/centre-a/aide"), StatusCode::OK)
        .await;
    for text in [
        "France Services Lille-Sud",
        "Espace France Services",
        "Lundi au vendredi",
        "Accès de plain-pied",
        "03 20 00 00 00",
    ] {
        assert!(help.contains(text), "{text}");
    }
    let other = w
        .app
        .get_text(&kiosque("/c/centre-b/aide"), StatusCode::OK)
        .await;
    assert!(!other.contains("France Services Lille-Sud"));
    let id: i64 = w
        .app
        .db
        .run(|c| {
            Ok(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "SELECT MAX(id) FROM kiosque_help_places",
            )
            .get_result(c)?)
        })
        .await
        .unwrap();
    let rb = w.app.new_client();
    rb.login_ok("referent.b@exemple.fr", PASSWORD).await;
    let b = w.centre_b;
    assert_eq!(
        rb.post_form(&format!("{MOUNT}/gestion/{b}/aide/{id}/supprimer"), &[])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        r.post_form(&format!("{MOUNT}/gestion/{a}/aide/{id}/supprimer"), &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let help = w
        .app
        .get_text(&kiosque("/c/centre-a/aide"), StatusCode::OK)
        .await;
    assert!(!help.contains("France Services Lille-Sud"));
}
