//! The staff's pages: who may see what, grids, activities, exports, memberships.

use super::*;

#[tokio::test]
async fn reception_sees_only_its_centre_and_staff_pages_are_refused_to_others() {
    let w = world().await;
    let app = &w.app;
    add_accueil(app, w.centre_a).await;
    app.create_user(
        "anim.a@exemple.fr",
        PASSWORD,
        false,
        &[(w.centre_a, Role::Animateur)],
    )
    .await;
    let (activity, day) = open_activity(app, "referent.a@exemple.fr", w.centre_a, "5").await;
    let parent = app.new_client();
    let family = join(&parent, "samia@exemple.fr", "", "Inès").await;
    let child = child_of(app, &family).await;
    let field = format!("d_{child}_{day}");
    let res = parent
        .post_form(
            &format!("{family}/activite/{activity}"),
            &[(field.as_str(), "journee"), ("action", "envoyer")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let request_id = first_request(app).await;
    let a = w.centre_a;
    let list = format!("{MOUNT}/gestion/{a}");
    let detail = format!("{MOUNT}/gestion/{a}/demandes/{request_id}");

    // The reception of A: the list, the request with the health line, the staff PDF, decisions.
    let accueil = app.new_client();
    accueil.login_ok("accueil.a@exemple.fr", PASSWORD).await;
    assert!(accueil
        .get_text(&list, StatusCode::OK)
        .await
        .contains("Benali Samia"));
    let page = accueil.get_text(&detail, StatusCode::OK).await;
    assert!(page.contains("Allergie aux arachides"));
    let pdf = accueil.get(&format!("{detail}/fiche.pdf")).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    let text = pdf_extract::extract_text_from_mem(&pdf.bytes().await.unwrap()).unwrap();
    assert!(text.contains("arachides"), "{text}");
    // Without QF the grid's rule applies (the highest band of Saffré: 18,20 € or more).
    assert!(!text.contains("11,30"), "{text}");
    let res = accueil
        .post_form(&format!("{detail}/statut"), &[("status", "validee")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(parent
        .get_text(&location_of_request(app).await, StatusCode::OK)
        .await
        .contains("Validée par le centre"));
    // The reception does not set up grids or activities.
    assert_eq!(
        accueil.get(&format!("{list}/grilles")).await.status(),
        StatusCode::FORBIDDEN
    );

    // The referent of B, an animator of A, a resident: no access to A's requests.
    for who in [
        "referent.b@exemple.fr",
        "anim.a@exemple.fr",
        "habitant.a@exemple.fr",
    ] {
        let c = app.new_client();
        c.login_ok(who, PASSWORD).await;
        assert_eq!(c.get(&list).await.status(), StatusCode::FORBIDDEN, "{who}");
        assert_eq!(
            c.get(&detail).await.status(),
            StatusCode::FORBIDDEN,
            "{who}"
        );
        let res = c
            .post_form(&format!("{detail}/statut"), &[("status", "refusee")])
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who}");
        // Checked before the form: a bad value from the wrong person is still a 403.
        let res = c
            .post_form(&format!("{detail}/statut"), &[("status", "n-importe")])
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who}");
        let res = c
            .post_form(&format!("{list}/grilles"), &[("name", "x"), ("spec", GRID)])
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who}");
    }
    // Anonymous visitors are sent to sign in.
    let anon = app.new_client();
    let res = anon.get(&detail).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/connexion"));
    // The referent of B cannot reach A's request through B's pages either.
    let b = app.new_client();
    b.login_ok("referent.b@exemple.fr", PASSWORD).await;
    let res = b
        .get(&format!(
            "{MOUNT}/gestion/{}/demandes/{request_id}",
            w.centre_b
        ))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn grids_and_activities_are_checked_with_french_messages() {
    let w = world().await;
    let a = w.centre_a;
    let referent = w.app.new_client();
    referent.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let res = referent
        .post_form(
            &format!("{MOUNT}/gestion/{a}/grilles"),
            &[("name", "Essai"), ("spec", "{\"schedules\": [}")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Grille refusée"), "{page}");
    assert!(page.contains("value=\"Essai\""));

    let (_, _) = open_activity(&w.app, "referent.a@exemple.fr", a, "8").await;
    // Export gives back a grid the engine reads.
    let grid_id = w
        .app
        .db
        .run(move |c| Ok(csc_preinscription::grids::of_centre(c, a)?[0].id))
        .await
        .unwrap();
    let res = referent
        .get(&format!("{MOUNT}/gestion/{a}/grilles/{grid_id}"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let json = res.text().await.unwrap();
    assert!(csc_pricing::Grid::from_json(&json).is_ok());

    let res = referent
        .post_form(
            &format!("{MOUNT}/gestion/{a}/activites"),
            &[
                ("title", ""),
                ("kind", "mercredis"),
                ("grid_id", "999999"),
                ("start", "2020-01-01"),
                ("end", "2020-01-10"),
                ("wd_3", "on"),
                ("g1_label", "Petits"),
                ("g1_age_min", "6"),
                ("g1_age_max", "3"),
                ("g1_capacity", "0"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    for msg in [
        "Indiquez le nom de l&#x27;activité.",
        "Choisissez la grille de tarifs.",
        "Cochez au moins une formule",
        "La date de début est déjà passée.",
        "Indiquez un nombre entre 1 et 500 pour les places.",
    ] {
        assert!(page.contains(msg), "{msg} in {page}");
    }
    assert!(page.contains("value=\"Petits\""));
}

#[tokio::test]
async fn administrators_export_the_period_as_xlsx_and_csv() {
    use calamine::{Data, Reader};
    let w = world().await;
    let a = w.centre_a;
    add_accueil(&w.app, a).await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", a, "5").await;
    family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;

    let referent = w.app.new_client();
    referent.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let res = referent
        .get(&format!(
            "{MOUNT}/gestion/{a}/export?du={day}&au={day}&format=xlsx"
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let days = book.worksheet_range("Jours").unwrap();
    let rows: Vec<_> = days.rows().collect();
    assert_eq!(rows.len(), 2, "a header and one day");
    assert_eq!(rows[0][3], Data::String("Prénom".into()));
    assert_eq!(rows[1][3], Data::String("Inès".into()));
    assert_eq!(rows[1][7], Data::String("Enfants".into()));
    assert_eq!(rows[1][9], Data::String("Tranche 5".into()));
    assert_eq!(rows[1][13], Data::Float(11.3));
    let families = book.worksheet_range("Familles").unwrap();
    let total = families.rows().nth(1).unwrap()[8].clone();
    assert_eq!(total, Data::Float(11.3));

    let res = referent
        .get(&format!("{MOUNT}/gestion/{a}/export?format=csv"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'), "a BOM for Excel");
    assert!(csv.contains("Benali Samia;Benali;Inès;14/07/2018"), "{csv}");
    assert!(csv.contains(";11,30"), "{csv}");

    // A day before the period gives no row; a bad date is refused in French.
    let res = referent
        .get(&format!(
            "{MOUNT}/gestion/{a}/export?du=01/01/2020&au=02/01/2020&format=csv"
        ))
        .await;
    assert_eq!(res.text().await.unwrap().lines().count(), 1);
    let res = referent
        .get(&format!(
            "{MOUNT}/gestion/{a}/export?du=31/02/2020&format=csv"
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("La date de début n&#x27;est pas valide"));

    // The reception and other centres' staff do not export.
    for who in ["accueil.a@exemple.fr", "referent.b@exemple.fr"] {
        let c = w.app.new_client();
        c.login_ok(who, PASSWORD).await;
        let res = c
            .get(&format!("{MOUNT}/gestion/{a}/export?format=xlsx"))
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who}");
    }
}

#[tokio::test]
async fn the_referent_edits_a_grid_and_sets_how_long_memberships_last() {
    let w = world().await;
    let a = w.centre_a;
    open_activity(&w.app, "referent.a@exemple.fr", a, "5").await;
    let referent = w.app.new_client();
    referent.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let grid_id = w
        .app
        .db
        .run(move |c| Ok(csc_preinscription::grids::of_centre(c, a)?[0].id))
        .await
        .unwrap();
    let page = referent
        .get_text(
            &format!("{MOUNT}/gestion/{a}/grilles?modifier={grid_id}"),
            StatusCode::OK,
        )
        .await;
    assert!(page.contains("value=\"Saffré 2025\""), "{page}");
    assert!(page.contains("Tranche 5"), "the grid's JSON is in the form");

    let res = referent
        .post_form(
            &format!("{MOUNT}/gestion/{a}/duree-adhesion"),
            &[("validity", "douze_mois")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let family = join(&w.app.new_client(), "samia@exemple.fr", "825", "Inès").await;
    let today = csc_core::time::today_paris();
    let (start, end) = csc_members::Validity::TwelveMonths.period(today);
    let page = w.app.get_text(&family, StatusCode::OK).await;
    let expected = format!(
        "du {} au {}",
        start.format("%d/%m/%Y"),
        end.format("%d/%m/%Y")
    );
    assert!(page.contains(&expected), "{expected} in {page}");
    // 22 € for a family of the area (the grid's « famille » fee).
    let fee = texts(
        &w.app,
        "SELECT CAST(fee_cents AS TEXT) AS value FROM members_memberships",
    )
    .await[0]
        .clone();
    assert_eq!(fee, "2200");
    // The reception does not change it.
    add_accueil(&w.app, a).await;
    let accueil = w.app.new_client();
    accueil.login_ok("accueil.a@exemple.fr", PASSWORD).await;
    let res = accueil
        .post_form(
            &format!("{MOUNT}/gestion/{a}/duree-adhesion"),
            &[("validity", "annee_scolaire")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_reception_records_the_qf_proof() {
    let w = world().await;
    let a = w.centre_a;
    add_accueil(&w.app, a).await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", a, "5").await;
    family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;
    let rid = first_request(&w.app).await;
    let detail = format!("{MOUNT}/gestion/{a}/demandes/{rid}");
    let accueil = w.app.new_client();
    accueil.login_ok("accueil.a@exemple.fr", PASSWORD).await;
    let res = accueil
        .post_form(
            &format!("{detail}/justificatif-qf"),
            &[("proof", "verifie")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = accueil.get_text(&detail, StatusCode::OK).await;
    assert!(
        page.contains("<option value=\"verifie\" selected>"),
        "{page}"
    );
    let res = accueil
        .post_form(
            &format!("{detail}/justificatif-qf"),
            &[("proof", "peut-etre")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let b = w.app.new_client();
    b.login_ok("referent.b@exemple.fr", PASSWORD).await;
    let res = b
        .post_form(&format!("{detail}/justificatif-qf"), &[("proof", "fourni")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
