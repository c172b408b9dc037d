//! The kiosque over HTTP: portals, personalisation, guides, kiosks, directory, workshops, link
//! check, poster and statistics, with the denials.

use std::time::Duration;

use csc_core::Role;
use csc_testkit::{eventually, location, spawn_app, TestApp};
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{world, World, PASSWORD};

/// The id of a procedure of the starting catalogue.
async fn procedure_id(app: &TestApp, slug: &str) -> i64 {
    let slug = slug.to_string();
    app.db
        .run(move |c| Ok(csc_kiosque::catalogue::active_by_slug(c, &slug)?.id))
        .await
        .unwrap()
}

async fn referent_a(w: &World) -> csc_testkit::TestClient {
    let c = w.app.new_client();
    c.login_ok("referent.a@exemple.fr", PASSWORD).await;
    c
}

/// The position of `needle` in `page`, which must contain it.
fn at(page: &str, needle: &str) -> usize {
    page.find(needle)
        .unwrap_or_else(|| panic!("« {needle} » missing from the page"))
}

#[tokio::test]
async fn a_centre_portal_shows_themes_tiles_guides_and_search() {
    let w = world().await;
    let home = w.app.get_text("/kiosque/c/centre-a", StatusCode::OK).await;
    for theme in ["Famille", "Santé", "Papiers et identité", "Droits et aides"] {
        assert!(home.contains(theme), "{theme}");
    }
    assert!(home.contains("href=\"/kiosque/c/centre-a/theme/sante\""));
    let sante = w
        .app
        .get_text("/kiosque/c/centre-a/theme/sante", StatusCode::OK)
        .await;
    assert!(sante.contains("href=\"/kiosque/c/centre-a/demarche/ameli-carte-vitale\""));
    // The guide: what it is for, the documents as a checklist, the steps, the /go/ link.
    let guide = w
        .app
        .get_text(
            "/kiosque/c/centre-a/demarche/caf-declarer-ressources",
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
            "/kiosque/c/centre-a/demarche/caf-declarer-ressources/imprimer",
            StatusCode::OK,
        )
        .await;
    assert!(print.contains("fiche.css") && print.contains("Centre A"));
    // Search ignores accents and case, and finds by keyword.
    let found = w
        .app
        .get_text(
            "/kiosque/c/centre-a/recherche?q=SECURITE+sociale",
            StatusCode::OK,
        )
        .await;
    assert!(found.contains("class=\"tuile\""), "{found}");
    let none = w
        .app
        .get_text("/kiosque/c/centre-a/recherche?q=zzzzqqq", StatusCode::OK)
        .await;
    assert!(none.contains("Aucune démarche ne correspond"));
    // The old links, and unknown places.
    let res = w.app.get(&format!("/kiosque?centre={}", w.centre_a)).await;
    assert_eq!(res.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(location(&res), "/kiosque/c/centre-a");
    assert_eq!(
        w.app.get("/kiosque?centre=9999").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app.get("/kiosque?centre=abc").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app.get("/kiosque/c/inconnu").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app
            .get("/kiosque/c/centre-a/demarche/inconnue")
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
    let theme_page = "/kiosque/c/centre-a/theme/sante";
    let before = w.app.get_text(theme_page, StatusCode::OK).await;
    assert!(before.contains("/demarche/ameli-carte-vitale\""));

    // Hide: gone from centre A's portal, still on centre B's.
    let res = r
        .post_form(
            &format!("/kiosque/gestion/{a}/demarches/{vitale}/masquer"),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let after = w.app.get_text(theme_page, StatusCode::OK).await;
    assert!(!after.contains("/demarche/ameli-carte-vitale\""));
    let b = w
        .app
        .get_text("/kiosque/c/centre-b/theme/sante", StatusCode::OK)
        .await;
    assert!(b.contains("/demarche/ameli-carte-vitale\""));
    r.post_form(
        &format!("/kiosque/gestion/{a}/demarches/{vitale}/afficher"),
        &[],
    )
    .await;

    // Pin: shown first on the home screen.
    let home = w.app.get_text("/kiosque/c/centre-a", StatusCode::OK).await;
    assert!(!home.contains("Les démarches les plus demandées"));
    r.post_form(
        &format!("/kiosque/gestion/{a}/demarches/{vitale}/epingler"),
        &[],
    )
    .await;
    let home = w.app.get_text("/kiosque/c/centre-a", StatusCode::OK).await;
    assert!(
        at(&home, "Les démarches les plus demandées") < at(&home, "/demarche/ameli-carte-vitale\"")
    );
    assert!(at(&home, "/demarche/ameli-carte-vitale\"") < at(&home, "Choisissez un thème"));

    // Reorder: the first procedure of the theme moves down one place.
    let page = w.app.get_text(theme_page, StatusCode::OK).await;
    let first_slug: String = {
        let i = at(&page, "/demarche/");
        page[i + 10..].chars().take_while(|c| *c != '"').collect()
    };
    let first = procedure_id(&w.app, &first_slug).await;
    r.post_form(
        &format!("/kiosque/gestion/{a}/demarches/{first}/descendre"),
        &[],
    )
    .await;
    let page = w.app.get_text(theme_page, StatusCode::OK).await;
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
        .get_text("/kiosque/c/centre-b/theme/sante", StatusCode::OK)
        .await;
    assert!(
        at(&b, &format!("/demarche/{first_slug}\"")) < at(&b, &format!("/demarche/{new_first}\""))
    );

    // The centre's own guide text replaces the federation's, for this centre only.
    let res = r
        .post_form(
            &format!("/kiosque/gestion/{a}/demarches/{vitale}/fiche"),
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
            "/kiosque/c/centre-a/demarche/ameli-carte-vitale",
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
            "/kiosque/c/centre-b/demarche/ameli-carte-vitale",
            StatusCode::OK,
        )
        .await;
    assert!(!gb.contains("S1106"));

    // Welcome text.
    let res = r
        .post_form(
            &format!("/kiosque/gestion/{a}/accueil"),
            &[("welcome", "La borne est libre le mardi matin.")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let home = w.app.get_text("/kiosque/c/centre-a", StatusCode::OK).await;
    assert!(home.contains("La borne est libre le mardi matin."));
    let long = "x".repeat(501);
    let res = r
        .post_form(
            &format!("/kiosque/gestion/{a}/accueil"),
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
                &format!("/kiosque/gestion/{a}/liens"),
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
            &format!("/kiosque/gestion/{a}/liens"),
            &[
                ("title", "<script>alert('x')</script> Mairie"),
                ("url", "https://www.mairie-exemple.fr/rdv"),
                ("theme_id", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let home = w.app.get_text("/kiosque/c/centre-a", StatusCode::OK).await;
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
        .post_form(&format!("/kiosque/gestion/{a}/liens/{id}/supprimer"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = rb
        .post_form(
            &format!("/kiosque/gestion/{}/liens/{id}/supprimer", w.centre_b),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

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
        format!("/kiosque/gestion/{a}/accueil"),
        format!("/kiosque/gestion/{a}/demarches/{vitale}/masquer"),
        format!("/kiosque/gestion/{a}/demarches/{vitale}/fiche"),
        format!("/kiosque/gestion/{a}/liens"),
        format!("/kiosque/gestion/{a}/bornes"),
        format!("/kiosque/gestion/{a}/aide"),
        format!("/kiosque/gestion/{a}/ateliers"),
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
        format!("/kiosque/gestion/{a}"),
        format!("/kiosque/gestion/{a}/demarches"),
        format!("/kiosque/gestion/{a}/bornes"),
        format!("/kiosque/gestion/{a}/statistiques"),
        "/kiosque/catalogue".to_string(),
        format!("/kiosque/catalogue/{vitale}"),
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
        resident.get("/kiosque/gestion").await.status(),
        StatusCode::FORBIDDEN
    );
    // The federation's catalogue: referents may not edit it.
    let ra = referent_a(&w).await;
    let res = ra
        .post_form(&format!("/kiosque/catalogue/{vitale}"), &[("title", "x")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn admins_keep_the_catalogue() {
    let w = world().await;
    let admin = w.app.new_client();
    admin.login_ok("admin@exemple.fr", PASSWORD).await;
    let page = admin
        .get_text("/kiosque/catalogue/nouvelle", StatusCode::OK)
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
    let res = admin.post_form("/kiosque/catalogue", &bad).await;
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
    let res = admin.post_form("/kiosque/catalogue", &good).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let found = w
        .app
        .get_text("/kiosque/c/centre-a/recherche?q=cantine", StatusCode::OK)
        .await;
    assert!(found.contains("Inscrire à la &lt;b&gt;cantine"), "{found}");
    assert!(!found.contains("<b>cantine"));
    // The same slug twice is a field error, not a 500.
    let mut again = fields(
        "https://www.exemple-ville.fr/cantine",
        "Inscrire à la <b>cantine</b>",
    );
    again.push(("theme_id", &theme_id));
    let res = admin.post_form("/kiosque/catalogue", &again).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("déjà utilisé"));
}

#[tokio::test]
async fn a_kiosk_has_a_secret_address_a_timer_and_records_the_answer() {
    let w = world().await;
    let r = referent_a(&w).await;
    let a = w.centre_a;
    let res = r
        .post_form(
            &format!("/kiosque/gestion/{a}/bornes"),
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
            &format!("/kiosque/gestion/{a}/bornes"),
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
    let base = format!("/kiosque/borne/{}", k.token);
    let home = w.app.get_text(&base, StatusCode::OK).await;
    assert!(home.contains("id=\"recommencer\""));
    assert!(home.contains("data-inactivite=\"90\"") && home.contains("data-avertissement=\"30\""));
    assert!(home.contains(&format!("data-accueil=\"{base}\"")));
    assert!(home.contains("/kiosque/fichiers/borne.js"));
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
            "/kiosque/c/centre-a/demarche/caf-declarer-ressources",
            StatusCode::OK,
        )
        .await;
    assert!(!portal.contains("id=\"question\""));
    let res = r
        .post_form(
            &format!("/kiosque/gestion/{a}/bornes/{}/revoquer", k.id),
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
        .get_text(&format!("/kiosque/borne/{}", new.token), StatusCode::OK)
        .await;
    assert_eq!(
        w.app.get("/kiosque/borne/inconnu").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_help_directory_is_kept_by_the_referent() {
    let w = world().await;
    let r = referent_a(&w).await;
    let a = w.centre_a;
    let res = r
        .post_form(
            &format!("/kiosque/gestion/{a}/aide"),
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
            &format!("/kiosque/gestion/{a}/aide"),
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
        .get_text("/kiosque/c/centre-a/aide", StatusCode::OK)
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
        .get_text("/kiosque/c/centre-b/aide", StatusCode::OK)
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
        rb.post_form(&format!("/kiosque/gestion/{b}/aide/{id}/supprimer"), &[])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        r.post_form(&format!("/kiosque/gestion/{a}/aide/{id}/supprimer"), &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let help = w
        .app
        .get_text("/kiosque/c/centre-a/aide", StatusCode::OK)
        .await;
    assert!(!help.contains("France Services Lille-Sud"));
}

async fn create_workshop(client: &csc_testkit::TestClient, centre: i64, seats: &str) -> i64 {
    let res = client
        .post_form(
            &format!("/kiosque/gestion/{centre}/ateliers"),
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
            &format!("/kiosque/gestion/{a}/ateliers"),
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
        .get_text("/kiosque/c/centre-a/ateliers", StatusCode::OK)
        .await;
    assert!(
        list.contains("Créer son adresse e-mail")
            && list.contains("mercredi 4 mars 2099 à 14 h 00")
    );
    assert!(list.contains("2 sur 2"));

    let resident = w.app.new_client();
    let path = format!("/kiosque/c/centre-a/ateliers/{id}");
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
            &format!("/kiosque/gestion/{a}/ateliers/{id}"),
            StatusCode::OK,
        )
        .await;
    assert!(page.contains("Fatima") && page.contains("06 12 34 56 78") && page.contains("2 sur 2"));
    let rb = w.app.new_client();
    rb.login_ok("referent.b@exemple.fr", PASSWORD).await;
    assert_eq!(
        rb.get(&format!("/kiosque/gestion/{a}/ateliers/{id}"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        rb.get(&format!("/kiosque/gestion/{}/ateliers/{id}", w.centre_b))
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
        anim.get(&format!("/kiosque/gestion/{a}/ateliers/{id}"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        anim.get(&format!("/kiosque/gestion/{a}/bornes"))
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
    let path = format!("/kiosque/c/centre-a/ateliers/{id}");
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

/// A tiny local web site: `/ok` answers 200, `/absent` 404, `/lent` never answers in time.
async fn local_site() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buf = vec![0u8; 2048];
                let n = sock.read(&mut buf).await.unwrap_or(0);
                let req = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = req.split_whitespace().nth(1).unwrap_or("/").to_string();
                if path == "/lent" {
                    tokio::time::sleep(Duration::from_secs(10)).await;
                }
                let status = if path == "/ok" {
                    "200 OK"
                } else {
                    "404 Not Found"
                };
                let _ = sock
                    .write_all(
                        format!(
                            "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        )
                        .as_bytes(),
                    )
                    .await;
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn broken_links_are_found_and_shown_to_admins_and_referents() {
    let w = world().await;
    let site = local_site().await;
    let r = referent_a(&w).await;
    let a = w.centre_a;
    // Point the whole catalogue at the local site (no outside network in tests), one page missing.
    let (ok, absent, slow) = (
        format!("{site}/ok"),
        format!("{site}/absent"),
        format!("{site}/lent"),
    );
    let (o, ab) = (ok.clone(), absent.clone());
    w.app
        .db
        .run(move |c| {
            use diesel::sql_types::Text;
            diesel::sql_query("UPDATE kiosque_procedures SET url = $1")
                .bind::<Text, _>(&o)
                .execute(c)?;
            diesel::sql_query(
                "UPDATE kiosque_procedures SET url = $1 WHERE slug = 'caf-declarer-ressources'",
            )
            .bind::<Text, _>(&ab)
            .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    r.post_form(
        &format!("/kiosque/gestion/{a}/liens"),
        &[
            ("title", "Site lent de la mairie"),
            ("url", &slow),
            ("theme_id", ""),
        ],
    )
    .await;
    let summary = csc_kiosque::links::check_all(&w.app.db, Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(summary.checked, 3);
    assert_eq!(summary.broken, 2);
    let page = r
        .get_text(&format!("/kiosque/gestion/{a}"), StatusCode::OK)
        .await;
    assert!(
        page.contains("Déclarer mes ressources à la CAF")
            && page.contains("Page introuvable (erreur 404)")
    );
    assert!(page.contains("Site lent de la mairie") && page.contains("pas répondu à temps"));
    let rb = w.app.new_client();
    rb.login_ok("referent.b@exemple.fr", PASSWORD).await;
    let page_b = rb
        .get_text(&format!("/kiosque/gestion/{}", w.centre_b), StatusCode::OK)
        .await;
    assert!(page_b.contains("Page introuvable") && !page_b.contains("Site lent de la mairie"));
    let admin = w.app.new_client();
    admin.login_ok("admin@exemple.fr", PASSWORD).await;
    let cat = admin.get_text("/kiosque/catalogue", StatusCode::OK).await;
    assert!(
        cat.contains("Page introuvable (erreur 404)") && cat.contains("Site lent de la mairie")
    );
    // Fixed, then checked again: the report empties.
    let ok2 = ok.clone();
    w.app
        .db
        .run(move |c| {
            use diesel::sql_types::Text;
            diesel::sql_query("UPDATE kiosque_procedures SET url = $1")
                .bind::<Text, _>(&ok2)
                .execute(c)?;
            diesel::sql_query("DELETE FROM kiosque_local_links").execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let summary = csc_kiosque::links::check_all(&w.app.db, Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!((summary.checked, summary.broken), (1, 0));
    let page = r
        .get_text(&format!("/kiosque/gestion/{a}"), StatusCode::OK)
        .await;
    assert!(page.contains("Aucun lien en erreur"));
}

#[tokio::test]
async fn the_poster_is_a_pdf_with_the_portal_address() {
    let w = world().await;
    let r = referent_a(&w).await;
    r.post_form(
        &format!("/kiosque/gestion/{}/accueil", w.centre_a),
        &[(
            "welcome",
            "Borne ouverte du lundi au vendredi, accès libre.",
        )],
    )
    .await;
    let res = w.app.get("/kiosque/c/centre-a/affiche.pdf").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Le numérique à mon service"), "{flat}");
    assert!(flat.contains("Centre A"), "{flat}");
    assert!(
        flat.contains(&format!("{}/kiosque/c/centre-a", w.app.address)),
        "{flat}"
    );
    assert!(
        flat.contains("Borne ouverte du lundi au vendredi"),
        "{flat}"
    );
    assert_eq!(
        w.app.get("/kiosque/c/inconnu/affiche.pdf").await.status(),
        StatusCode::NOT_FOUND
    );
}

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
        &format!("/kiosque/gestion/{a}/bornes"),
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
                &format!("/kiosque/borne/{token}/reponse"),
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
            .get_text(
                &format!("/kiosque/gestion/{a}/statistiques"),
                StatusCode::OK,
            )
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
        rb.get(&format!("/kiosque/gestion/{a}/statistiques"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let res = r
        .get(&format!("/kiosque/gestion/{a}/statistiques?du=hier"))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
