//! Lending, on the real database: a hold queue through returns, expiries, cancellations and a
//! public holiday; renewals; overdue blocking; class caps counting holds and loans; hours moved
//! only when the class says so.

use chrono::NaiveDate;
use csc_biens_communs::lending::{self, HoldStatus, ItemClass, LendingError, LendingRefusal};
use csc_biens_communs::members::{self, Contact, MemberData};
use csc_db::DbConn;

use super::assert_invariants;
use crate::helpers::{scalar, world, World};

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

/// Runs `f` in one write transaction on the app's database.
async fn run<T: Send + 'static>(
    w: &World,
    f: impl FnOnce(&mut DbConn) -> Result<T, LendingError> + Send + 'static,
) -> Result<T, LendingError> {
    w.app
        .db
        .run(move |c| Ok(c.write_transaction(f)))
        .await
        .unwrap()
}

fn refusal<T: std::fmt::Debug>(r: Result<T, LendingError>) -> LendingRefusal {
    match r {
        Err(LendingError::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn member(w: &World, first: &str) -> i64 {
    let centre = w.centre_a;
    let data = MemberData {
        first_name: first.into(),
        last_name: "Test".into(),
        neighbourhood: String::new(),
        contact: Contact::Centre,
        contact_detail: String::new(),
        profession: String::new(),
    };
    run(w, move |c| {
        Ok(members::register(c, centre, &data, None, true)?)
    })
    .await
    .unwrap()
}

async fn class(w: &World, name: &str, minutes: i64) -> i64 {
    let k = ItemClass {
        id: 0,
        centre_id: w.centre_a,
        name: name.into(),
        loan_days: 6,
        renewals_allowed: 1,
        max_per_member: 2,
        hold_days: 3,
        loan_minutes: minutes,
    };
    run(w, move |c| Ok(lending::create_class(c, &k)?))
        .await
        .unwrap()
}

async fn item(w: &World, class: i64, owner: Option<i64>, name: &'static str) -> i64 {
    run(w, move |c| {
        lending::create_item(c, class, owner, name, "bon état")
    })
    .await
    .unwrap()
}

async fn hold_state(w: &World, id: i64) -> (HoldStatus, Option<NaiveDate>, Option<NaiveDate>) {
    let h = run(w, move |c| lending::get_hold(c, id)).await.unwrap();
    (h.status, h.ready_on, h.expires_on)
}

#[actix_web::test]
async fn a_hold_queue_through_returns_expiries_cancellations_and_holidays() {
    let w = world().await;
    // The centre is closed on Sundays (the default setting).
    let tools = class(&w, "Outils", 0).await;
    let (a, b, c_) = (
        member(&w, "Ana").await,
        member(&w, "Ben").await,
        member(&w, "Cléo").await,
    );
    let drill = item(&w, tools, None, "Perceuse").await;
    let ladder = item(&w, tools, None, "Escabeau").await;
    let sander = item(&w, tools, None, "Ponceuse").await;

    // Saturday 2 May + 6 days = Friday 8 May, a public holiday: due Saturday 9 May.
    let loan_a = run(&w, move |c| lending::lend(c, drill, a, d(5, 2), "", None))
        .await
        .unwrap();
    let l = run(&w, move |c| lending::loan(c, loan_a)).await.unwrap();
    assert_eq!(l.due_on, d(5, 9));
    assert_eq!(l.condition_out, "bon état");
    // Two in line, in order.
    let hold_b = run(&w, move |c| lending::hold(c, drill, b, d(5, 3)))
        .await
        .unwrap();
    let hold_c = run(&w, move |c| lending::hold(c, drill, c_, d(5, 4)))
        .await
        .unwrap();
    assert_eq!(
        hold_state(&w, hold_b).await,
        (HoldStatus::Waiting, None, None)
    );
    assert_eq!(
        refusal(run(&w, move |c| lending::hold(c, drill, b, d(5, 4))).await),
        LendingRefusal::AlreadyHeld
    );
    // No renewal while someone waits.
    assert_eq!(
        refusal(run(&w, move |c| lending::renew(c, loan_a, d(5, 5))).await),
        LendingRefusal::SomeoneWaits
    );

    // Back on Thursday 7 May: Ben's hold starts, 3 days → Sunday 10 (closed) → Monday 11.
    run(&w, move |c| {
        lending::give_back(c, loan_a, d(5, 7), "mandrin un peu dur")
    })
    .await
    .unwrap();
    assert_eq!(
        hold_state(&w, hold_b).await,
        (HoldStatus::Ready, Some(d(5, 7)), Some(d(5, 11)))
    );
    assert_eq!(hold_state(&w, hold_c).await.0, HoldStatus::Waiting);
    // Cléo cannot take it meanwhile.
    assert_eq!(
        refusal(run(&w, move |c| lending::lend(c, drill, c_, d(5, 8), "", None)).await),
        LendingRefusal::NotAvailable
    );
    // Ben's hold ends on Monday 11 inclusive; on Tuesday 12 it has expired and Cléo's starts:
    // 12 + 3 = Friday 15.
    run(&w, move |c| lending::expire(c, drill, d(5, 11)))
        .await
        .unwrap();
    assert_eq!(
        hold_state(&w, hold_b).await.0,
        HoldStatus::Ready,
        "the last day counts"
    );
    run(&w, move |c| lending::expire(c, drill, d(5, 12)))
        .await
        .unwrap();
    assert_eq!(hold_state(&w, hold_b).await.0, HoldStatus::Expired);
    assert_eq!(
        hold_state(&w, hold_c).await,
        (HoldStatus::Ready, Some(d(5, 12)), Some(d(5, 15)))
    );
    // Cléo cancels on the 13th: nobody in line; Ben holds again, ready at once (13 + 3 = 16).
    run(&w, move |c| lending::cancel_hold(c, hold_c, c_, d(5, 13)))
        .await
        .unwrap();
    let hold_b2 = run(&w, move |c| lending::hold(c, drill, b, d(5, 13)))
        .await
        .unwrap();
    assert_eq!(
        hold_state(&w, hold_b2).await,
        (HoldStatus::Ready, Some(d(5, 13)), Some(d(5, 16)))
    );
    // Ben collects it on Thursday 14 (Ascension: the due date is counted from the loan): due
    // Wednesday 20; the condition noted at the return is the item's now.
    let loan_b = run(&w, move |c| lending::lend(c, drill, b, d(5, 14), "", None))
        .await
        .unwrap();
    let l = run(&w, move |c| lending::loan(c, loan_b)).await.unwrap();
    assert_eq!(
        (l.due_on, l.condition_out.as_str()),
        (d(5, 20), "mandrin un peu dur")
    );
    assert_eq!(hold_state(&w, hold_b2).await.0, HoldStatus::Honoured);

    // The class cap counts loans and holds: Ben has the drill and holds the ladder (2).
    let hold_ladder = run(&w, move |c| lending::hold(c, ladder, b, d(5, 15)))
        .await
        .unwrap();
    assert_eq!(
        refusal(run(&w, move |c| lending::hold(c, sander, b, d(5, 15))).await),
        LendingRefusal::ClassCap(2)
    );
    assert_eq!(
        refusal(run(&w, move |c| lending::lend(c, sander, b, d(5, 15), "", None)).await),
        LendingRefusal::ClassCap(2)
    );
    // His own ready hold becomes his loan without counting twice.
    let loan_ladder = run(&w, move |c| lending::lend(c, ladder, b, d(5, 16), "", None))
        .await
        .unwrap();
    assert_eq!(hold_state(&w, hold_ladder).await.0, HoldStatus::Honoured);

    // One renewal: on Tuesday 19, + 6 = Monday 25 May (Whit Monday) → Tuesday 26; no second.
    let due = run(&w, move |c| lending::renew(c, loan_b, d(5, 19)))
        .await
        .unwrap();
    assert_eq!(due, d(5, 26));
    assert_eq!(
        refusal(run(&w, move |c| lending::renew(c, loan_b, d(5, 20))).await),
        LendingRefusal::NoRenewalLeft
    );

    // The ladder was due on Friday 22: on the 27th Ben is late, and blocked.
    run(&w, move |c| lending::give_back(c, loan_b, d(5, 26), ""))
        .await
        .unwrap();
    assert_eq!(
        refusal(run(&w, move |c| lending::hold(c, sander, b, d(5, 27))).await),
        LendingRefusal::Overdue
    );
    assert_eq!(
        refusal(run(&w, move |c| lending::lend(c, drill, b, d(5, 27), "", None)).await),
        LendingRefusal::Overdue
    );
    // The reminders: late ones once.
    let (soon, late) = run(&w, |c| Ok(lending::reminders_due(c, d(5, 27), 2)?))
        .await
        .unwrap();
    assert_eq!((soon.len(), late.len()), (0, 1));
    assert_eq!(late[0].id, loan_ladder);
    let (_, late) = run(&w, |c| Ok(lending::reminders_due(c, d(5, 28), 2)?))
        .await
        .unwrap();
    assert!(late.is_empty());
    // Returned: Ben may borrow again.
    run(&w, move |c| {
        lending::give_back(c, loan_ladder, d(5, 28), "")
    })
    .await
    .unwrap();
    run(&w, move |c| lending::lend(c, sander, b, d(5, 28), "", None))
        .await
        .unwrap();
    // Lending moved no hours.
    assert_eq!(scalar(&w.app, "SELECT COUNT(*) FROM bc_transfers").await, 0);
}

#[actix_web::test]
async fn lending_moves_hours_only_when_the_class_says_so() {
    let w = world().await;
    let trailers = class(&w, "Remorques", 60).await;
    let (lender, borrower) = (member(&w, "Dina").await, member(&w, "Eli").await);
    let trailer = item(&w, trailers, Some(lender), "Remorque").await;
    run(&w, move |c| {
        lending::lend(c, trailer, borrower, d(6, 1), "", None)
    })
    .await
    .unwrap();
    let bal = |m: i64| format!("SELECT balance FROM bc_accounts WHERE member_id = {m}");
    assert_eq!(scalar(&w.app, bal(lender)).await, 60);
    assert_eq!(scalar(&w.app, bal(borrower)).await, -60);
    assert_invariants(&w).await;
}

#[actix_web::test]
async fn reminders_reach_a_real_smtp_server_before_the_due_date_and_when_late() {
    let smtp = csc_testkit::SmtpSink::start();
    let url = smtp.url();
    let app =
        csc_testkit::spawn_app_with(&csc::modules(), |s| s.smtp_url = Some(url.clone())).await;
    let centre = app.create_centre("centre-a", "Centre A").await;
    let w = World {
        app,
        centre_a: centre,
        centre_b: centre,
    };
    let tools = class(&w, "Outils", 0).await;
    let data = MemberData {
        first_name: "Eli".into(),
        last_name: "Test".into(),
        neighbourhood: String::new(),
        contact: Contact::Email,
        contact_detail: "eli@exemple.fr".into(),
        profession: String::new(),
    };
    let eli = run(&w, move |c| {
        Ok(members::register(c, centre, &data, None, true)?)
    })
    .await
    .unwrap();
    let without_mail = member(&w, "Fanny").await;
    let drill = item(&w, tools, None, "Perceuse").await;
    let saw = item(&w, tools, None, "Scie").await;
    // Due Saturday 9 May (from Saturday 2, the 8th being a holiday).
    run(&w, move |c| lending::lend(c, drill, eli, d(5, 2), "", None))
        .await
        .unwrap();
    run(&w, move |c| {
        lending::lend(c, saw, without_mail, d(5, 2), "", None)
    })
    .await
    .unwrap();
    let mailer = csc_biens_communs::mailer(&w.app.settings).unwrap();
    let daily = |day: NaiveDate| {
        let mailer = mailer.clone();
        run(&w, move |c| lending::daily(c, &mailer, day, 2))
    };
    assert_eq!(
        daily(d(5, 6)).await.unwrap(),
        0,
        "three days before: nothing yet"
    );
    assert_eq!(
        daily(d(5, 7)).await.unwrap(),
        1,
        "two days before; Fanny is told at the centre"
    );
    assert_eq!(daily(d(5, 8)).await.unwrap(), 0, "once");
    assert_eq!(daily(d(5, 10)).await.unwrap(), 1, "late");
    assert_eq!(daily(d(5, 11)).await.unwrap(), 0, "late, once");
    let mails = csc_testkit::eventually(15, "the two reminders", || async {
        let m = smtp.messages();
        (m.len() >= 2).then_some(m)
    })
    .await;
    let all = mails.join("\n");
    assert!(all.contains("eli@exemple.fr"), "{all}");
    assert!(all.contains("Perceuse"), "{all}");
    assert!(all.contains("En retard"), "{all}");
}
