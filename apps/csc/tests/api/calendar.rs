//! The shared activity calendar (`csc_activities`): what the pré-inscription books is what Check
//! will call the roll on and what Anim'Connect plans with; activities that the pré-inscription
//! never offers live there too; and the data of the first releases moved into it intact.

use chrono::{NaiveDate, NaiveTime};
use csc_activities::{registrations, ActivityKind, NewActivity, NewGroup, RegistrationState};
use csc_db::Db;
use csc_preinscription::requests::RequestStatus;
use csc_testkit::TestDb;
use diesel::connection::SimpleConnection;
use reqwest::StatusCode;

use crate::helpers::{scalar, world, PASSWORD};
use crate::preinscription::{add_accueil, child_of, family_with_request, open_activity};

#[actix_web::test]
async fn a_validated_day_is_expected_on_the_roll_call_and_counted_in_the_plan() {
    let w = world().await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", w.centre_a, "1").await;
    let (family, _) = family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;
    let child = child_of(&w.app, &family).await;
    // A second family waits for the only seat.
    family_with_request(&w.app, activity, &day, "karim@exemple.fr").await;
    let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap();
    let group = w
        .app
        .db
        .run(move |c| Ok(csc_activities::groups(c, activity)?[0].id))
        .await
        .unwrap();
    let roll_call = |db: Db| async move {
        db.run(move |c| {
            Ok((
                registrations::expected(c, group, day)?,
                registrations::expected_counts(c, activity)?,
            ))
        })
        .await
        .unwrap()
    };
    // Sent, not yet validated: nobody is expected.
    let (expected, counts) = roll_call(w.app.db.clone()).await;
    assert!(expected.is_empty());
    assert!(counts.is_empty());

    add_accueil(&w.app, w.centre_a).await;
    let accueil = w.app.new_client();
    accueil.login_ok("accueil.a@exemple.fr", PASSWORD).await;
    let first = scalar(&w.app, "SELECT min(id) FROM preinscription_requests").await;
    let decide = |status: RequestStatus| {
        let accueil = accueil.clone();
        let centre = w.centre_a;
        async move {
            let path = format!(
                "{}/gestion/{centre}/demandes/{first}/statut",
                csc_preinscription::MOUNT
            );
            let res = accueil.post_form(&path, &[("status", status.code())]).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
        }
    };
    decide(RequestStatus::Validated).await;
    let (expected, counts) = roll_call(w.app.db.clone()).await;
    assert_eq!(
        expected,
        vec![child],
        "the validated child, not the one waiting"
    );
    assert_eq!(counts, vec![(group, day, 1)]);

    // Refused afterwards: the seat goes to the child waiting, who is not confirmed yet.
    decide(RequestStatus::Refused).await;
    let (expected, counts) = roll_call(w.app.db.clone()).await;
    assert!(expected.is_empty(), "{expected:?}");
    assert!(counts.is_empty());
    let states = w
        .app
        .db
        .run(move |c| {
            use csc_activities::schema::activity_registrations as r;
            use diesel::prelude::*;
            Ok(r::table
                .filter(r::group_id.eq(group))
                .order(r::id)
                .select(r::state)
                .load::<RegistrationState>(c)?)
        })
        .await
        .unwrap();
    assert_eq!(
        states,
        vec![RegistrationState::Cancelled, RegistrationState::Placed]
    );
}

#[actix_web::test]
async fn an_activity_of_the_calendar_alone_is_not_offered_to_pre_registration() {
    let w = world().await;
    let centre = w.centre_a;
    let day = csc_core::time::today_paris() + chrono::Duration::days(3);
    let ludotheque = w
        .app
        .db
        .write(move |c| {
            Ok(csc_activities::create(
                c,
                centre,
                &NewActivity {
                    title: "Ludothèque : jeux en famille".into(),
                    kind: ActivityKind::Ludotheque,
                    description: String::new(),
                    groups: vec![NewGroup {
                        label: "Familles".into(),
                        age_min: 0,
                        age_max: 99,
                        capacity: 30,
                    }],
                    days: vec![day],
                    hours: NaiveTime::from_hms_opt(16, 0, 0).zip(NaiveTime::from_hms_opt(18, 0, 0)),
                },
            )?)
        })
        .await
        .unwrap();
    let (sessions, offered) = w
        .app
        .db
        .run(move |c| {
            Ok((
                csc_activities::sessions(c, ludotheque)?,
                csc_preinscription::activities::of_centre(c, centre, false)?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].day, day);
    assert_eq!(sessions[0].starts_at, NaiveTime::from_hms_opt(16, 0, 0));
    assert!(offered.is_empty(), "{offered:?}");
    let page = w
        .app
        .get_text(
            &format!("{}/c/centre-a", csc_preinscription::MOUNT),
            StatusCode::OK,
        )
        .await;
    assert!(!page.contains("Ludothèque"));
    // Nor can a family reach it through the pré-inscription's address.
    let referent = w.app.new_client();
    referent.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let res = referent
        .post_form(
            &format!(
                "{}/gestion/{centre}/activites/{ludotheque}/fermer",
                csc_preinscription::MOUNT
            ),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// The first releases' pré-inscription, as stored before the calendar: one activity of two
/// Wednesdays, one group, a validated request with a day reserved and a day waiting.
const FIRST_RELEASE_DATA: &str = "
INSERT INTO centres (id, slug, name, created_at, updated_at)
    VALUES (7, 'centre-m', 'Centre M', '2026-11-30 10:00:00', '2026-11-30 10:00:00');
INSERT INTO members_households (id, centre_id, token_hash, postcode, town, scheme, created_at, updated_at)
    VALUES (3, 7, 'h', '59000', 'Lille', 'caf', '2026-11-30 10:00:00', '2026-11-30 10:00:00');
INSERT INTO members_children (id, first_name, last_name, birth_date, created_at)
    VALUES (5, 'Inès', 'B', '2018-07-14', '2026-11-30 10:00:00');
INSERT INTO members_household_children (household_id, child_id) VALUES (3, 5);
INSERT INTO preinscription_grids (id, centre_id, name, spec, updated_at)
    VALUES (2, 7, 'G', '{}', '2026-11-30 10:00:00');
INSERT INTO preinscription_activities
    (id, centre_id, title, kind, description, grid_id, units, days, resident_postcodes, open, created_at)
    VALUES (11, 7, 'Mercredis', 'mercredis', '', 2, 'journee', '2027-01-06,2027-01-13', '59000', TRUE,
            '2026-11-30 10:00:00');
INSERT INTO preinscription_groups (id, activity_id, label, age_min, age_max, capacity)
    VALUES (13, 11, 'Enfants', 3, 11, 1);
INSERT INTO preinscription_places (group_id, day, capacity, taken)
    VALUES (13, '2027-01-06', 1, 1), (13, '2027-01-13', 1, 0);
INSERT INTO preinscription_requests
    (id, centre_id, household_id, activity_id, token_hash, status, total_cents, created_at, updated_at)
    VALUES (17, 7, 3, 11, 'r', 'validee', 1700, '2026-11-30 10:00:00', '2026-11-30 10:00:00');
INSERT INTO preinscription_lines
    (id, request_id, child_id, group_id, day, unit, price_cents, band, explanation, state, created_at)
    VALUES (19, 17, 5, 13, '2027-01-06', 'journee', 850, '', 'QF 612', 'place', '2026-11-30 10:00:00'),
           (23, 17, 5, 13, '2027-01-13', 'journee', 850, '', 'QF 612', 'attente', '2026-11-30 10:00:00');
";

#[actix_web::test]
async fn the_first_releases_activities_and_requests_move_into_the_calendar_intact() {
    let test_db = TestDb::new();
    let db = Db::connect(test_db.url(), 2).unwrap();
    let mut conn = db.get().unwrap();
    let before = csc_db::run_migrations_before(&mut conn, "2026-12-04-000002").unwrap();
    assert!(before > 0);
    conn.batch_execute(FIRST_RELEASE_DATA).unwrap();
    // The calendar's migration, and those of the apps added since.
    assert!(csc_db::run_migrations(&mut conn).unwrap() >= 1);

    let a = csc_preinscription::activities::get(&mut conn, 7, 11).unwrap();
    assert_eq!(a.title, "Mercredis");
    assert_eq!(a.kind, ActivityKind::Wednesdays);
    assert_eq!(a.grid_id, 2);
    assert_eq!(a.resident_postcodes, "59000");
    assert!(a.open);
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert_eq!(a.days, vec![d("2027-01-06"), d("2027-01-13")]);
    let occupancy = csc_activities::occupancy(&mut conn, 11).unwrap();
    assert_eq!(
        occupancy
            .iter()
            .map(|o| (o.group_id, o.taken, o.capacity))
            .collect::<Vec<_>>(),
        vec![(13, 1, 1), (13, 0, 1)]
    );
    let lines = csc_preinscription::requests::lines(&mut conn, 17).unwrap();
    assert_eq!(
        lines
            .iter()
            .map(|l| (l.id, l.child_id, l.group_id, l.day, l.state, l.price_cents))
            .collect::<Vec<_>>(),
        vec![
            (19, 5, 13, d("2027-01-06"), RegistrationState::Placed, 850),
            (23, 5, 13, d("2027-01-13"), RegistrationState::Waiting, 850),
        ]
    );
    // The validated request's reserved day is expected on the roll call.
    assert_eq!(
        registrations::expected(&mut conn, 13, d("2027-01-06")).unwrap(),
        vec![5]
    );
    // New rows get new ids after the copied ones.
    let id = csc_activities::create(
        &mut conn,
        7,
        &NewActivity {
            title: "LAEP".into(),
            kind: ActivityKind::Laep,
            description: String::new(),
            groups: vec![],
            days: vec![d("2027-01-08")],
            hours: None,
        },
    )
    .unwrap();
    assert!(id > 11);
    drop(conn);
}
