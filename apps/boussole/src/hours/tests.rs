//! Worked examples: weekdays, split days, public holidays, the minute a place closes, closures.

use super::*;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn check(hours: &str, closures: &[Closure], when: &str) -> (bool, Option<String>) {
    let h = OpeningHours::parse(hours).unwrap();
    let s = status(&h, closures, at(when));
    (
        s.open,
        s.next_change
            .map(|t| t.format("%Y-%m-%dT%H:%M").to_string()),
    )
}

const SPLIT: &str = "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off";

#[test]
fn ascension_is_closed_and_opens_the_next_morning() {
    // Thursday 14 May 2026 is Ascension.
    assert_eq!(
        check("Mo-Fr 09:00-12:00; PH off", &[], "2026-05-14T10:00"),
        (false, Some("2026-05-15T09:00".into()))
    );
    // The evening before, the next change skips the holiday.
    assert_eq!(
        check("Mo-Fr 09:00-12:00; PH off", &[], "2026-05-13T12:00"),
        (false, Some("2026-05-15T09:00".into()))
    );
    // Without `PH off`, a public holiday is an ordinary Thursday.
    assert_eq!(
        check("Mo-Fr 09:00-12:00", &[], "2026-05-14T10:00"),
        (true, Some("2026-05-14T12:00".into()))
    );
}

#[test]
fn eleven_november_and_holiday_hours() {
    // Wednesday 11 November 2026.
    assert_eq!(
        check(SPLIT, &[], "2026-11-11T15:00"),
        (false, Some("2026-11-12T09:00".into()))
    );
    // Open on holidays in the morning only.
    assert_eq!(
        check("Mo-Fr 09:00-17:00; PH 10:00-12:00", &[], "2026-11-11T11:00"),
        (true, Some("2026-11-11T12:00".into()))
    );
    assert_eq!(
        check("Mo-Fr 09:00-17:00; PH 10:00-12:00", &[], "2026-11-11T09:30"),
        (false, Some("2026-11-11T10:00".into()))
    );
}

#[test]
fn weekdays_and_split_days() {
    // Monday 11 May 2026.
    assert_eq!(
        check(SPLIT, &[], "2026-05-11T08:59"),
        (false, Some("2026-05-11T09:00".into()))
    );
    assert_eq!(
        check(SPLIT, &[], "2026-05-11T09:00"),
        (true, Some("2026-05-11T12:00".into()))
    );
    assert_eq!(
        check(SPLIT, &[], "2026-05-11T12:30"),
        (false, Some("2026-05-11T14:00".into()))
    );
    assert_eq!(
        check(SPLIT, &[], "2026-05-11T17:29"),
        (true, Some("2026-05-11T17:30".into()))
    );
    // Saturday morning, then nothing until Monday.
    assert_eq!(
        check(SPLIT, &[], "2026-05-16T11:00"),
        (true, Some("2026-05-16T12:00".into()))
    );
    assert_eq!(
        check(SPLIT, &[], "2026-05-16T12:00"),
        (false, Some("2026-05-18T09:00".into()))
    );
    assert_eq!(
        check(SPLIT, &[], "2026-05-17T10:00"),
        (false, Some("2026-05-18T09:00".into()))
    );
    // Day lists and wrapping ranges of days.
    assert_eq!(
        check("Mo,We,Fr 10:00-11:00", &[], "2026-05-12T10:30"),
        (false, Some("2026-05-13T10:00".into()))
    );
    assert_eq!(
        check("Sa-Mo 10:00-11:00", &[], "2026-05-17T10:30"),
        (true, Some("2026-05-17T11:00".into()))
    );
}

#[test]
fn the_minute_a_place_closes_is_closed() {
    assert_eq!(
        check(SPLIT, &[], "2026-05-11T11:59"),
        (true, Some("2026-05-11T12:00".into()))
    );
    assert_eq!(
        check(SPLIT, &[], "2026-05-11T12:00"),
        (false, Some("2026-05-11T14:00".into()))
    );
    assert_eq!(
        check(SPLIT, &[], "2026-05-11T17:30"),
        (false, Some("2026-05-12T09:00".into()))
    );
    // Seconds do not count: 11:59:59 is still the minute 11:59.
    let h = OpeningHours::parse(SPLIT).unwrap();
    let t = day("2026-05-11").and_hms_opt(11, 59, 59).unwrap();
    assert!(status(&h, &[], t).open);
}

#[test]
fn temporary_closures_before_during_after() {
    // Closed Monday 1 to Friday 5 June 2026.
    let c = Closure {
        start: day("2026-06-01"),
        end: day("2026-06-05"),
    };
    // Shown from 15 days before it starts, and during it; not after.
    assert!(!c.shown_on(day("2026-05-16")));
    assert!(c.shown_on(day("2026-05-17")));
    assert!(c.shown_on(day("2026-06-05")));
    assert!(!c.shown_on(day("2026-06-06")));
    // Before: after Saturday morning, the next opening is after the closure.
    assert_eq!(
        check(SPLIT, &[c], "2026-05-30T12:00"),
        (false, Some("2026-06-06T09:00".into()))
    );
    // Just before the closure the place is open as usual.
    assert_eq!(
        check(SPLIT, &[c], "2026-05-29T10:00"),
        (true, Some("2026-05-29T12:00".into()))
    );
    // During: closed at an ordinary opening hour.
    assert_eq!(
        check(SPLIT, &[c], "2026-06-02T10:00"),
        (false, Some("2026-06-06T09:00".into()))
    );
    // After: the usual hours again.
    assert_eq!(
        check(SPLIT, &[c], "2026-06-08T10:00"),
        (true, Some("2026-06-08T12:00".into()))
    );
}

#[test]
fn always_never_and_midnight() {
    assert_eq!(check("24/7", &[], "2026-05-14T03:00"), (true, None));
    assert_eq!(check("off", &[], "2026-05-14T03:00"), (false, None));
    assert_eq!(
        check("Mo-Su 00:00-24:00", &[], "2026-05-14T03:00"),
        (true, None)
    );
    // Friday and Saturday nights until 2 a.m.
    assert_eq!(
        check("Fr-Sa 22:00-02:00", &[], "2026-05-16T01:00"),
        (true, Some("2026-05-16T02:00".into()))
    );
    assert_eq!(
        check("Fr-Sa 22:00-02:00", &[], "2026-05-15T23:59"),
        (true, Some("2026-05-16T02:00".into()))
    );
    assert_eq!(
        check("Fr-Sa 22:00-02:00", &[], "2026-05-17T01:00"),
        (true, Some("2026-05-17T02:00".into()))
    );
    // 24/7 closed on holidays: closes at midnight before the holiday.
    assert_eq!(
        check("24/7; PH off", &[], "2026-05-13T20:00"),
        (true, Some("2026-05-14T00:00".into()))
    );
}

#[test]
fn later_rules_and_additional_rules() {
    // A later rule replaces the day.
    assert_eq!(
        check("Mo-Fr 09:00-17:00; We 14:00-16:00", &[], "2026-05-13T10:00"),
        (false, Some("2026-05-13T14:00".into()))
    );
    // An additional rule adds to it, or cuts it with `off`.
    assert_eq!(
        check("Mo-Fr 09:00-12:00, We 14:00-16:00", &[], "2026-05-13T15:00"),
        (true, Some("2026-05-13T16:00".into()))
    );
    assert_eq!(
        check(
            "Mo-Fr 09:00-17:00, We 12:00-14:00 off",
            &[],
            "2026-05-13T13:00"
        ),
        (false, Some("2026-05-13T14:00".into()))
    );
    // Comments and `closed`.
    assert_eq!(
        check(
            "Mo-Fr 09:00-17:00 \"accueil\"; Sa closed",
            &[],
            "2026-05-16T10:00"
        ),
        (false, Some("2026-05-18T09:00".into()))
    );
}

#[test]
fn school_holidays() {
    // 2026-04-20 is in the spring holidays of zone B (4 to 20 April 2026).
    assert!(csc_calendar::school_holiday(day("2026-04-15")).is_some());
    assert!(!check("Mo-Fr 09:00-17:00; SH off", &[], "2026-04-15T10:00").0);
}

#[test]
fn bad_strings_get_french_errors() {
    for bad in [
        "",
        "Mo-Fr 9h-12h",
        "Xx 09:00-12:00",
        "Mo-Fr 25:00-26:00",
        "Mo-Fr 09:00",
        "Mo-Fr 09:00-09:00",
        "Mo-Fr 09:60-10:00",
        "Mo- 09:00-10:00",
        "Mo-Fr 09:00-12:00;;",
        "Mo-Fr 09:00-12:00 unknown",
        "\"x",
        "Mo-Fr 09:00-12:00 |",
    ] {
        let e = OpeningHours::parse(bad);
        assert!(e.is_err(), "{bad:?} parsed");
        let msg = e.unwrap_err().0;
        assert!(msg.starts_with("horaires"), "{msg}");
    }
    // A trailing semicolon is tolerated.
    assert!(OpeningHours::parse("Mo-Fr 09:00-12:00;").is_ok());
}

#[test]
fn the_form_writes_the_syntax_and_reads_it_back() {
    let mut w = WeekHours::default();
    for d in 0..5 {
        w.days[d] = vec![(540, 720), (840, 1050)];
    }
    w.days[5] = vec![(540, 720)];
    assert_eq!(w.to_osm(), SPLIT);
    assert_eq!(
        OpeningHours::parse(SPLIT).unwrap().as_week(),
        Some(w.clone())
    );
    w.holidays_closed = false;
    w.days[1] = vec![];
    assert_eq!(
        w.to_osm(),
        "Mo 09:00-12:00,14:00-17:30; We-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00"
    );
    assert_eq!(OpeningHours::parse(&w.to_osm()).unwrap().as_week(), Some(w));
    let mut two = WeekHours::default();
    two.days[0] = vec![(600, 660)];
    two.days[1] = vec![(600, 660)];
    assert_eq!(two.to_osm(), "Mo,Tu 10:00-11:00; PH off");
    assert_eq!(WeekHours::default().to_osm(), "off");
    // More than the form can say.
    assert_eq!(
        OpeningHours::parse("Mo 08:00-09:00,10:00-11:00,12:00-13:00")
            .unwrap()
            .as_week(),
        None
    );
}
