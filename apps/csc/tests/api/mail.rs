use csc_core::Email;
use csc_testkit::{eventually, spawn_app_with, SmtpSink, TestApp};
use reqwest::StatusCode;

use crate::helpers::{link_in, world, PASSWORD};

async fn outbox_statuses(app: &TestApp) -> Vec<(String, i32)> {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        status: String,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        attempts: i32,
    }
    app.db
        .run(|c| {
            let rows: Vec<Row> =
                diesel::sql_query("SELECT status, attempts FROM mail_outbox ORDER BY id")
                    .load(c)?;
            Ok(rows.into_iter().map(|r| (r.status, r.attempts)).collect())
        })
        .await
        .unwrap()
}

/// An app that sends through a real SMTP server, with a centre and an admin.
async fn app_with_smtp(tweak: impl Fn(&mut csc_core::Settings)) -> (SmtpSink, TestApp, i64) {
    let smtp = SmtpSink::start();
    let url = smtp.url();
    let app = spawn_app_with(&csc::modules(), |s| {
        s.smtp_url = Some(url.clone());
        tweak(s);
    })
    .await;
    let centre = app.create_centre("centre-a", "Centre A").await;
    app.create_user("admin@exemple.fr", PASSWORD, true, &[])
        .await;
    (smtp, app, centre)
}

async fn invite(app: &TestApp, centre: i64, email: &str) {
    let admin = app.new_client();
    admin.login_ok("admin@exemple.fr", PASSWORD).await;
    let centre = centre.to_string();
    let res = admin
        .post_form(
            "/admin/utilisateurs/inviter",
            &[
                ("email", email),
                ("display_name", "Nadia Nouvelle"),
                ("centre_id", &centre),
                ("role", "accueil"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_invitation_reaches_the_smtp_server_and_its_link_sets_the_password() {
    let (smtp, app, centre) = app_with_smtp(|_| {}).await;
    invite(&app, centre, "nadia@exemple.fr").await;

    let mail = eventually(10, "the invitation mail", || async {
        smtp.messages().into_iter().next()
    })
    .await;
    assert!(mail.contains("To: nadia@exemple.fr"), "{mail}");
    assert!(mail.contains("Centre A"));
    let link = link_in(&mail, "/mot-de-passe/nouveau?jeton=");

    let c = app.new_client();
    let page = c.get_text(&link, StatusCode::OK).await;
    assert!(page.contains("Choisir mon mot de passe"));
    let token = link.split("jeton=").nth(1).unwrap();
    let new = "ma phrase à moi";
    let res = c
        .post_form(
            "/mot-de-passe/nouveau",
            &[("jeton", token), ("password", new), ("confirmation", new)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    c.login_ok("nadia@exemple.fr", new).await;
    let account = c.get_text("/mon-compte", StatusCode::OK).await;
    assert!(account.contains("Centre A : Accueil"));

    // The link works once.
    let again = app.new_client().get(&link).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(again
        .text()
        .await
        .unwrap()
        .contains("Ce lien n&#x27;est plus valable"));
}

#[tokio::test]
async fn with_the_smtp_server_down_mail_waits_and_is_delivered_after_it_restarts() {
    let (mut smtp, app, centre) = app_with_smtp(|_| {}).await;
    smtp.stop();

    invite(&app, centre, "un@exemple.fr").await;
    invite(&app, centre, "deux@exemple.fr").await;
    // Attempts fail and are retried, the mails stay pending.
    eventually(10, "failed attempts recorded", || async {
        let s = outbox_statuses(&app).await;
        (s.len() == 2 && s.iter().all(|(st, n)| st == "pending" && *n >= 1)).then_some(())
    })
    .await;
    let admin = app.new_client();
    admin.login_ok("admin@exemple.fr", PASSWORD).await;
    let outbox = admin
        .get_text("/admin/courriels?statut=pending", StatusCode::OK)
        .await;
    assert!(outbox.contains("un@exemple.fr") && outbox.contains("En attente"));
    assert!(smtp.messages().is_empty());

    smtp.restart();
    let delivered = eventually(15, "both mails after restart", || async {
        let m = smtp.messages();
        (m.len() >= 2).then_some(m)
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(smtp.messages().len(), 2, "none lost, none twice");
    assert!(delivered.iter().any(|m| m.contains("To: un@exemple.fr")));
    assert!(delivered.iter().any(|m| m.contains("To: deux@exemple.fr")));
    assert!(outbox_statuses(&app).await.iter().all(|(s, _)| s == "sent"));
}

#[tokio::test]
async fn a_failed_mail_can_be_retried_by_an_admin() {
    let (mut smtp, app, centre) = app_with_smtp(|s| s.mail_max_attempts = 1).await;
    smtp.stop();
    invite(&app, centre, "un@exemple.fr").await;
    eventually(10, "mail marked failed", || async {
        (outbox_statuses(&app).await == vec![("failed".to_string(), 1)]).then_some(())
    })
    .await;
    smtp.restart();
    let admin = app.new_client();
    admin.login_ok("admin@exemple.fr", PASSWORD).await;
    let page = admin
        .get_text("/admin/courriels?statut=failed", StatusCode::OK)
        .await;
    let id = page
        .split("/admin/courriels/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let res = admin
        .post_form(&format!("/admin/courriels/{id}/relancer"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    eventually(10, "retried mail delivered", || async {
        (smtp.messages().len() == 1).then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_forgotten_password_link_is_mailed_and_works_once() {
    let w = world().await;
    let c = w.app.new_client();
    let res = c
        .post_form(
            "/mot-de-passe-oublie",
            &[("email", "referent.a@exemple.fr")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The answer is the same for an unknown address.
    let res = c
        .post_form("/mot-de-passe-oublie", &[("email", "personne@exemple.fr")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mails = eventually(10, "reset mail written", || async {
        let m = w.app.mail_files();
        (!m.is_empty()).then_some(m)
    })
    .await;
    assert_eq!(mails.len(), 1, "no mail for an unknown address");
    let link = link_in(&mails[0], "/mot-de-passe/nouveau?jeton=");
    let token = link.split("jeton=").nth(1).unwrap();
    let new = "une phrase retrouvée";
    let res = c
        .post_form(
            "/mot-de-passe/nouveau",
            &[
                ("jeton", token),
                ("password", new),
                ("confirmation", "autre"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "confirmation must match"
    );
    let res = c
        .post_form(
            "/mot-de-passe/nouveau",
            &[("jeton", token), ("password", new), ("confirmation", new)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    c.login_ok("referent.a@exemple.fr", new).await;
    let res = c
        .post_form(
            "/mot-de-passe/nouveau",
            &[("jeton", token), ("password", new), ("confirmation", new)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn two_instances_on_one_database_never_send_a_mail_twice() {
    let smtp = SmtpSink::start();
    let url = smtp.url();
    let first = spawn_app_with(&csc::modules(), |s| s.smtp_url = Some(url.clone())).await;
    let db_url = first.settings.database_url.clone();
    let _second = spawn_app_with(&csc::modules(), |s| {
        s.smtp_url = Some(url.clone());
        s.database_url = db_url.clone();
    })
    .await;
    let mailer = csc_server::mailer(&first.settings, &csc::modules()).unwrap();
    let total = 40;
    first
        .db
        .run(move |c| {
            for i in 0..total {
                let mut ctx = tera_context(i);
                ctx.insert("base_url", "http://x");
                let to = Email::parse(&format!("n{i}@exemple.fr")).unwrap();
                mailer.enqueue(c, &to, "auth/new_role", &ctx, &[])?;
            }
            Ok(())
        })
        .await
        .unwrap();
    eventually(30, "all mails delivered", || async {
        (smtp.messages().len() >= total).then_some(())
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), total);
    let mut recipients: Vec<String> = messages
        .iter()
        .map(|m| {
            m.lines()
                .find(|l| l.starts_with("To: "))
                .unwrap()
                .to_string()
        })
        .collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), total, "each mail exactly once");
}

fn tera_context(i: usize) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("name", &format!("Personne {i}"));
    ctx.insert("centre", "Centre A");
    ctx.insert("role", "Accueil");
    ctx.insert("invited_by", "Test");
    ctx
}
