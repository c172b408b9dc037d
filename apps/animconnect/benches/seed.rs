//! Data for Anim'Connect's benchmarks (`scripts/bench.sh`, section 5): 10,000 shared sheets, and a
//! week of five days × five slots planned for one group of the centre `BENCH_CENTRE` (a slug),
//! in the database `DATABASE_URL` (migrated, with the demo). Prints the path of the group's
//! public week page, then the path of the staff's week page.
//!
//!   DATABASE_URL=sqlite://… BENCH_CENTRE=arbrisseau cargo bench -p csc-animconnect --bench seed

use chrono::{Days, NaiveDate};
use csc_animconnect::planning::{self, NewPeriod, SessionData};
use csc_animconnect::sheets::{self, Author, SheetForm};
use csc_animconnect::staffing::Qualification;

const WORDS: [&str; 24] = [
    "relais",
    "cuisine",
    "peinture",
    "jardin",
    "théâtre",
    "musique",
    "foot",
    "conte",
    "énigme",
    "carton",
    "nature",
    "danse",
    "chasse",
    "trésor",
    "marionnette",
    "pâte",
    "sel",
    "balle",
    "parcours",
    "quiz",
    "photo",
    "journal",
    "potager",
    "cerf-volant",
];
const KINDS: [&str; 10] = [
    "jeu",
    "manuel",
    "sport",
    "expression",
    "cuisine",
    "nature",
    "sortie",
    "grand-jeu",
    "eveil",
    "numerique",
];
const THEMES: [&str; 8] = [
    "cooperation",
    "environnement",
    "citoyennete",
    "culture",
    "sante",
    "corps",
    "creativite",
    "sciences",
];
const PLACES: [&str; 3] = ["dedans", "dehors", "les-deux"];

fn main() -> anyhow::Result<()> {
    let url = std::env::var("DATABASE_URL")?;
    let slug = std::env::var("BENCH_CENTRE").unwrap_or_else(|_| "arbrisseau".into());
    let count: usize = std::env::var("BENCH_SHEETS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let db = csc_db::Db::connect(&url, 2)?;
    let mut conn = db.get()?;
    let c = &mut *conn;
    let centre = csc_auth::centres::by_slug(c, &slug)?;
    c.write_transaction::<_, anyhow::Error, _>(|c| {
        for i in 0..count {
            let w = |k: usize| WORDS[(i * 7 + k * 13) % WORDS.len()];
            let title = format!("{} {} n° {i}", capital(w(0)), w(1));
            let age_min = (i % 10) as i32 + 2;
            let fields: Vec<(String, String)> = [
                ("title", title),
                (
                    "summary",
                    format!(
                        "Une activité de {} et de {} pour les {} ans.",
                        w(2),
                        w(3),
                        age_min
                    ),
                ),
                ("kind", KINDS[i % KINDS.len()].to_string()),
                ("theme", THEMES[i % THEMES.len()].to_string()),
                ("age_min", age_min.to_string()),
                ("age_max", (age_min + 4).to_string()),
                ("group_min", "4".into()),
                ("group_max", (8 + i % 20).to_string()),
                ("duration", (20 + (i % 12) * 10).to_string()),
                ("place", PLACES[i % 3].to_string()),
                ("tags", format!("{}, {}", w(4), w(5))),
                ("visibility", "partagee".into()),
                ("m0_article", w(6).to_string()),
                ("m0_quantity", "10".into()),
                ("s0_what", format!("Présenter le {}", w(7))),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
            // Every fifth sheet suits a rainy day.
            let mut form = SheetForm(fields.into_iter().collect());
            if i % 5 == 0 {
                form.0.insert("rainy_day".into(), "on".into());
            }
            let data = form
                .parse(&[])
                .map_err(|e| anyhow::anyhow!("sheet {i}: {e:?}"))?;
            let author = Author {
                user_id: None,
                name: "Banc d'essai".into(),
                centre_id: centre.id,
            };
            sheets::create(c, &author, &data, None)?;
        }
        Ok(())
    })?;
    // A week of five days (Monday 8 to Friday 12 March 2027, in term) for one group.
    let monday = NaiveDate::from_ymd_opt(2027, 3, 8).expect("a date");
    let days: Vec<NaiveDate> = (0..5).map(|n| monday + Days::new(n)).collect();
    let (period, group) = c.write_transaction::<_, anyhow::Error, _>(|c| {
        let activity = csc_activities::create(
            c,
            centre.id,
            &csc_activities::NewActivity {
                title: "Banc d'essai : semaine de cinq jours".into(),
                kind: csc_activities::ActivityKind::Holidays,
                description: String::new(),
                groups: vec![csc_activities::NewGroup {
                    label: "Banc d'essai".into(),
                    age_min: 6,
                    age_max: 11,
                    capacity: 24,
                }],
                days: days.clone(),
                hours: None,
            },
        )?;
        let group = csc_activities::groups(c, activity)?[0].id;
        let period = planning::create_period(
            c,
            centre.id,
            &NewPeriod {
                activity_id: activity,
                title: "Banc d'essai".into(),
                first_day: monday,
                last_day: monday + Days::new(4),
                slots: planning::default_slots(),
            },
        )?;
        let p = planning::period(c, centre.id, period)?;
        let slots = planning::slots(c, period)?;
        let lead = planning::add_member(
            c,
            centre.id,
            "Banc d'essai",
            Qualification::Qualified,
            false,
            None,
        )?;
        for (i, day) in days.iter().enumerate() {
            for (j, slot) in slots.iter().enumerate() {
                let data = SessionData {
                    group_id: group,
                    day: *day,
                    slot_id: slot.id,
                    sheet_id: Some(i64::try_from(1 + i * 5 + j).unwrap_or(1)),
                    place: "Salle d'activité".into(),
                    leads: vec![lead],
                    ..SessionData::default()
                };
                planning::save_session(c, &p, &data)?.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            }
        }
        Ok((period, group))
    })?;
    println!(
        "/animconnect/programme/{}/groupe/{group}?semaine=2027-03-08",
        centre.slug
    );
    println!(
        "/animconnect/centre/{}/periodes/{period}?groupe={group}&semaine=2027-03-08",
        centre.id
    );
    Ok(())
}

fn capital(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
