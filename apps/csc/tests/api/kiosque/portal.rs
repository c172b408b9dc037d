//! The centre's portal: themes, guides and search; the referent's arrangement of it (hidden,
//! pinned and reordered procedures, the centre's own guide text, the welcome) and local links.

use super::*;

#[tokio::test]
async fn a_centre_portal_shows_themes_tiles_guides_and_search() {
    let w = world().await;
    let home = w
        .app
        .get_text(&kiosque("/c/centre-a"), StatusCode::OK)
        .await;
    for theme in ["Famille", "Santé", "Papiers et identité", "Droits et aides"] {
        assert!(home.contains(theme), "{theme}");
    }
    assert!(home.contains(&format!("href=\"{MOUNT}/c/centre-a/theme/sante\"")));
    let sante = w
        .app
        .get_text(&kiosque("/c/centre-a/theme/sante"), StatusCode::OK)
        .await;
    assert!(sante.contains(&format!(
        "href=\"{MOUNT}/c/centre-a/demarche/ameli-carte-vitale\""
    )));
    // The guide: what it is for, the documents as a checklist, the steps, the /go/ link.
    let guide = w
        .app
        .get_text(
            &kiosque("/c/centre-a/demarche/caf-declarer-ressources"),
            StatusCode::OK,
        )
        .await;
    for part in [
        "À quoi ça sert",
        "Les documents à préparer",
        "Les étapes",
        "Où trouver de l'aide",
    ] {
        assert!(guide.contains(part), "{part}");
    }
    assert!(guide.contains("<li>Fiches de paie des 3 derniers mois"));
    assert!(guide.contains(&format!(
        "href=\"/go/kiosque/{}/caf-declarer-ressources\"",
        w.centre_a
    )));
    let print = w
        .app
        .get_text(
            &kiosque("/c/centre-a/demarche/caf-declarer-ressources/imprimer"),
            StatusCode::OK,
        )
        .await;
    assert!(print.contains("fiche.css") && print.contains("Centre A"));
    // Search ignores accents and case, and finds by keyword.
    let found = w
        .app
        .get_text(
            &kiosque("/c/centre-a/recherche?q=SECURITE+sociale"),
            StatusCode::OK,
        )
        .await;
    assert!(found.contains("class=\"tuile\""), "{found}");
    let none = w
        .app
        .get_text(&kiosque("/c/centre-a/recherche?q=zzzzqqq"), StatusCode::OK)
        .await;
    assert!(none.contains("Aucune démarche ne correspond"));
    // The old links, and unknown places.
    let res = w.app.get(&format!("{MOUNT}?centre={}", w.centre_a)).await;
    assert_eq!(res.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(location(&res), kiosque("/c/centre-a"));
    assert_eq!(
        w.app.get(&kiosque("?centre=9999")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app.get(&kiosque("?centre=abc")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app.get(&kiosque("/c/inconnu")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app
            .get(&kiosque("/c/centre-a/demarche/inconnue"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // A tile goes through /go/ to the official address.
    let res = w
        .app
        .get(&format!(
            "/go/kiosque/{}/caf-declarer-ressources",
            w.centre_a
        ))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "https://www.caf.fr/");
}

#[tokio::test]
async fn the_referent_hides_pins_reorders_and_rewrites_guides() {
    let w = world().await;
    let r = referent_a(&w).await;
    let a = w.centre_a;
    let vitale = procedure_id(&w.app, "ameli-carte-vitale").await;
    let theme_page = kiosque("/c/centre-a/theme/sante");
    let before = w.app.get_text(&theme_page, StatusCode::OK).await;
    assert!(before.contains("/demarche/ameli-carte-vitale\""));

    // Hide: gone from centre A's portal, still on centre B's.
    let res = r
        .post_form(
            &format!("{MOUNT}/gestion/{a}/demarches/{vitale}/masquer"),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let after = w.app.get_text(&theme_page, StatusCode::OK).await;
    assert!(!after.contains("/demarche/ameli-carte-vitale\""));
    let b = w
        .app
        .get_text(&kiosque("/c/centre-b/theme/sante"), StatusCode::OK)
        .await;
    assert!(b.contains("/demarche/ameli-carte-vitale\""));
    r.post_form(
        &format!("{MOUNT}/gestion/{a}/demarches/{vitale}/afficher"),
        &[],
    )
    .await;

    // Pin: shown first on the home screen.
    let home = w
        .app
        .get_text(&kiosque("/c/centre-a"), StatusCode::OK)
        .await;
    assert!(!home.contains("Les démarches les plus demandées"));
    r.post_form(
        &format!("{MOUNT}/gestion/{a}/demarches/{vitale}/epingler"),
        &[],
    )
    .await;
    let home = w
        .app
        .get_text(&kiosque("/c/centre-a"), StatusCode::OK)
        .await;
    assert!(
        at(&home, "Les démarches les plus demandées") < at(&home, "/demarche/ameli-carte-vitale\"")
    );
    assert!(at(&home, "/demarche/ameli-carte-vitale\"") < at(&home, "Choisissez un thème"));

    // Reorder: the first procedure of the theme moves down one place.
    let page = w.app.get_text(&theme_page, StatusCode::OK).await;
    let first_slug: String = {
        let i = at(&page, "/demarche/");
        page[i + 10..].chars().take_while(|c| *c != '"').collect()
    };
    let first = procedure_id(&w.app, &first_slug).await;
    r.post_form(
        &format!("{MOUNT}/gestion/{a}/demarches/{first}/descendre"),
        &[],
    )
    .await;
    let page = w.app.get_text(&theme_page, StatusCode::OK).await;
    let new_first: String = {
        let i = at(&page, "/demarche/");
        page[i + 10..].chars().take_while(|c| *c != '"').collect()
    };
    assert_ne!(new_first, first_slug);
    assert!(
        at(&page, &format!("/demarche/{new_first}\""))
            < at(&page, &format!("/demarche/{first_slug}\""))
    );
    // Centre B keeps the catalogue's order.
    let b = w
        .app
        .get_text(&kiosque("/c/centre-b/theme/sante"), StatusCode::OK)
        .await;
    assert!(
        at(&b, &format!("/demarche/{first_slug}\"")) < at(&b, &format!("/demarche/{new_first}\""))
    );

    // The centre's own guide text replaces the federation's, for this centre only.
    let res = r
        .post_form(
            &format!("{MOUNT}/gestion/{a}/demarches/{vitale}/fiche"),
            &[
                ("purpose", ""),
                ("documents", "- Venir avec **le formulaire S1106** rempli"),
                ("steps", ""),
                ("help", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let g = w
        .app
        .get_text(
            &kiosque("/c/centre-a/demarche/ameli-carte-vitale"),
            StatusCode::OK,
        )
        .await;
    assert!(g.contains("<strong>le formulaire S1106</strong>"), "{g}");
    assert!(
        g.contains("À quoi ça sert"),
        "the other parts stay the federation's"
    );
    let gb = w
        .app
        .get_text(
            &kiosque("/c/centre-b/demarche/ameli-carte-vitale"),
            StatusCode::OK,
        )
        .await;
    assert!(!gb.contains("S1106"));

    // Welcome text.
    let res = r
        .post_form(
            &format!("{MOUNT}/gestion/{a}/accueil"),
            &[("welcome", "La borne est libre le mardi matin.")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let home = w
        .app
        .get_text(&kiosque("/c/centre-a"), StatusCode::OK)
        .await;
    assert!(home.contains("La borne est libre le mardi matin."));
    let long = "x".repeat(501);
    let res = r
        .post_form(
            &format!("{MOUNT}/gestion/{a}/accueil"),
            &[("welcome", &long)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("500 caractères au maximum"));
}

#[tokio::test]
async fn local_links_are_checked_escaped_and_kept_to_their_centre() {
    let w = world().await;
    let r = referent_a(&w).await;
    let a = w.centre_a;
    for bad in [
        "javascript:alert(1)",
        "www.mairie.fr",
        "data:text/html,x",
        "ftp://mairie.fr",
    ] {
        let res = r
            .post_form(
                &format!("{MOUNT}/gestion/{a}/liens"),
                &[("title", "Mairie"), ("url", bad), ("theme_id", "")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let body = res.text().await.unwrap();
        assert!(
            body.contains("adresse complète commençant par https:"),
            "{bad}"
        );
        assert!(body.contains("value=\"Mairie\""), "the input is kept");
    }
    let res = r
        .post_form(
            &format!("{MOUNT}/gestion/{a}/liens"),
            &[
                ("title", "<script>alert('x')</script> Mairie"),
                ("url", "https://www.mairie-exemple.fr/rdv"),
                ("theme_id", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let home = w
        .app
        .get_text(&kiosque("/c/centre-a"), StatusCode::OK)
        .await;
    assert!(!home.contains("<script>alert"), "HTML in titles is escaped");
    assert!(home.contains("&lt;script&gt;"));
    let id: i64 = w
        .app
        .db
        .run(|c| {
            Ok(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "SELECT MAX(id) FROM kiosque_local_links",
            )
            .get_result(c)?)
        })
        .await
        .unwrap();
    let res = w.app.get(&format!("/go/kiosque/{a}/lien-{id}")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "https://www.mairie-exemple.fr/rdv");
    // Not through another centre's address, and not removable by another referent.
    let res = w
        .app
        .get(&format!("/go/kiosque/{}/lien-{id}", w.centre_b))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let rb = w.app.new_client();
    rb.login_ok("referent.b@exemple.fr", PASSWORD).await;
    let res = rb
        .post_form(&format!("{MOUNT}/gestion/{a}/liens/{id}/supprimer"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = rb
        .post_form(
            &format!("{MOUNT}/gestion/{}/liens/{id}/supprimer", w.centre_b),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
