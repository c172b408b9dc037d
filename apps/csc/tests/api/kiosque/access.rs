//! Who may change things: only the centre's referent and the federation; the admins' catalogue.

use super::*;

#[tokio::test]
async fn only_the_centres_referent_and_the_federation_may_change_things() {
    let w = world().await;
    let a = w.centre_a;
    let vitale = procedure_id(&w.app, "ameli-carte-vitale").await;
    let rb = w.app.new_client();
    rb.login_ok("referent.b@exemple.fr", PASSWORD).await;
    let resident = w.app.new_client();
    resident.login_ok("habitant.a@exemple.fr", PASSWORD).await;
    let anonymous = w.app.new_client();
    let posts = [
        format!("{MOUNT}/gestion/{a}/accueil"),
        format!("{MOUNT}/gestion/{a}/demarches/{vitale}/masquer"),
        format!("{MOUNT}/gestion/{a}/demarches/{vitale}/fiche"),
        format!("{MOUNT}/gestion/{a}/liens"),
        format!("{MOUNT}/gestion/{a}/bornes"),
        format!("{MOUNT}/gestion/{a}/aide"),
        format!("{MOUNT}/gestion/{a}/ateliers"),
    ];
    for path in &posts {
        for (who, client) in [("referent B", &rb), ("resident", &resident)] {
            let res = client
                .post_form(path, &[("welcome", "x"), ("name", "x")])
                .await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who} POST {path}");
        }
        let res = anonymous.post_form(path, &[("name", "x")]).await;
        assert!(
            matches!(
                res.status(),
                StatusCode::SEE_OTHER | StatusCode::UNAUTHORIZED
            ),
            "anonymous POST {path}: {}",
            res.status()
        );
    }
    for path in [
        format!("{MOUNT}/gestion/{a}"),
        format!("{MOUNT}/gestion/{a}/demarches"),
        format!("{MOUNT}/gestion/{a}/bornes"),
        format!("{MOUNT}/gestion/{a}/statistiques"),
        kiosque("/catalogue"),
        format!("{MOUNT}/catalogue/{vitale}"),
    ] {
        for client in [&rb, &resident] {
            assert_eq!(
                client.get(&path).await.status(),
                StatusCode::FORBIDDEN,
                "GET {path}"
            );
        }
    }
    assert_eq!(
        resident.get(&kiosque("/gestion")).await.status(),
        StatusCode::FORBIDDEN
    );
    // The federation's catalogue: referents may not edit it.
    let ra = referent_a(&w).await;
    let res = ra
        .post_form(&format!("{MOUNT}/catalogue/{vitale}"), &[("title", "x")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn admins_keep_the_catalogue() {
    let w = world().await;
    let admin = w.app.new_client();
    admin.login_ok("admin@exemple.fr", PASSWORD).await;
    let page = admin
        .get_text(&kiosque("/catalogue/nouvelle"), StatusCode::OK)
        .await;
    let theme_id: String = {
        let i = at(&page, "<option value=\"") + 15;
        let j = i + page[i..].find("<option value=\"").unwrap() + 15;
        page[j..].chars().take_while(|c| *c != '"').collect()
    };
    let fields = |url: &'static str, title: &'static str| {
        vec![
            ("title", title),
            ("slug", ""),
            ("url", url),
            ("operator", "Ville"),
            ("description", "Une démarche locale."),
            ("keywords", "cantine, école"),
            ("icon", "scolarite"),
            ("purpose", "Inscrire un enfant."),
            ("documents", "- Livret de famille"),
            ("steps", "1. Ouvrir le site"),
            ("help", "L'accueil de la mairie."),
            ("active", "on"),
        ]
    };
    let mut bad = fields("javascript:alert(1)", "Inscrire à la <b>cantine</b>");
    bad.push(("theme_id", &theme_id));
    let res = admin.post_form(&kiosque("/catalogue"), &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("adresse complète commençant par https:"));
    assert!(
        body.contains("Inscrire à la &lt;b&gt;cantine&lt;&#x2F;b&gt;"),
        "kept and escaped"
    );
    let mut good = fields(
        "https://www.exemple-ville.fr/cantine",
        "Inscrire à la <b>cantine</b>",
    );
    good.push(("theme_id", &theme_id));
    let res = admin.post_form(&kiosque("/catalogue"), &good).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let found = w
        .app
        .get_text(&kiosque("/c/centre-a/recherche?q=cantine"), StatusCode::OK)
        .await;
    assert!(found.contains("Inscrire à la &lt;b&gt;cantine"), "{found}");
    assert!(!found.contains("<b>cantine"));
    // The same slug twice is a field error, not a 500.
    let mut again = fields(
        "https://www.exemple-ville.fr/cantine",
        "Inscrire à la <b>cantine</b>",
    );
    again.push(("theme_id", &theme_id));
    let res = admin.post_form(&kiosque("/catalogue"), &again).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("déjà utilisé"));
}
