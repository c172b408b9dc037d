//! Staffing of an accueil collectif de mineurs (code de l'action sociale et des familles):
//! how many animators a group needs on a day, and whether a team complies.
//!
//! - The kind of reception (R227-1): **extrascolaire** on school holidays (zone B), Saturdays
//!   (without school) and Sundays; **périscolaire** on every other day, Wednesdays without school
//!   and public holidays in term included.
//! - The rate (R227-15, R227-16): extrascolaire 1 animator for 8 minors under 6 and 1 for 12 aged
//!   6 or more; périscolaire 1/10 and 1/14 when the day's reception lasts 5 consecutive hours or
//!   less, 1/8 and 1/12 beyond; under a PEDT 1/14 and 1/18 up to 5 hours, 1/10 and 1/14 beyond.
//! - Mixed ages are counted together, in exact arithmetic: required = ⌈n₋₆/a + n₊₆/b⌉.
//! - Qualifications (R227-12) against the required number N: at least ⌈N/2⌉ holders of the BAFA
//!   or an equivalent diploma or listed civil servants; unqualified at most 20 % of N (rounded
//!   down), or 1 when N is 3 or 4; trainees without a cap of their own.
//! - The director counts as an animator when the centre receives 50 minors or fewer; counted, they
//!   join the team as a qualified member.
//!
//! A team larger than N complies when N of its members can be chosen that meet the quotas: staff
//! beyond the requirement are extra hands, not counted against them.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde::Serialize;

csc_core::coded! {
    /// The kind of reception of a day, which sets the rate.
    pub enum Period {
        Extrascolaire = ("extrascolaire", "Accueil extrascolaire"),
        Periscolaire = ("periscolaire", "Accueil périscolaire"),
    }
}

csc_core::coded! {
    /// What a team member holds, as the staffing rules count it.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Qualification {
        Qualified = ("bafa", "BAFA ou diplôme équivalent"),
        CivilServant = ("fonctionnaire", "Fonctionnaire (corps listé)"),
        Trainee = ("stagiaire", "Stagiaire BAFA"),
        Unqualified = ("non-qualifie", "Sans qualification"),
    }
}

csc_db::sql_coded!(Qualification);

impl Qualification {
    /// Counts towards the half of qualified members.
    pub fn is_qualified(self) -> bool {
        matches!(self, Qualification::Qualified | Qualification::CivilServant)
    }

    /// Reads a qualification as people type it: `bafa`, `BAFA`, `fonctionnaire`, `stagiaire`,
    /// `non-qualifié`, `non_qualifie`, `nq`… `None` when it is none of them.
    pub fn read(text: &str) -> Option<Qualification> {
        let key: String = crate::sheets::fold(text)
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        match key.as_str() {
            "bafa" | "qualifie" | "diplome" | "equivalent" | "bafaequivalent" => {
                Some(Qualification::Qualified)
            }
            "fonctionnaire" => Some(Qualification::CivilServant),
            "stagiaire" | "stagiairebafa" => Some(Qualification::Trainee),
            "nonqualifie" | "nq" | "sansqualification" => Some(Qualification::Unqualified),
            _ => None,
        }
    }
}

/// How many minors of each age band a group receives (ages on the day of the session).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Headcount {
    pub under_six: u32,
    pub six_and_over: u32,
}

impl Headcount {
    pub fn total(self) -> u32 {
        self.under_six + self.six_and_over
    }
}

/// One animator for `under_six` minors under 6, one for `six_and_over` aged 6 or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rate {
    pub under_six: u32,
    pub six_and_over: u32,
}

/// A reception on a day, from `start` to `end` (Paris time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reception {
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    /// The centre works under a projet éducatif territorial.
    pub pedt: bool,
}

/// Why a day cannot be classed or counted: French, for the form or the command line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffingError {
    #[error("l'heure de fin ({end}) doit venir après l'heure de début ({start})")]
    EndBeforeStart { start: String, end: String },
    #[error(
        "les vacances scolaires du {date} ne sont pas connues de la suite (données du {first} au {last}) : \
         l'administration peut ajouter une année scolaire"
    )]
    UnknownSchoolHolidays {
        date: String,
        first: String,
        last: String,
    },
}

/// School holidays added to the shipped data (by the admin, for a school year beyond it):
/// name, first day, last day.
pub type ExtraHolidays = [(String, NaiveDate, NaiveDate)];

/// The kind of reception of `date`, and why in words (« vacances d'été », « samedi »…).
pub fn period_of(date: NaiveDate) -> Result<(Period, String), StaffingError> {
    period_with(date, &[])
}

/// The same, knowing school holidays added to the shipped data.
pub fn period_with(
    date: NaiveDate,
    extra: &ExtraHolidays,
) -> Result<(Period, String), StaffingError> {
    if let Some(holiday) = csc_calendar::school_holiday(date) {
        return Ok((Period::Extrascolaire, holiday.name.to_lowercase()));
    }
    if let Some((name, _, _)) = extra.iter().find(|(_, a, b)| *a <= date && date <= *b) {
        return Ok((Period::Extrascolaire, name.to_lowercase()));
    }
    match date.weekday() {
        Weekday::Sat => return Ok((Period::Extrascolaire, "samedi".into())),
        Weekday::Sun => return Ok((Period::Extrascolaire, "dimanche".into())),
        _ => {}
    }
    let known = csc_calendar::knows_school_holidays(date)
        || extra.iter().any(|(_, a, b)| {
            school_year_of(*a) == school_year_of(date) || school_year_of(*b) == school_year_of(date)
        });
    if !known {
        let range = csc_calendar::school_data_range();
        return Err(StaffingError::UnknownSchoolHolidays {
            date: date.format("%d/%m/%Y").to_string(),
            first: range.start().format("%d/%m/%Y").to_string(),
            last: range.end().format("%d/%m/%Y").to_string(),
        });
    }
    let why = match (date.weekday(), csc_calendar::public_holiday(date)) {
        (_, Some(name)) => format!("jour férié hors vacances ({name})"),
        (Weekday::Wed, None) => "mercredi hors vacances".into(),
        _ => "jour de classe".into(),
    };
    Ok((Period::Periscolaire, why))
}

/// The school year a day belongs to, by the year it starts (September to August).
pub fn school_year_of(day: NaiveDate) -> i32 {
    if day.month() >= 9 {
        day.year()
    } else {
        day.year() - 1
    }
}

/// The rate of a kind of reception lasting `minutes` in a row.
pub fn rate(period: Period, minutes: i64, pedt: bool) -> Rate {
    let short = minutes <= 5 * 60;
    let (under_six, six_and_over) = match (period, pedt, short) {
        (Period::Extrascolaire, _, _) => (8, 12),
        (Period::Periscolaire, false, true) => (10, 14),
        (Period::Periscolaire, false, false) => (8, 12),
        (Period::Periscolaire, true, true) => (14, 18),
        (Period::Periscolaire, true, false) => (10, 14),
    };
    Rate {
        under_six,
        six_and_over,
    }
}

/// ⌈n₋₆/a + n₊₆/b⌉, computed on integers: ⌈(n₋₆·b + n₊₆·a) / (a·b)⌉.
pub fn required(headcount: Headcount, rate: Rate) -> u32 {
    let (a, b) = (u64::from(rate.under_six), u64::from(rate.six_and_over));
    let numerator = u64::from(headcount.under_six) * b + u64::from(headcount.six_and_over) * a;
    let needed = numerator.div_ceil(a * b);
    u32::try_from(needed).unwrap_or(u32::MAX)
}

/// At least half of the required number, rounded up, hold the BAFA (or equivalent) or are
/// listed civil servants.
pub fn qualified_min(required: u32) -> u32 {
    required.div_ceil(2)
}

/// At most 20 % of the required number are unqualified (rounded down), or 1 when it is 3 or 4.
pub fn unqualified_max(required: u32) -> u32 {
    match required {
        3 | 4 => 1,
        n => n / 5,
    }
}

/// The most minors a director may receive and still count as an animator.
pub const DIRECTOR_COUNTS_UP_TO: u32 = 50;

/// What a reception requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    pub period: Period,
    /// Why the day is of that kind, in words.
    pub why: String,
    pub minutes: i64,
    pub rate: Rate,
    pub headcount: Headcount,
    pub required: u32,
    pub qualified_min: u32,
    pub unqualified_max: u32,
    /// The director was asked to be counted and may be (50 minors or fewer).
    pub director_counts: bool,
    /// The director was asked to be counted but may not be.
    pub director_refused: bool,
}

/// What `reception` with `headcount` requires; `director` asks to count the director.
pub fn requirement(
    reception: Reception,
    headcount: Headcount,
    director: bool,
) -> Result<Requirement, StaffingError> {
    requirement_with(reception, headcount, director, &[])
}

/// The same, knowing school holidays added to the shipped data.
pub fn requirement_with(
    reception: Reception,
    headcount: Headcount,
    director: bool,
    extra: &ExtraHolidays,
) -> Result<Requirement, StaffingError> {
    if reception.end <= reception.start {
        return Err(StaffingError::EndBeforeStart {
            start: reception.start.format("%H:%M").to_string(),
            end: reception.end.format("%H:%M").to_string(),
        });
    }
    let (period, why) = period_with(reception.date, extra)?;
    let minutes = (reception.end - reception.start).num_minutes();
    let rate = rate(period, minutes, reception.pedt);
    let required = required(headcount, rate);
    let may_count = headcount.total() <= DIRECTOR_COUNTS_UP_TO;
    Ok(Requirement {
        period,
        why,
        minutes,
        rate,
        headcount,
        required,
        qualified_min: qualified_min(required),
        unqualified_max: unqualified_max(required),
        director_counts: director && may_count,
        director_refused: director && !may_count,
    })
}

/// A team by qualification (the director not included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Team {
    pub qualified: u32,
    pub trainees: u32,
    pub unqualified: u32,
}

impl Team {
    pub fn of(members: &[Qualification]) -> Team {
        let mut team = Team::default();
        for m in members {
            match m {
                Qualification::Qualified | Qualification::CivilServant => team.qualified += 1,
                Qualification::Trainee => team.trainees += 1,
                Qualification::Unqualified => team.unqualified += 1,
            }
        }
        team
    }

    pub fn total(self) -> u32 {
        self.qualified + self.trainees + self.unqualified
    }
}

/// Whether a team complies, and why not in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub complies: bool,
    pub reasons: Vec<String>,
}

fn animators(n: u32) -> String {
    if n > 1 {
        format!("{n} animateur·rice·s")
    } else {
        format!("{n} animateur·rice")
    }
}

/// Checks `team` (plus the director when they count) against `req`.
pub fn check(req: &Requirement, team: Team) -> Verdict {
    let mut team = team;
    if req.director_counts {
        team.qualified += 1;
    }
    let mut reasons = Vec::new();
    let n = req.required;
    if team.total() < n {
        reasons.push(format!(
            "il manque {} : {} dans l'équipe pour {} requis",
            animators(n - team.total()),
            team.total(),
            n
        ));
    }
    if team.qualified < req.qualified_min {
        let missing = req.qualified_min - team.qualified;
        reasons.push(format!(
            "il manque {missing} qualifié·e{s} (BAFA, équivalent ou fonctionnaire) : {} pour {} au moins",
            team.qualified,
            req.qualified_min,
            s = if missing > 1 { "·s" } else { "" },
        ));
    }
    // Enough people, but only `unqualified_max` unqualified members count in the requirement.
    let countable = team.qualified + team.trainees + team.unqualified.min(req.unqualified_max);
    if team.total() >= n && countable < n {
        reasons.push(format!(
            "trop de non-qualifié·e·s : {} dans l'équipe, {} au plus comptent pour {} requis ; \
             il manque {} qualifié·e·s ou stagiaires",
            team.unqualified,
            req.unqualified_max,
            n,
            n - countable
        ));
    }
    if !reasons.is_empty() && req.director_refused {
        reasons.insert(
            0,
            format!(
                "le directeur ou la directrice ne compte pas comme animateur·rice au-delà de {DIRECTOR_COUNTS_UP_TO} mineurs ({} accueillis)",
                req.headcount.total()
            ),
        );
    }
    Verdict {
        complies: reasons.is_empty(),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }
    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").expect("a time")
    }
    fn reception(date: &str, start: &str, end: &str, pedt: bool) -> Reception {
        Reception {
            date: d(date),
            start: t(start),
            end: t(end),
            pedt,
        }
    }
    fn heads(under_six: u32, six_and_over: u32) -> Headcount {
        Headcount {
            under_six,
            six_and_over,
        }
    }

    #[test]
    fn kinds_of_days() {
        // Summer holidays, a Saturday and a Sunday in term: extrascolaire.
        assert_eq!(
            period_of(d("2025-07-15")).map(|p| p.0),
            Ok(Period::Extrascolaire)
        );
        assert_eq!(
            period_of(d("2026-03-14")).map(|p| p.0),
            Ok(Period::Extrascolaire)
        );
        assert_eq!(
            period_of(d("2026-03-15")).map(|p| p.0),
            Ok(Period::Extrascolaire)
        );
        // A Wednesday and a Tuesday in term, Ascension in term: périscolaire.
        let (p, why) = period_of(d("2026-03-11")).expect("known");
        assert_eq!(
            (p, why.as_str()),
            (Period::Periscolaire, "mercredi hors vacances")
        );
        assert_eq!(
            period_of(d("2026-03-10")).map(|p| p.0),
            Ok(Period::Periscolaire)
        );
        assert_eq!(
            period_of(d("2026-05-14")).map(|p| p.0),
            Ok(Period::Periscolaire)
        );
        // A Wednesday of the winter holidays: extrascolaire.
        assert_eq!(
            period_of(d("2026-02-18")).map(|p| p.0),
            Ok(Period::Extrascolaire)
        );
        // A weekday beyond the data: refused, a Sunday beyond it is still known.
        assert!(period_of(d("2031-03-12")).is_err());
        assert_eq!(
            period_of(d("2031-03-16")).map(|p| p.0),
            Ok(Period::Extrascolaire)
        );
    }

    #[test]
    fn rates_by_branch() {
        let r = |p, m, pedt| {
            let r = rate(p, m, pedt);
            (r.under_six, r.six_and_over)
        };
        assert_eq!(r(Period::Extrascolaire, 600, false), (8, 12));
        assert_eq!(r(Period::Extrascolaire, 180, true), (8, 12));
        assert_eq!(r(Period::Periscolaire, 300, false), (10, 14));
        assert_eq!(r(Period::Periscolaire, 301, false), (8, 12));
        assert_eq!(r(Period::Periscolaire, 300, true), (14, 18));
        assert_eq!(r(Period::Periscolaire, 301, true), (10, 14));
    }

    #[test]
    fn mixed_ages_are_counted_together_in_exact_arithmetic() {
        let extra = Rate {
            under_six: 8,
            six_and_over: 12,
        };
        // 20/8 + 28/12 = 2.5 + 2.333 = 4.83 → 5 (band by band would give 3 + 3 = 6).
        assert_eq!(required(heads(20, 28), extra), 5);
        // 4/8 + 6/12 = 1 exactly → 1 (band by band: 2).
        assert_eq!(required(heads(4, 6), extra), 1);
        // One more child tips it over.
        assert_eq!(required(heads(4, 7), extra), 2);
        assert_eq!(required(heads(0, 0), extra), 0);
        assert_eq!(required(heads(8, 0), extra), 1);
        assert_eq!(required(heads(9, 0), extra), 2);
        assert_eq!(required(heads(0, 24), extra), 2);
        let peri_pedt = Rate {
            under_six: 14,
            six_and_over: 18,
        };
        // 7/14 + 9/18 = 1 → 1.
        assert_eq!(required(heads(7, 9), peri_pedt), 1);
    }

    #[test]
    fn quotas_for_one_to_twelve() {
        let expected: [(u32, u32, u32); 12] = [
            (1, 1, 0),
            (2, 1, 0),
            (3, 2, 1),
            (4, 2, 1),
            (5, 3, 1),
            (6, 3, 1),
            (7, 4, 1),
            (8, 4, 1),
            (9, 5, 1),
            (10, 5, 2),
            (11, 6, 2),
            (12, 6, 2),
        ];
        for (n, q, u) in expected {
            assert_eq!((qualified_min(n), unqualified_max(n)), (q, u), "N = {n}");
        }
        assert_eq!((qualified_min(0), unqualified_max(0)), (0, 0));
    }

    #[test]
    fn the_example_of_the_issue() {
        let req = requirement(
            reception("2025-07-15", "08:00", "18:00", false),
            heads(20, 28),
            false,
        )
        .expect("valid");
        assert_eq!(req.period, Period::Extrascolaire);
        assert_eq!(
            (req.required, req.qualified_min, req.unqualified_max),
            (5, 3, 1)
        );
        let team = Team::of(&[
            Qualification::Qualified,
            Qualification::Qualified,
            Qualification::Trainee,
            Qualification::Unqualified,
            Qualification::CivilServant,
        ]);
        assert_eq!(
            check(&req, team),
            Verdict {
                complies: true,
                reasons: vec![]
            }
        );
    }

    #[test]
    fn periscolaire_long_and_short_days_with_and_without_pedt() {
        // Wednesday 11 March 2026 in term, 40 children aged 6+ and 10 under 6.
        let h = heads(10, 40);
        let at = |start, end, pedt| {
            requirement(reception("2026-03-11", start, end, pedt), h, false)
                .expect("valid")
                .required
        };
        // 5 h: 10/10 + 40/14 = 3.857 → 4; PEDT 10/14 + 40/18 = 2.937 → 3.
        assert_eq!(at("13:30", "18:30", false), 4);
        assert_eq!(at("13:30", "18:30", true), 3);
        // 5 h 01: 10/8 + 40/12 = 4.583 → 5; PEDT 10/10 + 40/14 → 4.
        assert_eq!(at("13:30", "18:31", false), 5);
        assert_eq!(at("13:30", "18:31", true), 4);
        assert!(matches!(
            requirement(reception("2026-03-11", "14:00", "14:00", false), h, false),
            Err(StaffingError::EndBeforeStart { .. })
        ));
    }

    #[test]
    fn shortages_are_explained() {
        let req = requirement(
            reception("2025-07-15", "08:00", "18:00", false),
            heads(20, 28),
            false,
        )
        .expect("valid");
        // Five people, but three unqualified: only one counts.
        let team = Team {
            qualified: 2,
            trainees: 0,
            unqualified: 3,
        };
        let v = check(&req, team);
        assert!(!v.complies);
        assert_eq!(v.reasons.len(), 2, "{:?}", v.reasons);
        assert!(
            v.reasons[0].starts_with("il manque 1 qualifié·e "),
            "{:?}",
            v.reasons
        );
        assert!(
            v.reasons[1].starts_with("trop de non-qualifié·e·s : 3"),
            "{:?}",
            v.reasons
        );
        // Extra hands beyond the requirement are not counted against the quotas.
        let big = Team {
            qualified: 3,
            trainees: 2,
            unqualified: 2,
        };
        assert!(check(&req, big).complies);
        // Too few people.
        let small = Team {
            qualified: 3,
            trainees: 1,
            unqualified: 0,
        };
        let v = check(&req, small);
        assert_eq!(
            v.reasons,
            vec!["il manque 1 animateur·rice : 4 dans l'équipe pour 5 requis"]
        );
    }

    #[test]
    fn the_director_counts_up_to_fifty_minors() {
        let team = Team {
            qualified: 2,
            trainees: 2,
            unqualified: 0,
        };
        let day = reception("2025-07-15", "08:00", "18:00", false);
        // 48 minors: the director completes the team of 5.
        let req = requirement(day, heads(20, 28), true).expect("valid");
        assert!(req.director_counts);
        assert!(check(&req, team).complies);
        // 50 minors exactly: still counted (required 20/8 + 30/12 = 5).
        let req = requirement(day, heads(20, 30), true).expect("valid");
        assert_eq!(req.required, 5);
        assert!(req.director_counts && check(&req, team).complies);
        // 51: not counted, the team is short and says why.
        let req = requirement(day, heads(21, 30), true).expect("valid");
        assert!(!req.director_counts && req.director_refused);
        let v = check(&req, team);
        assert!(!v.complies);
        assert!(v.reasons[0].starts_with("le directeur ou la directrice ne compte pas"));
        // Not asked: not counted.
        let req = requirement(day, heads(20, 28), false).expect("valid");
        assert!(!check(&req, team).complies);
    }

    #[test]
    fn qualifications_as_typed() {
        assert_eq!(
            Qualification::read(" BAFA "),
            Some(Qualification::Qualified)
        );
        assert_eq!(
            Qualification::read("non-qualifié"),
            Some(Qualification::Unqualified)
        );
        assert_eq!(
            Qualification::read("non_qualifie"),
            Some(Qualification::Unqualified)
        );
        assert_eq!(
            Qualification::read("Stagiaire"),
            Some(Qualification::Trainee)
        );
        assert_eq!(
            Qualification::read("fonctionnaire"),
            Some(Qualification::CivilServant)
        );
        assert_eq!(Qualification::read("bafd?"), None);
    }
}
