//! The agenda's iCal feeds parsed back by two independent parsers (Python's `icalendar` and
//! `vobject`): UID, DTSTAMP, the Paris VTIMEZONE, escaped and folded text, a weekly RRULE across
//! the change to summer time with an EXDATE; feeds per territory, commune and place; events not
//! yet validated stay out.

use std::process::Command;

use chrono::NaiveDateTime;
use csc_boussole::agenda::{self, EventData, EventStatus};
use reqwest::StatusCode;
use serde_json::Value;

use super::lieux::territory;
use crate::helpers::scalar;

fn utc(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

const PARSE: &str = r#"
import json, sys
import icalendar, vobject
text = open(sys.argv[1], encoding="utf-8").read()
cal = icalendar.Calendar.from_ical(text)
events = []
for ev in cal.walk("VEVENT"):
    events.append({"uid": str(ev["UID"]), "summary": str(ev["SUMMARY"]), "description": str(ev["DESCRIPTION"]),
                   "start": ev["DTSTART"].dt.isoformat(), "tz": str(ev["DTSTART"].dt.tzinfo),
                   "stamp": ev["DTSTAMP"].dt.isoformat()})
v = vobject.readOne(text)
occurrences = {}
for ev in v.vevent_list:
    occurrences[ev.uid.value] = [d.isoformat() for d in ev.getrruleset(addRDate=True)] if ev.rruleset else [ev.dtstart.value.isoformat()]
print(json.dumps({"events": events, "occurrences": occurrences}))
"#;

fn parse(ics: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("feed.ics");
    std::fs::write(&file, ics).unwrap();
    let out = Command::new("python3")
        .arg("-c")
        .arg(PARSE)
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn feeds_parse_back_with_recurrences_exceptions_and_escaped_text() {
    let app = territory().await;
    let laep = scalar(&app, "SELECT id FROM boussole_places WHERE ext_id = 'laep'").await;
    let rpe = scalar(&app, "SELECT id FROM boussole_places WHERE ext_id = 'rpe'").await;
    let long = "Venez avec vos enfants : comptines, jeux d'éveil et goûter partagé ; apportez une tenue souple.\nAccès poussettes par la cour, à côté de l'école élémentaire Édouard-Vaillant.";
    app.db
        .write(move |c| {
            // Saturdays 13 March to 10 April 2027 at 10:00 in Paris (9:00 UTC in winter), not on 27 March.
            agenda::create(
                c,
                &EventData {
                    place_id: Some(laep),
                    commune_code: "59512".into(),
                    title: "Atelier « Jouer, chanter; bouger » \\ 0-3 ans".into(),
                    description: long.into(),
                    location: "LAEP Les Petits Pas, 1 rue de l'Exemple, Roubaix".into(),
                    starts_at: utc("2027-03-13 09:00"),
                    ends_at: utc("2027-03-13 10:30"),
                    weekly_count: 5,
                    exdates: "2027-03-27".into(),
                    age_min: 0,
                    age_max: 3,
                    free: true,
                    registration: "sans inscription".into(),
                },
                EventStatus::Published,
            )?;
            agenda::create(
                c,
                &EventData {
                    place_id: Some(rpe),
                    commune_code: "59350".into(),
                    title: "Réunion d'information des assistantes maternelles".into(),
                    description: String::new(),
                    location: String::new(),
                    starts_at: utc("2027-01-06 13:00"),
                    ends_at: utc("2027-01-06 15:00"),
                    weekly_count: 1,
                    exdates: String::new(),
                    age_min: -1,
                    age_max: 3,
                    free: true,
                    registration: String::new(),
                },
                EventStatus::Published,
            )?;
            // Proposed by an actor, not validated: in no feed.
            agenda::create(
                c,
                &EventData {
                    place_id: Some(rpe),
                    commune_code: "59350".into(),
                    title: "Pas encore validé".into(),
                    description: String::new(),
                    location: String::new(),
                    starts_at: utc("2027-01-07 13:00"),
                    ends_at: utc("2027-01-07 15:00"),
                    weekly_count: 1,
                    exdates: String::new(),
                    age_min: 0,
                    age_max: 18,
                    free: true,
                    registration: String::new(),
                },
                EventStatus::Proposed,
            )?;
            Ok(())
        })
        .await
        .unwrap();

    let res = app.get("/boussole/agenda.ics").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let ics = res.text().await.unwrap();
    assert!(
        ics.contains("\r\n") && !ics.replace("\r\n", "").contains('\n'),
        "CRLF only"
    );
    assert!(
        ics.split("\r\n").all(|l| l.len() <= 75),
        "folded at 75 octets"
    );
    assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris"));
    assert!(ics.contains("RRULE:FREQ=WEEKLY;COUNT=5\r\n"));
    assert!(ics.contains("EXDATE;TZID=Europe/Paris:20270327T100000\r\n"));
    assert!(!ics.contains("Pas encore validé"));

    let v = parse(&ics);
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    let workshop = events
        .iter()
        .find(|e| e["summary"].as_str().unwrap().starts_with("Atelier"))
        .unwrap();
    assert_eq!(
        workshop["summary"],
        "Atelier « Jouer, chanter; bouger » \\ 0-3 ans"
    );
    assert!(
        workshop["description"].as_str().unwrap().starts_with(long),
        "{}",
        workshop["description"]
    );
    assert!(workshop["description"]
        .as_str()
        .unwrap()
        .ends_with("De 0 à 3 ans, gratuit.\nInscription : sans inscription"));
    assert_eq!(workshop["start"], "2027-03-13T10:00:00+01:00");
    assert_eq!(workshop["tz"], "Europe/Paris");
    let uid = workshop["uid"].as_str().unwrap();
    assert!(
        uid.starts_with("boussole-evenement-") && uid.ends_with("@127.0.0.1"),
        "{uid}"
    );
    // Every Saturday at 10:00 in Paris, across the change to summer time on 28 March, not the 27th.
    assert_eq!(
        v["occurrences"][uid],
        serde_json::json!([
            "2027-03-13T10:00:00+01:00",
            "2027-03-20T10:00:00+01:00",
            "2027-04-03T10:00:00+02:00",
            "2027-04-10T10:00:00+02:00"
        ])
    );
    let meeting = events
        .iter()
        .find(|e| e["summary"].as_str().unwrap().starts_with("Réunion"))
        .unwrap();
    assert_eq!(meeting["start"], "2027-01-06T14:00:00+01:00");
    assert_eq!(meeting["description"], "De la grossesse à 3 ans, gratuit.");

    // Per commune and per place.
    let lille = app
        .get_text("/boussole/agenda/communes/59350/agenda.ics", StatusCode::OK)
        .await;
    let v = parse(&lille);
    assert_eq!(v["events"].as_array().unwrap().len(), 1);
    assert_eq!(
        v["events"][0]["summary"],
        "Réunion d'information des assistantes maternelles"
    );
    let place = app
        .get_text(
            &format!("/boussole/lieux/{laep}/agenda.ics"),
            StatusCode::OK,
        )
        .await;
    assert_eq!(parse(&place)["events"].as_array().unwrap().len(), 1);
    app.get_text(
        "/boussole/agenda/communes/75056/agenda.ics",
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn an_event_ending_before_it_starts_is_refused_in_french() {
    let app = territory().await;
    let err = app
        .db
        .write(|c| {
            agenda::create(
                c,
                &EventData {
                    place_id: None,
                    commune_code: "59350".into(),
                    title: "À l'envers".into(),
                    description: String::new(),
                    location: String::new(),
                    starts_at: utc("2027-01-06 15:00"),
                    ends_at: utc("2027-01-06 13:00"),
                    weekly_count: 1,
                    exdates: String::new(),
                    age_min: 0,
                    age_max: 18,
                    free: true,
                    registration: String::new(),
                },
                EventStatus::Published,
            )
        })
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("La fin de l'événement est avant son début"),
        "{err}"
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM boussole_events").await,
        0
    );
}
