//! The families' journey: form, price, mails, private links, the optional account.

use super::*;

#[tokio::test]
async fn parent_without_account_gets_price_mail_with_pdf_and_a_private_link() {
    let smtp = SmtpSink::start();
    let url = smtp.url();
    let app = spawn_app_with(&csc::modules(), |s| s.smtp_url = Some(url.clone())).await;
    let centre = app.create_centre("centre-a", "Centre A").await;
    app.create_user(
        "referent.a@exemple.fr",
        PASSWORD,
        false,
        &[(centre, Role::Referent)],
    )
    .await;
    let (activity, day) = open_activity(&app, "referent.a@exemple.fr", centre, "10").await;
    let parent = app.new_client();

    // The centre's offer, then the form: errors next to the fields, input kept, 422.
    let page = parent
        .get_text(&preinscription("/c/centre-a"), StatusCode::OK)
        .await;
    assert!(page.contains("Mercredi récréatif"));
    let mut bad = household_fields("samia@exemple.fr", "-40", "Inès");
    bad.retain(|(k, _)| *k != "consent_data");
    bad.push(("c2_first_name", "Yanis"));
    bad.push(("c2_birth_date", "2090-01-01"));
    let res = parent
        .post_form(&preinscription("/c/centre-a/adhesion"), &bad)
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("un nombre entre 0 et 9999"), "{page}");
    assert!(page.contains("sans votre accord, le centre ne peut pas enregistrer"));
    assert!(page.contains("La date de naissance doit être passée."));
    assert!(page.contains("value=\"Samia\""), "the input is kept");

    let family = join(&parent, "samia@exemple.fr", "825", "Inès").await;
    let mail = eventually(10, "the membership mail", || async {
        smtp.messages()
            .into_iter()
            .find(|m| m.contains("adh=C3=A9sion") || m.contains("adhésion"))
    })
    .await;
    assert_eq!(link_in(&mail, &preinscription("/foyer/")), family);
    let page = parent.get_text(&family, StatusCode::OK).await;
    assert!(page.contains("Inès Benali"));
    assert!(page.contains("quotient familial : 825 €"), "{page}");

    // The price before sending, explained: QF 825 -> Tranche 5 -> 11,30 € the day.
    let child = child_of(&app, &family).await;
    let field = format!("d_{child}_{day}");
    let choice_path = format!("{family}/activite/{activity}");
    let res = parent
        .post_form(
            &choice_path,
            &[(field.as_str(), "journee"), ("action", "apercu")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains("Le prix de votre demande : 11,30"), "{page}");
    assert!(page.contains("QF 825 -&gt; tranche 751"), "{page}");
    assert!(page.contains("11,30\u{a0}€ la journée"), "{page}");
    assert!(page.contains("Envoyer ma demande"));

    // Unknown unit, a day outside the activity: refused with the choice kept.
    let other_day = format!("d_{child}_{}", in_days(11));
    let res = parent
        .post_form(
            &choice_path,
            &[(other_day.as_str(), "journee"), ("action", "envoyer")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Ce jour ne fait pas partie de l&#x27;activité."));

    let res = parent
        .post_form(
            &choice_path,
            &[(field.as_str(), "journee"), ("action", "envoyer")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let request_path = location(&res);
    assert!(request_path.starts_with(&preinscription("/demande/")));

    // The confirmation mail, with its PDF summary and the private link.
    let mail = eventually(10, "the confirmation mail", || async {
        smtp.messages()
            .into_iter()
            .find(|m| m.contains("application/pdf"))
    })
    .await;
    assert_eq!(link_in(&mail, &preinscription("/demande/")), request_path);
    let text = pdf_extract::extract_text_from_mem(&pdf_attachment(&mail)).unwrap();
    assert!(text.contains("Demande de pré-inscription"), "{text}");
    assert!(text.contains("Inès"), "{text}");
    assert!(text.contains("11,30 €"), "{text}");
    assert!(
        !text.contains("arachides"),
        "the family's copy has no health line"
    );

    // The private link works; a tampered one does not; twice the same day is refused.
    let page = parent.get_text(&request_path, StatusCode::OK).await;
    assert!(page.contains("Place réservée"));
    let mut tampered = request_path.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(parent.get(&tampered).await.status(), StatusCode::NOT_FOUND);
    let res = parent
        .post_form(
            &choice_path,
            &[(field.as_str(), "journee"), ("action", "envoyer")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Cancelling the whole request: the link is refused from then on.
    let res = parent
        .post_form(&format!("{request_path}/annuler"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        parent.get(&request_path).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_child_outside_the_age_groups_is_refused_with_the_reason() {
    let w = world().await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", w.centre_a, "8").await;
    let parent = w.app.new_client();
    let mut fields = household_fields("nadia@exemple.fr", "700", "Léo");
    fields.retain(|(k, _)| *k != "c1_birth_date");
    fields.push(("c1_birth_date", "2024-03-01"));
    let res = parent
        .post_form(&preinscription("/c/centre-a/adhesion"), &fields)
        .await;
    let family = location(&res);
    let child = child_of(&w.app, &family).await;
    let page = parent
        .get_text(&format!("{family}/activite/{activity}"), StatusCode::OK)
        .await;
    assert!(
        page.contains("cet accueil reçoit les enfants selon leur âge"),
        "{page}"
    );
    let field = format!("d_{child}_{day}");
    let res = parent
        .post_form(
            &format!("{family}/activite/{activity}"),
            &[(field.as_str(), "journee"), ("action", "apercu")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // An unknown activity, or another centre's, is not found.
    assert_eq!(
        parent
            .get(&format!("{family}/activite/999999"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_qf_helper_computes_the_caf_way_and_stores_nothing() {
    let app = spawn_app_with(&csc::modules(), |_| {}).await;
    // (30 000 / 12 + 150) / 3 parts = 883,33 -> 883.
    let page = app
        .get_text(
            &preinscription("/calcul-qf?revenus=30+000&prestations=150&enfants=2&handicap="),
            StatusCode::OK,
        )
        .await;
    assert!(page.contains("Votre quotient familial : 883 €"), "{page}");
    assert!(page.contains("3 parts"), "{page}");
    let res = app
        .get(&preinscription(
            "/calcul-qf?revenus=-5&enfants=2&handicap=3",
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Le revenu annuel imposable ne peut pas être négatif."),
        "{page}"
    );
    assert!(page.contains("value=\"-5\""), "the input is kept");
}

#[tokio::test]
async fn an_account_is_optional_and_finds_the_household_again() {
    let w = world().await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", w.centre_a, "5").await;
    let (family, request) = family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;
    let parent = w.app.new_client();

    // The family page offers the account; creating it mails a link to choose a password.
    let page = parent.get_text(&family, StatusCode::OK).await;
    assert!(page.contains("Un compte (facultatif)"));
    let res = parent.post_form(&format!("{family}/compte"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mail = eventually(10, "the invitation mail", || async {
        w.app
            .mail_files()
            .into_iter()
            .find(|m| m.contains("/mot-de-passe/nouveau?jeton="))
    })
    .await;
    let link = link_in(&mail, "/mot-de-passe/nouveau?jeton=");
    let token = link.split("jeton=").nth(1).unwrap();
    let pw = "une phrase de famille";
    let res = parent
        .post_form(
            "/mot-de-passe/nouveau",
            &[("jeton", token), ("password", pw), ("confirmation", pw)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    parent.login_ok("samia@exemple.fr", pw).await;

    // Signed in, the family opens its household: a new link, the old one no longer works.
    let mine = parent
        .get_text(&preinscription("/mes-foyers"), StatusCode::OK)
        .await;
    assert!(mine.contains("Centre A — Inès"), "{mine}");
    let hid = texts(
        &w.app,
        "SELECT CAST(id AS TEXT) AS value FROM members_households",
    )
    .await[0]
        .clone();
    let res = parent
        .post_form(&format!("{MOUNT}/mes-foyers/{hid}/ouvrir"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let renewed = location(&res);
    assert_ne!(renewed, family);
    assert_eq!(parent.get(&family).await.status(), StatusCode::NOT_FOUND);
    assert!(parent
        .get_text(&renewed, StatusCode::OK)
        .await
        .contains("Inès Benali"));

    // From the household page, a request gets a new link too.
    let rid = first_request(&w.app).await;
    let res = parent
        .post_form(&format!("{renewed}/demandes/{rid}/ouvrir"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let new_request = location(&res);
    assert!(parent
        .get_text(&new_request, StatusCode::OK)
        .await
        .contains("Place réservée"));
    assert_eq!(parent.get(&request).await.status(), StatusCode::NOT_FOUND);

    // Another account cannot open this household.
    let other = w.app.new_client();
    other.login_ok("habitant.a@exemple.fr", PASSWORD).await;
    let res = other
        .post_form(&format!("{MOUNT}/mes-foyers/{hid}/ouvrir"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // A second family with the address of an existing account: not attached unless signed in,
    // and the page says the same as for a new account (it never tells whether an address has
    // an account); the mail says it.
    let (second, _) = family_with_request(&w.app, activity, &day, "habitant.a@exemple.fr").await;
    let anon = w.app.new_client();
    let res = anon.post_form(&format!("{second}/compte"), &[]).await;
    let said_existing = anon.get_text(&location(&res), StatusCode::OK).await;
    let res = parent.post_form(&format!("{renewed}/compte"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let flash = |page: &str| {
        page.split("role=\"status\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        flash(&said_existing).contains("Un e-mail vient d&#x27;être envoyé"),
        "{said_existing}"
    );
    eventually(10, "the mail to the existing account", || async {
        w.app
            .mail_files()
            .into_iter()
            .find(|m| m.contains("To: habitant.a@exemple.fr") && m.contains("/connexion"))
    })
    .await;
    assert!(other
        .get_text(&preinscription("/mes-foyers"), StatusCode::OK)
        .await
        .contains("Aucun foyer"));
    let res = other.post_form(&format!("{second}/compte"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(other
        .get_text(&preinscription("/mes-foyers"), StatusCode::OK)
        .await
        .contains("Centre A — Inès"));
}

#[tokio::test]
async fn a_child_of_separated_parents_belongs_to_two_households() {
    use csc_members::household;
    let w = world().await;
    let a = w.centre_a;
    add_accueil(&w.app, a).await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", a, "5").await;
    let (family, _) = family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;
    let child = child_of(&w.app, &family).await;
    // The other parent's household, with the same child.
    let other = join(&w.app.new_client(), "karim@exemple.fr", "1200", "Yanis").await;
    let secret = other.rsplit('/').next().unwrap().to_string();
    let first = family.rsplit('/').next().unwrap().to_string();
    let (h1, h2) = w
        .app
        .db
        .run(move |c| {
            let h1 = household::by_secret(c, &first)?.id;
            let h2 = household::by_secret(c, &secret)?.id;
            household::link_child(c, h2, child)?;
            Ok((h1, h2))
        })
        .await
        .unwrap();
    let page = w.app.get_text(&other, StatusCode::OK).await;
    assert!(
        page.contains("Inès Benali") && page.contains("Yanis Benali"),
        "{page}"
    );
    // Deleting one household keeps the child for the other; deleting both removes it.
    let left = w
        .app
        .db
        .run(move |c| {
            csc_preinscription::rgpd::erase(c, h1)?;
            let after_first = household::households_of_child(c, child)?;
            csc_preinscription::rgpd::erase(c, h2)?;
            Ok((after_first, household::households_of_child(c, child)?))
        })
        .await
        .unwrap();
    assert_eq!(left.0, vec![h2]);
    assert!(left.1.is_empty());
}

#[tokio::test]
async fn a_day_already_past_is_refused_with_the_choices_kept() {
    let w = world().await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", w.centre_a, "5").await;
    // The activity also opened yesterday (it started before today).
    let yesterday = in_days(-1);
    let opened = yesterday.clone();
    w.app
        .db
        .run(move |c| {
            use diesel::prelude::*;
            diesel::sql_query(format!(
                "INSERT INTO activity_sessions (activity_id, day) \
                 VALUES ({activity}, '{opened}')"
            ))
            .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let parent = w.app.new_client();
    let family = join(&parent, "samia@exemple.fr", "825", "Inès").await;
    let child = child_of(&w.app, &family).await;
    let path = format!("{family}/activite/{activity}");
    let page = parent.get_text(&path, StatusCode::OK).await;
    assert!(page.contains("Passé"), "the past day offers no choice");
    let past = format!("d_{child}_{yesterday}");
    let future = format!("d_{child}_{day}");
    let res = parent
        .post_form(
            &path,
            &[
                (past.as_str(), "journee"),
                (future.as_str(), "demi_journee_repas"),
                ("action", "envoyer"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Ce jour est déjà passé"), "{page}");
    assert!(
        page.contains("<option value=\"demi_journee_repas\" selected>"),
        "the other choice is kept"
    );
}
