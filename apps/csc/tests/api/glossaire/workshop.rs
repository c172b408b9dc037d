//! Requests, claims, the workshop flow with its access rules, the daily digest by real SMTP.

use csc_core::Role;
use csc_testkit::{eventually, location, spawn_app, spawn_app_with, SmtpSink, TestApp, TestClient};
use reqwest::StatusCode;

use super::{best, g, load, LEXICON};
use crate::helpers::{scalar, PASSWORD};

async fn ask(app: &TestApp, word: &str) -> reqwest::Response {
    app.new_client()
        .post_form(&g("/demandes"), &[("mot", word), ("lexique", "numerique")])
        .await
}

#[tokio::test]
async fn requests_are_counted_not_duplicated_and_an_existing_word_is_shown() {
    let app = spawn_app(&csc::modules()).await;
    load(&app, LEXICON).await;
    for word in ["Bidouille", "bidouille", " bidouillé "] {
        let res = ask(&app, word).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM glossaire_requests").await,
        1
    );
    assert_eq!(
        scalar(&app, "SELECT times FROM glossaire_requests").await,
        3
    );
    let wifi = scalar(&app, "SELECT id FROM glossaire_entries WHERE norm = 'wifi'").await;
    let res = ask(&app, "Wi-Fi").await;
    assert_eq!(location(&res), g(&format!("/mots/{wifi}")));
    let res = ask(&app, "phishing").await;
    assert!(location(&res).starts_with(&g("/mots/")));
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM glossaire_requests").await,
        1
    );
    let res = ask(&app, "").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Tapez le mot que vous cherchez."));
    let res = ask(&app, &"x".repeat(2000)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

struct Team {
    app: TestApp,
    a: i64,
    b: i64,
    leader_a: TestClient,
    leader_b: TestClient,
    kid_a: TestClient,
}

async fn signed_in(app: &TestApp, email: &str) -> TestClient {
    let c = app.new_client();
    c.login_ok(email, PASSWORD).await;
    c
}

/// Two referenced structures, an accompagnateur of each, a contributor account of A.
async fn team(app: TestApp) -> Team {
    let a = app.create_centre("ecole-a", "École A").await;
    let b = app.create_centre("centre-b", "Centre B").await;
    app.create_user("admin@exemple.fr", PASSWORD, true, &[])
        .await;
    app.create_user(
        "adulte.a@exemple.fr",
        PASSWORD,
        false,
        &[(a, Role::Accompagnateur)],
    )
    .await;
    app.create_user(
        "adulte.b@exemple.fr",
        PASSWORD,
        false,
        &[(b, Role::Accompagnateur)],
    )
    .await;
    app.create_user(
        "jeune.a@exemple.fr",
        PASSWORD,
        false,
        &[(a, Role::Contributeur)],
    )
    .await;
    let admin = signed_in(&app, "admin@exemple.fr").await;
    for centre in [a, b] {
        let res = admin
            .post_form(
                &g("/admin/structures"),
                &[("centre", &centre.to_string()), ("description", "")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    Team {
        leader_a: signed_in(&app, "adulte.a@exemple.fr").await,
        leader_b: signed_in(&app, "adulte.b@exemple.fr").await,
        kid_a: signed_in(&app, "jeune.a@exemple.fr").await,
        app,
        a,
        b,
    }
}

/// Opens a workshop of `centre`; its id.
async fn open(c: &TestClient, centre: i64, title: &str) -> i64 {
    let res = c
        .post_form(
            &g(&format!("/atelier/{centre}/ateliers")),
            &[("title", title)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    location(&res).rsplit('/').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_workshop_writes_a_definition_that_the_adult_validates() {
    let t = team(spawn_app(&csc::modules()).await).await;
    let app = &t.app;
    load(app, LEXICON).await;
    ask(app, "bidouille").await;
    let request = scalar(app, "SELECT id FROM glossaire_requests").await;
    let wa = open(&t.leader_a, t.a, "CM2 du mercredi").await;
    let wb = open(&t.leader_b, t.b, "Club ados").await;
    let url_a = g(&format!("/atelier/{}/ateliers/{wa}", t.a));
    let url_b = g(&format!("/atelier/{}/ateliers/{wb}", t.b));

    // Children: first name and initial only.
    let res = t
        .leader_a
        .post_form(
            &format!("{url_a}/contributeurs"),
            &[
                ("first_name", "lea@exemple.fr"),
                ("initial", "M"),
                ("age_band", "11-14"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("ni chiffres, ni adresse e-mail"));
    let res = t
        .leader_a
        .post_form(
            &format!("{url_a}/contributeurs"),
            &[
                ("first_name", "Léa2"),
                ("initial", "Martin"),
                ("age_band", "11-14"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for (name, initial, band) in [("Léa", "M", "11-14"), ("Tom", "B", "15-17")] {
        let res = t
            .leader_a
            .post_form(
                &format!("{url_a}/contributeurs"),
                &[
                    ("first_name", name),
                    ("initial", initial),
                    ("age_band", band),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    // A contributor cannot register children.
    let res = t
        .kid_a
        .post_form(
            &format!("{url_a}/contributeurs"),
            &[
                ("first_name", "Zoé"),
                ("initial", "Z"),
                ("age_band", "11-14"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // One claim at a time.
    let rid = request.to_string();
    let res = t
        .kid_a
        .post_form(&format!("{url_a}/prendre"), &[("demande", &rid)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = t
        .leader_b
        .post_form(&format!("{url_b}/prendre"), &[("demande", &rid)])
        .await;
    let page = t.leader_b.get_text(&location(&res), StatusCode::OK).await;
    assert!(
        page.contains("déjà prise par l&#x27;atelier « CM2 du mercredi » (École A)"),
        "{page}"
    );
    assert_eq!(
        scalar(app, "SELECT workshop_id FROM glossaire_requests").await,
        wa
    );

    // The contributor writes a draft by Léa and Tom: never found while it is a draft.
    let kids: Vec<i64> = vec![
        scalar(
            app,
            "SELECT id FROM glossaire_contributors WHERE first_name = 'Léa'",
        )
        .await,
        scalar(
            app,
            "SELECT id FROM glossaire_contributors WHERE first_name = 'Tom'",
        )
        .await,
    ];
    let lexicon = scalar(
        app,
        "SELECT id FROM glossaire_lexicons WHERE slug = 'numerique'",
    )
    .await
    .to_string();
    let (k0, k1) = (kids[0].to_string(), kids[1].to_string());
    let res = t
        .kid_a
        .post_form(
            &format!("{url_a}/brouillons"),
            &[
                ("lexicon", &lexicon),
                ("request_id", &rid),
                ("term", "bidouille"),
                ("aliases", "bidouiller"),
                (
                    "definition",
                    "Réparer ou inventer avec ce qu'on a sous la main.",
                ),
                ("auteur", &k0),
                ("auteur", &k1),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let draft_url = location(&res);
    let draft = draft_url.rsplit('/').next().unwrap().to_string();
    assert!(super::found(app, "bidouille").await.is_empty());

    // Only the adult of the structure validates.
    let res = t
        .kid_a
        .post_form(&format!("{draft_url}/valider"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = t
        .leader_b
        .post_form(&format!("{draft_url}/valider"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = t
        .leader_b
        .post_form(&format!("{url_b}/brouillons/{draft}/valider"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = t
        .leader_b
        .post_form(
            &g(&format!(
                "/atelier/{}/ateliers/{wa}/brouillons/{draft}/valider",
                t.b
            )),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(super::found(app, "bidouille").await.is_empty());

    // Sent back with a comment, rewritten, validated.
    let res = t
        .leader_a
        .post_form(&format!("{draft_url}/renvoyer"), &[("comment", "")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM glossaire_drafts WHERE status = 'renvoye'"
        )
        .await,
        0
    );
    let res = t
        .leader_a
        .post_form(
            &format!("{draft_url}/renvoyer"),
            &[("comment", "Ajoutez un exemple.")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = t.kid_a.get_text(&draft_url, StatusCode::OK).await;
    assert!(page.contains("Ajoutez un exemple."));
    assert!(super::found(app, "bidouille").await.is_empty());
    let res = t
        .kid_a
        .post_form(
            &draft_url,
            &[
                ("lexicon", &lexicon),
                ("term", "bidouille"),
                ("aliases", "bidouiller"),
                (
                    "definition",
                    "Réparer ou inventer avec ce qu'on a sous la main.",
                ),
                ("example", "Papi a bidouillé la box et le wifi remarche."),
                ("auteur", &k0),
                ("auteur", &k1),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = t
        .leader_a
        .post_form(&format!("{draft_url}/valider"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let entry = location(&res);
    assert_eq!(
        best(app, "bidouille").await,
        ("bidouille".into(), "exacte".into())
    );
    assert_eq!(
        best(app, "bidouiller").await,
        ("bidouille".into(), "alias".into())
    );
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM glossaire_requests WHERE status = 'publiee'"
        )
        .await,
        1
    );

    // Credited: Tom by name (15-17), Léa (under 15, no authorisation) never by name.
    let page = app.get_text(&entry, StatusCode::OK).await;
    assert!(page.contains("Tom B. (15 à 17 ans)"), "{page}");
    assert!(!page.contains("Léa"), "{page}");
    assert!(page.contains("Un·e jeune de 11 à 14 ans (prénom non publié)"));
    assert!(page.contains("École A"));
    // With the parents' authorisation recorded, she is.
    let res = t
        .leader_a
        .post_form(&format!("{url_a}/autorisation"), &[("contributor", &k0)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app.get_text(&entry, StatusCode::OK).await;
    assert!(page.contains("Léa M. (11 à 14 ans)"));

    // Readers' feedback, shown to the structure.
    let reader = app.new_client();
    let res = reader
        .post_form(&format!("{entry}/avis"), &[("avis", "compris")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = reader
        .post_form(&format!("{entry}/avis"), &[("avis", "pas-compris")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = reader
        .post_form(&format!("{entry}/avis"), &[("avis", "bof")])
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(scalar(app, "SELECT understood + 10 * not_understood FROM glossaire_entries WHERE norm = 'bidouille'").await, 11);
    let page = t
        .leader_a
        .get_text(&g(&format!("/atelier/{}", t.a)), StatusCode::OK)
        .await;
    assert!(
        page.contains("bidouille</a></td><td data-label=\"« J'ai compris »\">1</td>"),
        "{page}"
    );
}

#[tokio::test]
async fn a_centre_not_referenced_has_no_workshop_pages() {
    let app = spawn_app(&csc::modules()).await;
    let c = app.create_centre("autre", "Autre").await;
    app.create_user(
        "adulte@exemple.fr",
        PASSWORD,
        false,
        &[(c, Role::Accompagnateur)],
    )
    .await;
    let who = signed_in(&app, "adulte@exemple.fr").await;
    let res = who.get(&g(&format!("/atelier/{c}"))).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_digest_of_new_requests_is_mailed_at_most_once_a_day() {
    let smtp = SmtpSink::start();
    let url = smtp.url();
    let app = spawn_app_with(&csc::modules(), |s| s.smtp_url = Some(url.clone())).await;
    let t = team(app).await;
    let app = &t.app;
    load(app, LEXICON).await;
    ask(app, "bidouille").await;
    ask(app, "Bidouillé").await;
    ask(app, "box").await;
    let mailer = csc_server::mailer(&app.settings, &csc::modules()).unwrap();
    let now = csc_core::time::now();
    let m = mailer.clone();
    let sent = app
        .db
        .write(move |c| csc_glossaire::digest::send(c, &m, now))
        .await
        .unwrap();
    assert_eq!(sent, 2, "one mail per accompagnateur of the two structures");
    let mails = eventually(10, "the digests", || async {
        let m = smtp.messages();
        (m.len() >= 2).then_some(m)
    })
    .await;
    let first = mails[0].replace("=\r\n", "").replace("=C2=AB", "«");
    assert!(first.contains("bidouille"), "{first}");
    assert!(
        first.contains("demand=C3=A9 2 fois") || first.contains("demandé 2 fois"),
        "{first}"
    );
    assert!(first.contains("box"));

    // Same day: nothing more, even with a new request.
    ask(app, "clé usb").await;
    let m = mailer.clone();
    let again = app
        .db
        .write(move |c| csc_glossaire::digest::send(c, &m, now))
        .await
        .unwrap();
    assert_eq!(again, 0);
    // The next day: only the new word.
    let tomorrow = now + chrono::Duration::days(1);
    let m = mailer.clone();
    let next = app
        .db
        .write(move |c| csc_glossaire::digest::send(c, &m, tomorrow))
        .await
        .unwrap();
    assert_eq!(next, 2);
    let mails = eventually(10, "the next digests", || async {
        let m = smtp.messages();
        (m.len() >= 4).then_some(m)
    })
    .await;
    let last = mails[3].replace("=\r\n", "");
    assert!(
        last.contains("cl=C3=A9 usb") || last.contains("clé usb"),
        "{last}"
    );
    assert!(!last.contains("bidouille"), "{last}");
    // A day with no new word sends nothing.
    let later = now + chrono::Duration::days(2);
    let m = mailer.clone();
    assert_eq!(
        app.db
            .write(move |c| csc_glossaire::digest::send(c, &m, later))
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn the_demo_holds_two_structures_a_workshop_and_both_lexicons() {
    let app = spawn_app(&csc::modules()).await;
    for _ in 0..2 {
        app.db
            .write(|c| csc::demo::load(c, &csc::modules()))
            .await
            .unwrap();
    }
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM glossaire_structures").await,
        2
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM glossaire_workshops").await,
        1
    );
    let count = |slug: &str| {
        format!(
            "SELECT COUNT(*) FROM glossaire_entries e JOIN glossaire_lexicons l ON l.id = e.lexicon_id \
             WHERE l.slug = '{slug}' AND e.published IS NOT NULL"
        )
    };
    assert_eq!(scalar(&app, count("numerique")).await, 61);
    assert_eq!(scalar(&app, count("parentalite")).await, 30);
    assert_eq!(
        best(&app, "ouifi").await,
        ("wifi".into(), "phonetique".into())
    );
    assert_eq!(
        best(&app, "fishing").await,
        ("hameçonnage".into(), "phonetique".into())
    );
    let (_, body) = super::api(&app, &[("q", "reaap"), ("lexique", "parentalité")]).await;
    assert_eq!(body["resultats"][0]["terme"], "REAAP");
    assert_eq!(
        scalar(
            &app,
            "SELECT times FROM glossaire_requests WHERE norm = 'bidouille'"
        )
        .await,
        2
    );
}
