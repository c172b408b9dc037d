//! The kiosk in a real browser (Debian's headless Chromium driven by playwright-core, with
//! axe-core): `apps/kiosque/tests/browser/kiosk.mjs` against this app. It needs Node.js, Chromium
//! and the npm packages that `scripts/browser-deps.sh` installs; `scripts/test.sh` runs both and sets
//! `BROWSER_TESTS=1`. Without that variable the test says so and does nothing.

use std::path::PathBuf;
use std::process::Command;

use csc_testkit::spawn_app;

#[tokio::test]
async fn the_kiosk_works_in_chromium_and_passes_axe() {
    if std::env::var("BROWSER_TESTS").map_or(true, |v| v.is_empty()) {
        eprintln!("browser test not run: set BROWSER_TESTS=1 after scripts/browser-deps.sh (scripts/test.sh does)");
        return;
    }
    let app = spawn_app(&csc::modules()).await;
    let centre = app
        .create_centre("centre-test", "Centre social de l'Épine")
        .await;
    // 10 seconds before the warning, the shortest warning allowed (20 s): the test waits for both.
    let kiosk = app
        .db
        .run(move |c| {
            Ok(csc_kiosque::kiosks::create(
                c,
                centre,
                "Borne de test",
                10,
                20,
            )?)
        })
        .await
        .unwrap();
    let family = preinscription_pages(&app, centre).await;
    let (staff, request) = staff_pages(&app, centre, &family).await;
    let anim = animconnect_pages(&app, centre).await;
    let staff = format!("{staff} {}", anim.staff);
    let extra = format!("{family} {request} {}", anim.public);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../kiosque/tests/browser");
    let kiosque = format!("{}{}", app.address, csc_kiosque::MOUNT);
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg("kiosk.mjs")
            .current_dir(&dir)
            .env("KIOSK_URL", format!("{kiosque}/borne/{}", kiosk.token))
            .env("PORTAL_URL", format!("{kiosque}/c/centre-test"))
            .env("EXTRA_AXE_URLS", &extra)
            .env("STAFF_EMAIL", "admin@exemple.fr")
            .env("STAFF_PASSWORD", STAFF_PASSWORD)
            .env("STAFF_URLS", &staff)
            .env("PLAN_URL", &anim.plan)
            .env("PLAN_WEEK_URL", &anim.week)
            .env(
                "PRICE_URL",
                extra
                    .split(' ')
                    .find(|u| u.contains("/activite/"))
                    .unwrap_or_default(),
            )
            .env(
                "GUIDE_URL",
                format!("{kiosque}/c/centre-test/demarche/caf-declarer-ressources"),
            )
            .output()
    })
    .await
    .unwrap()
    .expect("node runs (scripts/browser-deps.sh installs it)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success() && stdout.contains(", 0 failed"),
        "browser test failed:\n{stdout}\n{stderr}"
    );
}

/// The pre-registration's main pages for the accessibility check: the centre's offer, the
/// household form, a family's page, the choice of days with its price, the QF helper.
async fn preinscription_pages(app: &csc_testkit::TestApp, centre: i64) -> String {
    use csc_preinscription::{activities, grids};
    let today = csc_core::time::today_paris();
    let family = app
        .db
        .run(move |c| {
            let (name, spec) = grids::GridForm {
                name: "Grille".into(),
                spec: include_str!("../../../preinscription/data/grille-demo.json").into(),
            }
            .parse()
            .unwrap();
            let grid = grids::save(c, centre, &name, &spec)?;
            let day = (today + chrono::Duration::days(7))
                .format("%Y-%m-%d")
                .to_string();
            let form = activities::ActivityForm(
                [
                    ("title", "Mercredis"),
                    ("kind", "mercredis"),
                    ("grid_id", grid.to_string().as_str()),
                    ("unit_journee", "on"),
                    ("start", day.as_str()),
                    ("end", day.as_str()),
                    ("wd_1", "on"),
                    ("wd_2", "on"),
                    ("wd_3", "on"),
                    ("wd_4", "on"),
                    ("wd_5", "on"),
                    ("wd_6", "on"),
                    ("wd_7", "on"),
                    ("g1_label", "Enfants"),
                    ("g1_age_min", "3"),
                    ("g1_age_max", "11"),
                    ("g1_capacity", "10"),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            );
            let activity = activities::create(c, centre, &form.parse(&[grid], today).unwrap())?;
            let household = csc_members::HouseholdForm(
                [
                    ("a1_first_name", "Samia"),
                    ("a1_last_name", "Benali"),
                    ("a1_email", "samia@exemple.fr"),
                    ("postcode", "59000"),
                    ("town", "Lille"),
                    ("scheme", "caf"),
                    ("qf", "825"),
                    ("c1_first_name", "Inès"),
                    ("c1_last_name", "Benali"),
                    ("c1_birth_date", "2018-07-14"),
                    ("consent_data", "on"),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            )
            .parse(today)
            .unwrap();
            let (_, secret) = csc_members::household::create(c, centre, &household, 2200, today)?;
            Ok((secret, activity))
        })
        .await
        .unwrap();
    let base = format!("{}{}", app.address, csc_preinscription::MOUNT);
    let (secret, activity) = family;
    [
        format!("{base}/c/centre-test"),
        format!("{base}/c/centre-test/adhesion"),
        format!("{base}/foyer/{secret}"),
        format!("{base}/foyer/{secret}/activite/{activity}"),
        format!("{base}/calcul-qf?revenus=30000&prestations=150&enfants=2"),
    ]
    .join(" ")
}

const STAFF_PASSWORD: &str = "une phrase pour la gestion";

/// A second family sends a request to the activity of `preinscription_pages`; an administrator
/// (who sees every staff page) will check the staff pages of the pre-registration and of the
/// kiosque, and the suite's account and admin pages. Returns those pages and the family's page of the request.
async fn staff_pages(
    app: &csc_testkit::TestApp,
    centre: i64,
    family_pages: &str,
) -> (String, String) {
    app.create_user("admin@exemple.fr", STAFF_PASSWORD, true, &[])
        .await;
    let activity: i64 = family_pages
        .split(' ')
        .find_map(|u| u.split("/activite/").nth(1))
        .and_then(|id| id.parse().ok())
        .unwrap();
    let today = csc_core::time::today_paris();
    let (secret, child) = app
        .db
        .run(move |c| {
            let data = csc_members::HouseholdForm(
                [
                    ("a1_first_name", "Karim"),
                    ("a1_last_name", "Haddad"),
                    ("a1_email", "karim@exemple.fr"),
                    ("postcode", "59000"),
                    ("town", "Lille"),
                    ("scheme", "msa"),
                    ("c1_first_name", "Yanis"),
                    ("c1_last_name", "Haddad"),
                    ("c1_birth_date", "2017-03-02"),
                    ("c1_health", "Asthme : ventoline dans le sac"),
                    ("consent_data", "on"),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            )
            .parse(today)
            .unwrap();
            let (id, secret) = csc_members::household::create(c, centre, &data, 2200, today)?;
            Ok((secret, csc_members::household::children(c, id)?[0].id))
        })
        .await
        .unwrap();
    let day = (today + chrono::Duration::days(7)).format("%Y-%m-%d");
    let field = format!("d_{child}_{day}");
    let res = app
        .new_client()
        .post_form(
            &format!(
                "{}/foyer/{secret}/activite/{activity}",
                csc_preinscription::MOUNT
            ),
            &[(field.as_str(), "journee"), ("action", "envoyer")],
        )
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
    let request = format!("{}{}", app.address, csc_testkit::location(&res));
    let base = format!(
        "{}{}/gestion/{centre}",
        app.address,
        csc_preinscription::MOUNT
    );
    let kiosque = format!("{}{}", app.address, csc_kiosque::MOUNT);
    let staff = [
        base.clone(),
        format!("{base}/demandes/1"),
        format!("{base}/activites"),
        format!("{base}/grilles"),
        format!("{base}/export"),
        // The kiosque's pages for referents and admins.
        format!("{kiosque}/gestion/{centre}"),
        format!("{kiosque}/gestion/{centre}/demarches"),
        format!("{kiosque}/gestion/{centre}/bornes"),
        format!("{kiosque}/gestion/{centre}/aide"),
        format!("{kiosque}/gestion/{centre}/ateliers"),
        format!("{kiosque}/gestion/{centre}/statistiques"),
        format!("{kiosque}/catalogue"),
        // The suite's own pages for the same account.
        format!("{}/mon-compte", app.address),
        format!("{}/admin", app.address),
        format!("{}/admin/centres", app.address),
        format!("{}/admin/utilisateurs", app.address),
        format!("{}/admin/courriels", app.address),
        format!("{}/stats", app.address),
    ]
    .join(" ");
    (staff, request)
}

/// Anim'Connect's pages for the accessibility check and the planning journey: a centre with an
/// activity, a period, a team member and a shared sheet.
struct AnimPages {
    /// Staff pages, signed in as the admin (the director of every centre).
    staff: String,
    /// Public pages (the families' programme).
    public: String,
    /// The form of an empty cell of the grid, and the week it belongs to.
    plan: String,
    week: String,
}

async fn animconnect_pages(app: &csc_testkit::TestApp, centre: i64) -> AnimPages {
    use csc_activities::{ActivityKind, NewActivity, NewGroup};
    use csc_animconnect::{planning, sheets};
    let day: chrono::NaiveDate = "2026-03-11".parse().unwrap();
    let (period, group, slot, sheet, member) = app
        .db
        .run(move |c| {
            let activity = csc_activities::create(
                c,
                centre,
                &NewActivity {
                    title: "Mercredis".into(),
                    kind: ActivityKind::Wednesdays,
                    description: String::new(),
                    groups: vec![NewGroup {
                        label: "Grands".into(),
                        age_min: 6,
                        age_max: 11,
                        capacity: 24,
                    }],
                    days: vec![day],
                    hours: None,
                },
            )?;
            let period = planning::create_period(
                c,
                centre,
                &planning::NewPeriod {
                    activity_id: activity,
                    title: "Mercredis de mars".into(),
                    first_day: day,
                    last_day: day,
                    slots: planning::default_slots(),
                },
            )?;
            let group = csc_activities::groups(c, activity)?[0].id;
            let slot = planning::slots(c, period)?[1].id;
            let member = planning::add_member(
                c,
                centre,
                "Léa Martin",
                csc_animconnect::staffing::Qualification::Qualified,
                false,
                None,
            )?;
            let form = sheets::SheetForm(
                [
                    ("title", "Le relais des déménageurs"),
                    ("kind", "jeu"),
                    ("theme", "cooperation"),
                    ("age_min", "6"),
                    ("age_max", "11"),
                    ("group_min", "8"),
                    ("group_max", "24"),
                    ("duration", "45"),
                    ("place", "dehors"),
                    ("visibility", "partagee"),
                    ("m0_article", "plots"),
                    ("m0_quantity", "8"),
                    ("s0_what", "Former les équipes"),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            );
            let data = form.parse(&[]).expect("a valid sheet");
            let sheet = sheets::create(
                c,
                &sheets::Author {
                    user_id: None,
                    name: "Léa M.".into(),
                    centre_id: centre,
                },
                &data,
                None,
            )?;
            Ok((period, group, slot, sheet, member))
        })
        .await
        .unwrap();
    let _ = member;
    let a = format!("{}{}", app.address, csc_animconnect::MOUNT);
    let p = format!("{a}/centre/{centre}/periodes/{period}");
    let staff = [
        format!("{a}/fiches"),
        format!("{a}/fiches/{sheet}"),
        format!("{a}/fiches/nouvelle"),
        format!("{a}/fiches/{sheet}/adapter"),
        format!("{a}/centre/{centre}"),
        format!("{p}?groupe={group}&semaine=2026-03-09"),
        format!("{p}/couverture"),
        format!("{p}/materiel?semaine=2026-03-09"),
        format!("{a}/centre/{centre}/projet"),
        format!("{a}/centre/{centre}/equipe"),
    ]
    .join(" ");
    AnimPages {
        staff,
        public: format!(
            "{a}/programme/centre-test {a}/programme/centre-test/groupe/{group}?semaine=2026-03-09"
        ),
        plan: format!("{p}/seance?groupe={group}&jour=2026-03-11&creneau={slot}"),
        week: format!("{p}?groupe={group}&semaine=2026-03-09"),
    }
}
