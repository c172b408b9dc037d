//! The planning: periods on the shared calendar, sessions in the week grid, who may edit which
//! group, copies of a week and of a period, the staffing warnings, the pedagogical project's
//! coverage and the week's material list.

use chrono::NaiveDate;
use csc_activities::{ActivityKind, NewActivity, NewGroup};
use csc_core::Role;
use csc_testkit::{location, TestClient};
use reqwest::StatusCode;

use crate::helpers::{scalar, world, World, PASSWORD};

fn ac(path: &str) -> String {
    format!("{}{path}", csc_animconnect::MOUNT)
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The Wednesdays of March 2026 (in term: périscolaire) for two groups.
async fn activity(w: &World) -> (i64, i64, i64) {
    let centre = w.centre_a;
    w.app
        .db
        .run(move |c| {
            let id = csc_activities::create(
                c,
                centre,
                &NewActivity {
                    title: "Mercredis de mars".into(),
                    kind: ActivityKind::Wednesdays,
                    description: String::new(),
                    groups: vec![
                        NewGroup {
                            label: "Petits".into(),
                            age_min: 3,
                            age_max: 5,
                            capacity: 16,
                        },
                        NewGroup {
                            label: "Grands".into(),
                            age_min: 6,
                            age_max: 11,
                            capacity: 24,
                        },
                    ],
                    days: ["2026-03-04", "2026-03-11", "2026-03-18", "2026-03-25"]
                        .into_iter()
                        .map(d)
                        .collect(),
                    hours: None,
                },
            )?;
            let groups = csc_activities::groups(c, id)?;
            Ok((id, groups[0].id, groups[1].id))
        })
        .await
        .unwrap()
}

struct Setup {
    w: World,
    director: TestClient,
    period: i64,
    petits: i64,
    grands: i64,
    slots: Vec<i64>,
}

async fn signed_in(w: &World, email: &str) -> TestClient {
    let c = w.app.new_client();
    c.login_ok(email, PASSWORD).await;
    c
}

async fn setup() -> Setup {
    let w = world().await;
    let (activity, petits, grands) = activity(&w).await;
    let director = signed_in(&w, "referent.a@exemple.fr").await;
    let cid = w.centre_a;
    let res = director
        .post_form(
            &ac(&format!("/centre/{cid}/periodes")),
            &[
                ("title", "Mercredis de mars"),
                ("activity", &activity.to_string()),
                ("first_day", "2026-03-01"),
                ("last_day", "2026-03-31"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let period: i64 = location(&res).rsplit('/').next().unwrap().parse().unwrap();
    let slots = slot_ids(&w, period).await;
    Setup {
        w,
        director,
        period,
        petits,
        grands,
        slots,
    }
}

async fn slot_ids(w: &World, period: i64) -> Vec<i64> {
    w.app
        .db
        .run(move |c| {
            Ok(csc_animconnect::planning::slots(c, period)?
                .into_iter()
                .map(|s| s.id)
                .collect())
        })
        .await
        .unwrap()
}

impl Setup {
    fn period_url(&self, tail: &str) -> String {
        ac(&format!(
            "/centre/{}/periodes/{}{tail}",
            self.w.centre_a, self.period
        ))
    }

    /// Adds a team member through the form; their id.
    async fn member(&self, name: &str, qualification: &str, director: bool, email: &str) -> i64 {
        let mut f = vec![
            ("name", name),
            ("qualification", qualification),
            ("email", email),
        ];
        if director {
            f.push(("director", "on"));
        }
        let res = self
            .director
            .post_form(&ac(&format!("/centre/{}/equipe", self.w.centre_a)), &f)
            .await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "{}",
            res.text().await.unwrap()
        );
        scalar(
            &self.w.app,
            format!("SELECT id FROM animconnect_team WHERE name = '{name}'"),
        )
        .await
    }

    async fn plan(
        &self,
        c: &TestClient,
        group: i64,
        day: &str,
        slot: usize,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let (g, s) = (group.to_string(), self.slots[slot].to_string());
        let mut f: Vec<(&str, &str)> = vec![("groupe", &g), ("jour", day), ("creneau", &s)];
        f.extend_from_slice(fields);
        c.post_form(&self.period_url("/seance"), &f).await
    }
}

#[actix_web::test]
async fn the_director_plans_a_week_and_sees_the_staffing_warnings() {
    let s = setup().await;
    let lea = s.member("Léa Martin", "bafa", false, "").await;
    let sam = s.member("Sam Petit", "non-qualifie", false, "").await;
    let (lea_f, sam_f) = (format!("lead_{lea}"), format!("lead_{sam}"));
    // Wednesday 11 March 2026, afternoon (slot 4): the Grands with Léa only.
    let res = s
        .plan(
            &s.director,
            s.grands,
            "2026-03-11",
            4,
            &[
                ("title", "Grand jeu des pirates"),
                ("place", "Cour"),
                (&lea_f, "on"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    let page = s
        .director
        .get_text(
            &s.period_url(&format!("?groupe={}&semaine=2026-03-11", s.grands)),
            StatusCode::OK,
        )
        .await;
    assert!(page.contains("Grand jeu des pirates"));
    // 24 places aged 6+, 9 hours (périscolaire > 5 h): 24/12 = 2 required; one in the team.
    assert!(
        page.contains("Mercredi 11 mars 2026, après-midi (Grands) : il manque 1 animateur·rice : 1 dans l&#x27;équipe pour 2 requis."),
        "{page}"
    );
    // With Sam (unqualified) the count is right but 2 required allow no unqualified member.
    s.plan(
        &s.director,
        s.grands,
        "2026-03-11",
        4,
        &[
            ("title", "Grand jeu des pirates"),
            (&lea_f, "on"),
            (&sam_f, "on"),
        ],
    )
    .await;
    let page = s
        .director
        .get_text(
            &s.period_url(&format!("?groupe={}&semaine=2026-03-11", s.grands)),
            StatusCode::OK,
        )
        .await;
    assert!(
        page.contains(
            "trop de non-qualifié·e·s : 1 dans l&#x27;équipe, 0 au plus comptent pour 2 requis"
        ),
        "{page}"
    );
    // A PEDT lowers the rate to 1/14 for 6+ beyond 5 hours: 24/14 → 2 still; then a second
    // qualified member clears it.
    let tom = s.member("Tom Durand", "bafa", false, "").await;
    let tom_f = format!("lead_{tom}");
    s.plan(
        &s.director,
        s.grands,
        "2026-03-11",
        4,
        &[
            ("title", "Grand jeu des pirates"),
            (&lea_f, "on"),
            (&tom_f, "on"),
        ],
    )
    .await;
    let page = s
        .director
        .get_text(
            &s.period_url(&format!("?groupe={}&semaine=2026-03-11", s.grands)),
            StatusCode::OK,
        )
        .await;
    assert!(page.contains("Aucun manque d'encadrement"), "{page}");
    // An animator cannot lead two sessions at the same time.
    let res = s
        .plan(
            &s.director,
            s.petits,
            "2026-03-11",
            4,
            &[("title", "Pâte à sel"), (&lea_f, "on")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("Léa Martin anime déjà une autre séance ce jour-là de 14:30 à 17:00"),
        "{body}"
    );
    assert!(body.contains("value=\"Pâte à sel\""), "input kept");
}

#[actix_web::test]
async fn expected_children_come_from_the_registrations_by_age_on_the_day() {
    let s = setup().await;
    let lea = s.member("Léa Martin", "bafa", false, "").await;
    let lea_f = format!("lead_{lea}");
    // Nine children registered in the Petits on 18 March: one turns 6 that very day.
    let petits = s.petits;
    s.w.app
        .db
        .run(move |c| {
            use diesel::prelude::*;
            for i in 0..9 {
                let birth = if i == 0 { "2020-03-18" } else { "2021-06-01" };
                diesel::sql_query(format!(
                    "INSERT INTO members_children (first_name, last_name, birth_date, disability, health, created_at) VALUES ('Enfant{i}', 'X', '{birth}', false, '', '2026-01-01 00:00:00')"
                ))
                .execute(c)?;
            }
            diesel::sql_query(format!(
                "INSERT INTO activity_registrations (group_id, day, child_id, state, confirmed, app, created_at) SELECT {petits}, '2026-03-18', id, 'placee', true, 'test', '2026-01-01 00:00:00' FROM members_children"
            ))
            .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(
        scalar(&s.w.app, "SELECT COUNT(*) FROM activity_registrations").await,
        9
    );
    s.plan(
        &s.director,
        s.petits,
        "2026-03-18",
        1,
        &[("title", "Éveil musical"), (&lea_f, "on")],
    )
    .await;
    let page = s
        .director
        .get_text(
            &s.period_url(&format!("?groupe={}&semaine=2026-03-18", s.petits)),
            StatusCode::OK,
        )
        .await;
    // 8 under 6 and 1 aged 6 on the day: 8/8 + 1/12 → 2 required (not 16 places' worth).
    assert!(page.contains("Mercredi 18 mars 2026, matin (Petits) : il manque 1 animateur·rice : 1 dans l&#x27;équipe pour 2 requis."), "{page}");
}

#[actix_web::test]
async fn animators_edit_only_the_groups_they_lead_and_other_centres_nothing() {
    let s = setup().await;
    s.w.app
        .create_user(
            "anim.a@exemple.fr",
            PASSWORD,
            false,
            &[(s.w.centre_a, Role::Animateur)],
        )
        .await;
    s.w.app
        .create_user(
            "anim.b@exemple.fr",
            PASSWORD,
            false,
            &[(s.w.centre_b, Role::Animateur)],
        )
        .await;
    let anim = signed_in(&s.w, "anim.a@exemple.fr").await;
    let other = signed_in(&s.w, "anim.b@exemple.fr").await;
    let me = s.member("Anim A", "bafa", false, "anim.a@exemple.fr").await;
    // Leads the Petits.
    let res = s
        .director
        .post_form(
            &ac(&format!("/centre/{}/equipe/{me}", s.w.centre_a)),
            &[
                ("periode", &s.period.to_string()),
                (&format!("group_{}", s.petits), "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = s
        .plan(&anim, s.petits, "2026-03-04", 1, &[("title", "Pâte à sel")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = s
        .plan(&anim, s.grands, "2026-03-04", 1, &[("title", "Relais")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Reads every group of the centre.
    anim.get_text(
        &s.period_url(&format!("?groupe={}", s.grands)),
        StatusCode::OK,
    )
    .await;
    // Centre B's animator sees nothing of centre A's planning; a period id of A under B's
    // centre is not found.
    assert_eq!(
        other.get(&s.period_url("")).await.status(),
        StatusCode::FORBIDDEN
    );
    let res = s
        .plan(&other, s.petits, "2026-03-04", 1, &[("title", "Intrus")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let b_director = signed_in(&s.w, "referent.b@exemple.fr").await;
    let foreign = ac(&format!("/centre/{}/periodes/{}", s.w.centre_b, s.period));
    assert_eq!(
        b_director.get(&foreign).await.status(),
        StatusCode::NOT_FOUND
    );
    // A parent sees the planning pages of no centre.
    let parent = signed_in(&s.w, "habitant.a@exemple.fr").await;
    assert_eq!(
        parent.get(&s.period_url("")).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        scalar(&s.w.app, "SELECT COUNT(*) FROM animconnect_sessions").await,
        1
    );
}

#[actix_web::test]
async fn a_week_and_a_period_are_copied() {
    let s = setup().await;
    for (day, slot, title) in [
        ("2026-03-04", 1, "Relais"),
        ("2026-03-04", 4, "Cinéma"),
        ("2026-03-11", 1, "Cuisine"),
    ] {
        let res = s
            .plan(&s.director, s.grands, day, slot, &[("title", title)])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    s.plan(
        &s.director,
        s.petits,
        "2026-03-04",
        1,
        &[("title", "Comptines")],
    )
    .await;
    // The week of 4 March onto the week of 18 March, Grands only.
    let res = s
        .director
        .post_form(
            &s.period_url("/copier-semaine"),
            &[
                ("from", "2026-03-02"),
                ("to", "2026-03-18"),
                ("groupe", &s.grands.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let count = |day: &str, group: i64| {
        let sql = format!(
            "SELECT COUNT(*) FROM animconnect_sessions WHERE day = '{day}' AND group_id = {group}"
        );
        let app = &s.w.app;
        async move { scalar(app, sql).await }
    };
    assert_eq!(count("2026-03-18", s.grands).await, 2);
    assert_eq!(count("2026-03-18", s.petits).await, 0);
    // Copied again: replaced, not doubled.
    s.director
        .post_form(
            &s.period_url("/copier-semaine"),
            &[
                ("from", "2026-03-04"),
                ("to", "2026-03-16"),
                ("groupe", &s.grands.to_string()),
            ],
        )
        .await;
    assert_eq!(count("2026-03-18", s.grands).await, 2);
    // The whole period onto April: the Wednesdays of March are days of the activity only in
    // March, so every day falls outside and is skipped.
    let res = s
        .director
        .post_form(
            &s.period_url("/copier"),
            &[
                ("title", "Mercredis de mars (copie)"),
                ("first_day", "2026-03-01"),
                ("last_day", "2026-03-31"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let flash = s.director.get_text(&location(&res), StatusCode::OK).await;
    assert!(
        flash.contains("La période est copiée : 6 séances."),
        "{flash}"
    );
    assert_eq!(
        scalar(&s.w.app, "SELECT COUNT(*) FROM animconnect_periods").await,
        2
    );
    assert_eq!(
        scalar(&s.w.app, "SELECT COUNT(*) FROM animconnect_sessions").await,
        12
    );
    // Only the director copies a period.
    s.w.app
        .create_user(
            "anim.a@exemple.fr",
            PASSWORD,
            false,
            &[(s.w.centre_a, Role::Animateur)],
        )
        .await;
    let anim = signed_in(&s.w, "anim.a@exemple.fr").await;
    let res = anim
        .post_form(
            &s.period_url("/copier"),
            &[
                ("title", "X"),
                ("first_day", "2026-03-01"),
                ("last_day", "2026-03-31"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn coverage_of_the_project_and_material_of_the_week() {
    let s = setup().await;
    let cid = s.w.centre_a;
    let add = |parent: String, title: &'static str| {
        let c = &s.director;
        async move {
            let res = c
                .post_form(
                    &ac(&format!("/centre/{cid}/projet")),
                    &[("parent", &parent), ("title", title)],
                )
                .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{title}");
        }
    };
    add(String::new(), "Vivre ensemble").await;
    add(String::new(), "Découvrir la nature").await;
    let obj = |title: &'static str| {
        let app = &s.w.app;
        async move {
            scalar(
                app,
                format!("SELECT id FROM animconnect_objectives WHERE title = '{title}'"),
            )
            .await
        }
    };
    let intention = obj("Vivre ensemble").await;
    add(intention.to_string(), "Coopérer").await;
    let general = obj("Coopérer").await;
    add(general.to_string(), "Jouer en équipe").await;
    add(general.to_string(), "S'entraider").await;
    let op1 = obj("Jouer en équipe").await;
    // An operational objective has no child.
    let res = s
        .director
        .post_form(
            &ac(&format!("/centre/{cid}/projet")),
            &[("parent", &op1.to_string()), ("title", "Trop bas")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A sheet tagged « Jouer en équipe », with material.
    let sheet_form: Vec<(&str, &str)> = vec![
        ("title", "Relais"),
        ("kind", "jeu"),
        ("theme", "cooperation"),
        ("age_min", "6"),
        ("age_max", "11"),
        ("group_min", "6"),
        ("group_max", "24"),
        ("duration", "45"),
        ("place", "dehors"),
        ("visibility", "centre"),
        ("m0_article", "Plots"),
        ("m0_quantity", "8"),
        ("m0_unit", ""),
        ("m1_article", "Balles"),
        ("m1_quantity", "10"),
        ("m1_unit", "pièces"),
    ];
    let op1_field = format!("obj_{op1}");
    let mut f = sheet_form.clone();
    f.push((&op1_field, "on"));
    let res = s.director.post_form(&ac("/fiches/nouvelle"), &f).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let sheet: i64 = location(&res).rsplit('/').next().unwrap().parse().unwrap();
    let sheet_s = sheet.to_string();
    // Three sessions in the week of 4 March: two with the sheet, one free and untagged.
    s.plan(
        &s.director,
        s.grands,
        "2026-03-04",
        1,
        &[("sheet", &sheet_s)],
    )
    .await;
    s.plan(
        &s.director,
        s.petits,
        "2026-03-04",
        4,
        &[("sheet", &sheet_s)],
    )
    .await;
    s.plan(
        &s.director,
        s.grands,
        "2026-03-04",
        4,
        &[("title", "Jeux libres")],
    )
    .await;
    let report = s
        .director
        .get_text(
            &s.period_url("/couverture?semaine=2026-03-04"),
            StatusCode::OK,
        )
        .await;
    assert!(
        report.contains("3 séances, dont 2 liées à au moins un objectif (67 %)"),
        "{report}"
    );
    assert!(report.contains("(2 jamais travaillés)"), "{report}");
    assert!(
        report.contains(
            "Objectif opérationnel : S&#x27;entraider <strong>— jamais travaillé</strong>"
        ),
        "{report}"
    );
    assert!(report
        .contains("Intention éducative : Découvrir la nature <strong>— jamais travaillé</strong>"));
    // The sheet's uses are counted.
    assert_eq!(
        scalar(
            &s.w.app,
            format!("SELECT CAST(uses AS BIGINT) FROM animconnect_sheets WHERE id = {sheet}")
        )
        .await,
        2
    );
    // Material: summed across groups, with the sessions that need it.
    let list = s
        .director
        .get_text(
            &s.period_url("/materiel?semaine=2026-03-04"),
            StatusCode::OK,
        )
        .await;
    assert!(
        list.contains("<th scope=\"row\">Plots</th><td>16 </td>"),
        "{list}"
    );
    assert!(
        list.contains("<th scope=\"row\">Balles</th><td>20 pièces</td>"),
        "{list}"
    );
    assert!(
        list.contains("mercredi 4 mars 2026, Matin — Relais (Grands)"),
        "{list}"
    );
}

#[actix_web::test]
async fn families_read_the_programme_and_its_calendar_without_names() {
    let s = setup().await;
    let lea = s.member("Léa Martin", "bafa", false, "").await;
    let lea_f = format!("lead_{lea}");
    let res = s
        .plan(
            &s.director,
            s.grands,
            "2026-03-11",
            4,
            &[
                ("title", "Grand jeu des pirates"),
                ("place", "Parc Jean-Baptiste Lebas"),
                (&lea_f, "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    s.director
        .post_form(
            &ac(&format!("/centre/{}/reglages", s.w.centre_a)),
            &[("project_summary", "Grandir ensemble, en jouant dehors.")],
        )
        .await;
    let visitor = s.w.app.new_client();
    let week = ac(&format!(
        "/programme/centre-a/groupe/{}?semaine=2026-03-09",
        s.grands
    ));
    let page = visitor.get_text(&week, StatusCode::OK).await;
    assert!(
        page.contains("Grand jeu des pirates</strong> — Parc Jean-Baptiste Lebas"),
        "{page}"
    );
    assert!(
        page.contains("Le déjeuner ensemble, puis un moment libre."),
        "slots explained"
    );
    assert!(page.contains("Grandir ensemble, en jouant dehors."));
    assert!(!page.contains("Léa"), "no staff name for families");
    let index = visitor
        .get_text(&ac("/programme/centre-a"), StatusCode::OK)
        .await;
    assert!(
        index.contains(&format!("/programme/centre-a/groupe/{}", s.grands)),
        "{index}"
    );
    // A group of another centre is not found under this one.
    let other = ac(&format!("/programme/centre-b/groupe/{}", s.grands));
    assert_eq!(visitor.get(&other).await.status(), StatusCode::NOT_FOUND);

    // The iCal feed, parsed back by an independent parser (Python's icalendar).
    let res = visitor
        .get(&ac(&format!(
            "/programme/centre-a/groupe/{}/agenda.ics",
            s.grands
        )))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let ics = res.text().await.unwrap();
    assert!(!ics.contains("Léa"));
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
for e in cal.walk("VEVENT"):
    print(e.get("SUMMARY"), e.decoded("DTSTART").isoformat(), e.decoded("DTEND").isoformat(), e.get("LOCATION"), bool(e.get("UID")), bool(e.get("DTSTAMP")))
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ics.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}");
    // 14:30–17:00 in Paris on 11 March 2026 (UTC+1) is 13:30–16:00 UTC.
    assert_eq!(
        text.trim(),
        "Après-midi — Grand jeu des pirates 2026-03-11T13:30:00+00:00 2026-03-11T16:00:00+00:00 Parc Jean-Baptiste Lebas True True"
    );
}

#[actix_web::test]
async fn the_kiosque_portal_and_the_preinscription_link_to_the_programme() {
    let w = world().await;
    activity(&w).await;
    let visitor = w.app.new_client();
    let portal = visitor
        .get_text("/kiosque/c/centre-a", StatusCode::OK)
        .await;
    assert!(
        portal.contains("href=\"/animconnect/programme/centre-a\""),
        "{portal}"
    );
    let res = visitor.get("/animconnect/programme/centre-a").await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[actix_web::test]
async fn the_admin_adds_the_school_holidays_of_a_later_year() {
    let w = world().await;
    let admin = signed_in(&w, "admin@exemple.fr").await;
    let director = signed_in(&w, "referent.a@exemple.fr").await;
    let page = admin.get_text(&ac("/vacances"), StatusCode::OK).await;
    assert!(
        page.contains("du 07&#x2F;07&#x2F;2022 au 31&#x2F;08&#x2F;2028"),
        "{page}"
    );
    assert_eq!(
        director.get(&ac("/vacances")).await.status(),
        StatusCode::FORBIDDEN
    );
    let add = |name: &'static str, a: &'static str, b: &'static str| {
        let admin = admin.clone();
        async move {
            admin
                .post_form(
                    &ac("/vacances"),
                    &[("name", name), ("first_day", a), ("last_day", b)],
                )
                .await
        }
    };
    let res = add("Vacances de la Toussaint", "2028-10-21", "2028-11-05").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Overlapping what is known, reversed, or not a holiday's name: refused.
    let res = add("Vacances de Noël", "2028-10-30", "2028-11-02").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("chevauchent des vacances déjà connues"));
    let res = add("Vacances de Noël", "2027-12-20", "2027-12-22").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = add("Vacances de Noël", "2029-01-02", "2028-12-23").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = add("Relâche", "2028-12-23", "2029-01-07").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        scalar(&w.app, "SELECT COUNT(*) FROM animconnect_school_holidays").await,
        1
    );
    // The staffing check now knows the Toussaint 2028 as extrascolaire.
    let known = w
        .app
        .db
        .run(|c| {
            let extra = csc_animconnect::planning::school_holidays(c)?;
            Ok(
                csc_animconnect::staffing::period_with(d("2028-10-25"), &extra)
                    .map(|p| p.0)
                    .ok(),
            )
        })
        .await
        .unwrap();
    assert_eq!(
        known,
        Some(csc_animconnect::staffing::Period::Extrascolaire)
    );
}

#[actix_web::test]
async fn each_day_of_the_grid_opens_its_roll_call_in_check() {
    let s = setup().await;
    let page = s
        .director
        .get_text(
            &s.period_url(&format!("?groupe={}&semaine=2026-03-11", s.grands)),
            StatusCode::OK,
        )
        .await;
    let start = page.find("href=\"/check/equipe/").expect("a link to Check");
    let link: String = page[start + 6..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let roll_call = s.director.get_text(&link, StatusCode::OK).await;
    assert!(roll_call.contains("Mercredis de mars"), "{roll_call}");
}
