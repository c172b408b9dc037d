//! One user action is one transaction: when its mail cannot be queued, none of its rows are
//! saved, and sending the same form again once the fault is gone saves it once. The fault is
//! injected in the real database: a trigger refuses every insert into the mail outbox.

use csc_testkit::{location, TestApp};
use diesel::connection::SimpleConnection;
use reqwest::StatusCode;

use csc_preinscription::requests::RequestStatus;

use crate::helpers::{scalar, world, PASSWORD};
use crate::preinscription::{add_accueil, family_with_request, household_fields, open_activity};

/// From now on, queueing a mail fails (on both backends).
async fn break_the_outbox(app: &TestApp) {
    let sql = if app.db.backend().name() == "postgres" {
        "CREATE FUNCTION refuse_mail() RETURNS trigger AS $$ \
         BEGIN RAISE EXCEPTION 'injected: the outbox refuses mail'; END $$ LANGUAGE plpgsql; \
         CREATE TRIGGER refuse_mail BEFORE INSERT ON mail_outbox \
         FOR EACH ROW EXECUTE FUNCTION refuse_mail();"
    } else {
        "CREATE TRIGGER refuse_mail BEFORE INSERT ON mail_outbox \
         BEGIN SELECT RAISE(ABORT, 'injected: the outbox refuses mail'); END;"
    };
    app.db
        .run(move |c| Ok(c.batch_execute(sql)?))
        .await
        .unwrap();
}

/// Mails can be queued again.
async fn repair_the_outbox(app: &TestApp) {
    let sql = if app.db.backend().name() == "postgres" {
        "DROP TRIGGER refuse_mail ON mail_outbox"
    } else {
        "DROP TRIGGER refuse_mail"
    };
    app.db
        .run(move |c| Ok(c.batch_execute(sql)?))
        .await
        .unwrap();
}

/// `SELECT count(*) FROM {table}`.
async fn count(app: &TestApp, table: &str) -> i64 {
    scalar(app, format!("SELECT count(*) FROM {table}")).await
}

#[actix_web::test]
async fn a_household_whose_mail_cannot_be_queued_is_not_saved_and_a_retry_saves_it_once() {
    let w = world().await;
    let parent = w.app.new_client();
    let form = household_fields("samia@exemple.fr", "612", "Inès");
    let path = format!("{}/c/centre-a/adhesion", csc_preinscription::MOUNT);

    break_the_outbox(&w.app).await;
    let res = parent.post_form(&path, &form).await;
    assert!(res.status().is_server_error(), "{}", res.status());
    assert_eq!(count(&w.app, "members_households").await, 0);
    assert_eq!(count(&w.app, "members_children").await, 0);
    assert_eq!(count(&w.app, "members_memberships").await, 0);

    repair_the_outbox(&w.app).await;
    let res = parent.post_form(&path, &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&w.app, "members_households").await, 1);
    assert_eq!(count(&w.app, "members_memberships").await, 1);
    assert_eq!(count(&w.app, "mail_outbox").await, 1);
}

#[actix_web::test]
async fn a_refusal_whose_mail_cannot_be_queued_leaves_the_request_and_its_places() {
    let w = world().await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", w.centre_a, "1").await;
    family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;
    add_accueil(&w.app, w.centre_a).await;
    let accueil = w.app.new_client();
    accueil.login_ok("accueil.a@exemple.fr", PASSWORD).await;
    let request = scalar(&w.app, "SELECT max(id) FROM preinscription_requests").await;
    let decision = format!(
        "{}/gestion/{}/demandes/{request}/statut",
        csc_preinscription::MOUNT,
        w.centre_a
    );
    let mails_before = count(&w.app, "mail_outbox").await;

    break_the_outbox(&w.app).await;
    let res = accueil
        .post_form(&decision, &[("status", RequestStatus::Refused.code())])
        .await;
    assert!(res.status().is_server_error(), "{}", res.status());
    let status_and_taken = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            db.run(move |c| {
                let r = csc_preinscription::requests::get_any(c, request)?;
                let taken = csc_preinscription::activities::occupancy(c, r.activity_id)?
                    .iter()
                    .map(|o| o.taken)
                    .sum::<i32>();
                Ok((r.status == RequestStatus::Sent, taken))
            })
            .await
            .unwrap()
        }
    };
    assert_eq!(status_and_taken(&w.app).await, (true, 1), "nothing changed");
    assert_eq!(count(&w.app, "mail_outbox").await, mails_before);

    repair_the_outbox(&w.app).await;
    let res = accueil
        .post_form(&decision, &[("status", RequestStatus::Refused.code())])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", location(&res));
    assert_eq!(
        status_and_taken(&w.app).await,
        (false, 0),
        "refused, place freed"
    );
    assert_eq!(count(&w.app, "mail_outbox").await, mails_before + 1);
}
