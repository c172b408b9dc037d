//! The pages: the reception registers residents and records an exchange for them in one step;
//! residents join, write offers and needs (the Accorderie rules send some to the review queue),
//! see matches, and take an exchange from asked to confirmed; each sees only their own account.

use csc_core::Role;
use csc_testkit::{location, TestClient};
use reqwest::StatusCode;

use super::assert_invariants;
use crate::helpers::{scalar, world, World, PASSWORD};

fn bc(path: &str) -> String {
    format!("{}{path}", csc_biens_communs::MOUNT)
}

/// Registers a member at centre A's reception; returns the member's id.
async fn register(c: &TestClient, centre: i64, first: &str, last: &str) -> i64 {
    let res = c
        .post_form(
            &bc(&format!("/gestion/{centre}/membres")),
            &[
                ("first_name", first),
                ("last_name", last),
                ("neighbourhood", "Moulins"),
                ("contact", "centre"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    location(&res).rsplit('/').next().unwrap().parse().unwrap()
}

async fn balance_of(w: &World, member: i64) -> i64 {
    scalar(
        &w.app,
        format!("SELECT balance FROM bc_accounts WHERE member_id = {member}"),
    )
    .await
}

async fn accueil(w: &World) -> TestClient {
    w.app
        .create_user(
            "accueil.a@exemple.fr",
            PASSWORD,
            false,
            &[(w.centre_a, Role::Accueil)],
        )
        .await;
    let c = w.app.new_client();
    c.login_ok("accueil.a@exemple.fr", PASSWORD).await;
    c
}

/// The one-step form's hidden token, from the page.
async fn form_token(c: &TestClient, centre: i64) -> String {
    let page = c
        .get_text(&bc(&format!("/gestion/{centre}")), StatusCode::OK)
        .await;
    let at = page.find("name=\"form_token\" value=\"").unwrap() + 25;
    page[at..at + 32].to_string()
}

#[actix_web::test]
async fn the_reception_records_an_exchange_for_residents_without_email() {
    let w = world().await;
    let a = w.centre_a;
    let c = accueil(&w).await;
    let giver = register(&c, a, "Yvette", "Martin").await;
    let receiver = register(&c, a, "Karim", "Benali").await;
    let page = c
        .get_text(&bc(&format!("/gestion/{a}")), StatusCode::OK)
        .await;
    assert!(
        page.contains("Yvette M.") && page.contains("Karim B."),
        "initials only"
    );

    let (g, r) = (giver.to_string(), receiver.to_string());
    let token = form_token(&c, a).await;
    let fields = |duration: &'static str, token: String| {
        vec![
            ("giver", g.clone()),
            ("receiver", r.clone()),
            ("duration", duration.to_string()),
            ("description", "Montage d'une étagère".to_string()),
            ("channel", "guichet".to_string()),
            ("form_token", token),
        ]
    };
    let post = |f: Vec<(&'static str, String)>| {
        let c = &c;
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.post_form(&bc(&format!("/gestion/{a}/echanges")), &f)
                .await
        }
    };
    // Durations as people type them; a bad one is said next to the field, input kept.
    let res = post(fields("0 h", token.clone())).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("plus de zéro minute"), "{body}");
    assert!(body.contains("Montage d&#x27;une étagère") || body.contains("Montage d'une étagère"));
    let res = post(fields("1 h 30", token.clone())).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        (balance_of(&w, giver).await, balance_of(&w, receiver).await),
        (90, -90)
    );
    // A double click on « Enregistrer »: nothing moves twice.
    let res = post(fields("1 h 30", token.clone())).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = c.get_text(&location(&res), StatusCode::OK).await;
    assert!(page.contains("déjà enregistré"), "{page}");
    assert_eq!(balance_of(&w, giver).await, 90);

    // Two staff recording the same paper chèque-temps: once.
    let cheque = |token: String| {
        let mut f = fields("45 min", token);
        f[4].1 = "papier".into();
        f.push(("cheque", "CT-0815".into()));
        f
    };
    let t1 = form_token(&c, a).await;
    assert_eq!(post(cheque(t1)).await.status(), StatusCode::SEE_OTHER);
    let t2 = form_token(&c, a).await;
    assert_eq!(post(cheque(t2)).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(balance_of(&w, giver).await, 135);
    // The same chèque number with another duration: refused with a clear message.
    let mut other = cheque(form_token(&c, a).await);
    other[2].1 = "2 h".into();
    let res = post(other).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("chèque-temps"));
    // A paper chèque needs its number; oneself is refused.
    let mut nonumber = fields("1h15", form_token(&c, a).await);
    nonumber[4].1 = "papier".into();
    assert_eq!(
        post(nonumber).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut itself = fields("1h15", form_token(&c, a).await);
    itself[1].1 = g.clone();
    assert_eq!(
        post(itself).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Past the floor (5 h by default): refused, nothing moved.
    let res = post(fields("5 h", form_token(&c, a).await)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("plancher"));
    assert_eq!(balance_of(&w, receiver).await, -135);
    assert_eq!(scalar(&w.app, "SELECT COUNT(*) FROM bc_exchanges").await, 2);

    // The member's page: statement, reversal once.
    let page = c
        .get_text(
            &bc(&format!("/gestion/{a}/membres/{giver}")),
            StatusCode::OK,
        )
        .await;
    assert!(
        page.contains("2 h 15") && page.contains("CT-0815"),
        "{page}"
    );
    let tid = scalar(&w.app, "SELECT MIN(id) FROM bc_transfers").await;
    let res = c
        .post_form(
            &bc(&format!("/gestion/{a}/virements/{tid}/annulation")),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(balance_of(&w, giver).await, 45);
    let res = c
        .post_form(
            &bc(&format!("/gestion/{a}/virements/{tid}/annulation")),
            &[],
        )
        .await;
    let page = c.get_text(&location(&res), StatusCode::OK).await;
    assert!(page.contains("déjà été annulé"), "{page}");
    assert_eq!(balance_of(&w, giver).await, 45);
    assert_invariants(&w).await;

    // The staff of centre B see none of it.
    let b = w.app.new_client();
    b.login_ok("referent.b@exemple.fr", PASSWORD).await;
    assert_eq!(
        b.get(&bc(&format!("/gestion/{a}"))).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        b.get(&bc(&format!("/gestion/{}/membres/{giver}", w.centre_b)))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let res = b
        .post_form(&bc(&format!("/gestion/{a}/membres/{giver}/fermeture")), &[])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn residents_join_offer_match_and_exchange_seeing_only_their_own_account() {
    let w = world().await;
    let a = w.centre_a.to_string();
    let staff = w.app.new_client();
    staff.login_ok("referent.a@exemple.fr", PASSWORD).await;
    w.app
        .create_user(
            "voisin.a@exemple.fr",
            PASSWORD,
            false,
            &[(w.centre_a, Role::Habitant)],
        )
        .await;
    let alice = w.app.new_client();
    alice.login_ok("habitant.a@exemple.fr", PASSWORD).await;
    let bruno = w.app.new_client();
    bruno.login_ok("voisin.a@exemple.fr", PASSWORD).await;

    // Joining: a missing first name is said, then the request waits for the staff.
    let res = alice
        .post_form(
            &bc("/moi/adhesion"),
            &[("centre", a.as_str()), ("last_name", "Durand")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for (c, first, job) in [(&alice, "Alice", "plombière"), (&bruno, "Bruno", "")] {
        let res = c
            .post_form(
                &bc("/moi/adhesion"),
                &[
                    ("centre", a.as_str()),
                    ("first_name", first),
                    ("last_name", "Durand"),
                    ("profession", job),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let ids: Vec<i64> = vec![
        scalar(
            &w.app,
            "SELECT id FROM bc_members WHERE first_name = 'Alice'",
        )
        .await,
        scalar(
            &w.app,
            "SELECT id FROM bc_members WHERE first_name = 'Bruno'",
        )
        .await,
    ];
    assert_eq!(
        scalar(
            &w.app,
            "SELECT COUNT(*) FROM bc_accounts WHERE kind = 'membre'"
        )
        .await,
        0
    );
    for id in &ids {
        let res = staff
            .post_form(&bc(&format!("/gestion/{a}/membres/{id}/valider")), &[])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let (alice_id, bruno_id) = (ids[0], ids[1]);

    // Alice's offer in her own trade goes to the review queue, with the reason.
    let offer = |c: &TestClient,
                 member: i64,
                 kind: &'static str,
                 cat: &'static str,
                 title: &'static str| {
        let c = c.clone();
        async move {
            c.post_form(
                &bc(&format!("/moi/{member}/annonces")),
                &[("kind", kind), ("category", cat), ("title", title)],
            )
            .await
        }
    };
    assert_eq!(
        offer(
            &alice,
            alice_id,
            "offre",
            "bricolage",
            "Petits travaux de plomberie"
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    let page = staff
        .get_text(&bc(&format!("/gestion/{a}")), StatusCode::OK)
        .await;
    assert!(
        page.contains("Annonces à relire (1)") && page.contains("métier"),
        "{page}"
    );
    assert_eq!(
        offer(
            &alice,
            alice_id,
            "offre",
            "numerique",
            "Aide pour le téléphone"
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        offer(
            &bruno,
            bruno_id,
            "besoin",
            "numerique",
            "Installer WhatsApp"
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    // Someone else's membership: not found.
    assert_eq!(
        offer(&bruno, alice_id, "besoin", "numerique", "X")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // Bruno's need matches Alice's offer; he proposes an exchange on it.
    let page = bruno.get_text(&bc("/moi"), StatusCode::OK).await;
    assert!(
        page.contains("Alice D.") && page.contains("Aide pour le téléphone"),
        "{page}"
    );
    let alice_offer = scalar(
        &w.app,
        "SELECT id FROM bc_offers WHERE title = 'Aide pour le téléphone'",
    )
    .await;
    let res = bruno
        .post_form(
            &bc(&format!("/moi/{bruno_id}/echanges")),
            &[
                ("offer", alice_offer.to_string().as_str()),
                ("duration", "1h15"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let ex = scalar(&w.app, "SELECT id FROM bc_exchanges").await;
    let step = |c: &TestClient, member: i64, what: &'static str| {
        let c = c.clone();
        async move {
            c.post_form(&bc(&format!("/moi/{member}/echanges/{ex}/{what}")), &[])
                .await
                .status()
        }
    };
    assert_eq!(
        step(&alice, alice_id, "accepter").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(step(&alice, alice_id, "fait").await, StatusCode::SEE_OTHER);
    assert_eq!(
        step(&bruno, bruno_id, "confirmer").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        balance_of(&w, alice_id).await,
        0,
        "hours move only when both confirm"
    );
    assert_eq!(
        step(&alice, alice_id, "confirmer").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        step(&alice, alice_id, "confirmer").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        (
            balance_of(&w, alice_id).await,
            balance_of(&w, bruno_id).await
        ),
        (75, -75)
    );
    assert_eq!(scalar(&w.app, "SELECT COUNT(*) FROM bc_transfers").await, 1);
    // A third member cannot act on it.
    assert_eq!(
        step(&bruno, alice_id, "annuler").await,
        StatusCode::NOT_FOUND
    );

    // Each sees only their own account.
    let page = alice.get_text(&bc("/moi"), StatusCode::OK).await;
    assert!(
        page.contains("1 h 15") && page.contains("Mon solde"),
        "{page}"
    );
    assert_eq!(
        alice
            .get(&bc(&format!("/gestion/{a}/membres/{bruno_id}")))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_invariants(&w).await;
}

#[actix_web::test]
async fn the_demo_holds_a_neighbourhood_and_runs_twice_unchanged() {
    let w = world().await;
    for _ in 0..2 {
        w.app
            .db
            .run(|c| c.write_transaction(|c| csc::demo::load(c, &csc::modules())))
            .await
            .unwrap();
    }
    assert_eq!(scalar(&w.app, "SELECT COUNT(*) FROM bc_members").await, 40);
    assert!(scalar(&w.app, "SELECT COUNT(*) FROM bc_exchanges").await >= 30);
    assert!(
        scalar(
            &w.app,
            "SELECT COUNT(*) FROM bc_offers WHERE status = 'a_verifier'"
        )
        .await
            >= 1
    );
    assert_eq!(
        scalar(
            &w.app,
            "SELECT COUNT(*) FROM bc_loans WHERE returned_on IS NULL"
        )
        .await,
        3
    );
    assert_eq!(
        scalar(
            &w.app,
            "SELECT COUNT(*) FROM bc_holds WHERE status = 'attente'"
        )
        .await,
        2
    );
    assert_invariants(&w).await;
    // The staff's pages show it.
    let staff = w.app.new_client();
    staff.login_ok("admin@exemple.fr", PASSWORD).await;
    let centre = scalar(&w.app, "SELECT MIN(centre_id) FROM bc_members").await;
    let page = staff
        .get_text(&bc(&format!("/gestion/{centre}")), StatusCode::OK)
        .await;
    assert!(page.contains("Annonces à relire"), "{page}");
}

#[actix_web::test]
async fn the_staff_lend_report_export_and_print_statements() {
    let w = world().await;
    let a = w.centre_a;
    let c = accueil(&w).await;
    let yvette = register(&c, a, "Yvette", "Martin").await;
    let karim = register(&c, a, "Karim", "Benali").await;
    let (y, k) = (yvette.to_string(), karim.to_string());
    let token = form_token(&c, a).await;
    let res = c
        .post_form(
            &bc(&format!("/gestion/{a}/echanges")),
            &[
                ("giver", y.as_str()),
                ("receiver", k.as_str()),
                ("duration", "2,5 h"),
                ("description", "Peinture"),
                ("channel", "telephone"),
                ("form_token", token.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Lending through the pages.
    let post = |path: String, fields: Vec<(&'static str, String)>| {
        let c = c.clone();
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = c.post_form(&bc(&path), &f).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
            c.get_text(&location(&res), StatusCode::OK).await
        }
    };
    let page = post(
        format!("/gestion/{a}/prets/categories"),
        vec![
            ("label", "Outils".into()),
            ("loan_days", "7".into()),
            ("renewals", "1".into()),
            ("max", "1".into()),
            ("hold_days", "3".into()),
            ("minutes", String::new()),
        ],
    )
    .await;
    assert!(page.contains("La catégorie est ajoutée"), "{page}");
    let class = scalar(&w.app, "SELECT MAX(id) FROM bc_item_classes")
        .await
        .to_string();
    post(
        format!("/gestion/{a}/prets/objets"),
        vec![
            ("class", class.clone()),
            ("name", "Perceuse".into()),
            ("owner", y.clone()),
            ("condition", "neuve".into()),
        ],
    )
    .await;
    let item = scalar(&w.app, "SELECT MAX(id) FROM bc_items").await;
    let page = post(
        format!("/gestion/{a}/prets/objets/{item}/preter"),
        vec![("member", k.clone()), ("condition", "neuve".into())],
    )
    .await;
    assert!(page.contains("Prêt enregistré : à rendre le"), "{page}");
    // Karim may hold nothing more of the class (1 at most); Yvette waits for it: no renewal.
    let page = post(
        format!("/gestion/{a}/prets/objets/{item}/reserver"),
        vec![("member", y.clone())],
    )
    .await;
    assert!(page.contains("Réservation enregistrée"), "{page}");
    let loan = scalar(&w.app, "SELECT MAX(id) FROM bc_loans").await;
    let page = post(format!("/gestion/{a}/prets/{loan}/prolonger"), vec![]).await;
    assert!(
        page.contains("Quelqu&#x27;un attend") || page.contains("Quelqu'un attend"),
        "{page}"
    );
    let page = post(
        format!("/gestion/{a}/prets/{loan}/retour"),
        vec![("condition", "mèche cassée".into())],
    )
    .await;
    assert!(
        page.contains("Retour enregistré") && page.contains("À retirer"),
        "{page}"
    );

    // Reports and exports.
    let page = c
        .get_text(&bc(&format!("/gestion/{a}/rapports")), StatusCode::OK)
        .await;
    assert!(
        page.contains("<td>150</td>") && page.contains("Perceuse : 1"),
        "{page}"
    );
    let res = c.get(&bc(&format!("/gestion/{a}/echanges.csv"))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let csv = res.text().await.unwrap();
    assert!(
        csv.contains("Yvette M.;Karim B.;150;Peinture;Par téléphone"),
        "{csv}"
    );
    let res = c.get(&bc(&format!("/gestion/{a}/export.xlsx"))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
    assert_eq!(
        c.get(&bc(&format!("/gestion/{a}/inconnu.csv")))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // The monthly statement, to print.
    let res = c
        .get(&bc(&format!("/gestion/{a}/membres/{yvette}/releve.pdf")))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let pdf = res.bytes().await.unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    assert!(
        text.contains("Yvette M.") && text.contains("2 h 30"),
        "{text}"
    );
    let res = c
        .get(&bc(&format!(
            "/gestion/{a}/membres/{yvette}/releve.pdf?mois=13-2026"
        )))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // The other centre's staff get none of it.
    let b = w.app.new_client();
    b.login_ok("referent.b@exemple.fr", PASSWORD).await;
    for path in ["/rapports", "/export.xlsx", "/echanges.csv", "/prets"] {
        assert_eq!(
            b.get(&bc(&format!("/gestion/{a}{path}"))).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(
        b.get(&bc(&format!(
            "/gestion/{}/membres/{yvette}/releve.pdf",
            w.centre_b
        )))
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn the_referent_sets_quotas_and_closed_days_and_new_members_get_them() {
    let w = world().await;
    let a = w.centre_a;
    let referent = w.app.new_client();
    referent.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let path = bc(&format!("/gestion/{a}/reglages"));
    let res = referent
        .post_form(&path, &[("floor", "-2 h"), ("alert", "30 min")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("négative"));
    let res = referent
        .post_form(
            &path,
            &[
                ("floor", "2 h"),
                ("quota_max", "4 h"),
                ("alert", "30 min"),
                ("closed", "6"),
                ("closed", "7"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = referent.get_text(&path, StatusCode::OK).await;
    assert!(
        page.contains("value=\"2 h\"")
            && page.contains("id=\"f-closed-6\" name=\"closed\" value=\"6\" checked"),
        "{page}"
    );
    let m = register(&referent, a, "Zoé", "Petit").await;
    let floor = scalar(
        &w.app,
        format!("SELECT floor_minutes FROM bc_accounts WHERE member_id = {m}"),
    )
    .await;
    let cap = scalar(
        &w.app,
        format!("SELECT quota_max_minutes FROM bc_accounts WHERE member_id = {m}"),
    )
    .await;
    assert_eq!((floor, cap), (120, 240));
    // The reception sees the settings, only the referent changes them.
    let c = accueil(&w).await;
    c.get_text(&path, StatusCode::OK).await;
    assert_eq!(
        c.post_form(&path, &[("floor", "9 h"), ("alert", "1 h")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
