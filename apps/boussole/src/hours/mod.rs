//! Opening hours in OpenStreetMap `opening_hours` syntax, the subset that data·inclusion and
//! Soliguide write: weekday selectors (`Mo-Fr`, `Mo,We,Fr`, `Sa-Mo`), `PH` (French public
//! holidays, from `csc-calendar`) and `SH` (school holidays of zone B), time ranges
//! (`09:00-12:00,14:00-17:30`, past midnight `22:00-02:00`, `24:00`), `24/7`, the modifiers
//! `open`, `off` and `closed`, normal rules (`;`, a later rule replaces the day) and additional
//! rules (`, We 14:00-16:00`, which add, or remove with `off`), and comments (`"…"`).
//!
//! Times are local (Europe/Paris); a range is open from its first minute and closed at its last
//! (`09:00-12:00` is closed at 12:00). Temporary closures (whole days) close the place.

pub mod form;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

const DAY: u16 = 24 * 60;
/// How far the next change is looked for.
const HORIZON_DAYS: u64 = 400;
/// Closures are shown this many days before they start.
pub const CLOSURE_NOTICE_DAYS: i64 = 15;

const WEEKDAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
const EXAMPLE: &str = "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off";

/// A parsed `opening_hours` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningHours {
    rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    days: Days7,
    /// Minutes from the day's midnight; an end past 1440 runs into the next day.
    times: Vec<(u16, u16)>,
    open: bool,
    additional: bool,
}

/// Which days a rule selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Days7 {
    weekdays: [bool; 7],
    public_holidays: bool,
    school_holidays: bool,
}

impl Days7 {
    const ALL: Days7 = Days7 {
        weekdays: [true; 7],
        public_holidays: false,
        school_holidays: false,
    };

    fn is_empty(&self) -> bool {
        !self.weekdays.iter().any(|d| *d) && !self.public_holidays && !self.school_holidays
    }

    fn matches(&self, d: NaiveDate) -> bool {
        self.weekdays[d.weekday().num_days_from_monday() as usize]
            || (self.public_holidays && csc_calendar::is_public_holiday(d))
            || (self.school_holidays && csc_calendar::school_holiday(d).is_some())
    }
}

/// Why a string is not opening hours, in French.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursError(pub String);

impl std::fmt::Display for HoursError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HoursError {}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Time(u16),
    Dash,
    Comma,
    Semicolon,
    Always,
    Comment,
}

fn tokens(text: &str) -> Result<Vec<(usize, Token)>, HoursError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' || c == '–' {
            out.push((at, Token::Dash));
            i += 1;
        } else if c == ',' {
            out.push((at, Token::Comma));
            i += 1;
        } else if c == ';' {
            out.push((at, Token::Semicolon));
            i += 1;
        } else if c == '"' {
            let end = chars[i + 1..].iter().position(|c| *c == '"').ok_or_else(|| {
                HoursError(format!(
                    "horaires non reconnus : le commentaire ouvert par un guillemet à la position {at} n'est pas fermé."
                ))
            })?;
            out.push((at, Token::Comment));
            i += end + 2;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit() || chars[i] == ':' || chars[i] == '/')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if word == "24/7" {
                out.push((at, Token::Always));
            } else {
                out.push((at, Token::Time(time(&word, at)?)));
            }
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            out.push((at, Token::Word(chars[start..i].iter().collect())));
        } else {
            return Err(unexpected(&c.to_string(), at));
        }
    }
    Ok(out)
}

fn unexpected(what: &str, at: usize) -> HoursError {
    HoursError(format!(
        "horaires non reconnus : « {what} » à la position {at}. Écrivez par exemple « {EXAMPLE} »."
    ))
}

fn time(word: &str, at: usize) -> Result<u16, HoursError> {
    let bad = || {
        HoursError(format!(
            "horaires non reconnus : « {word} » à la position {at} n'est pas une heure ; écrivez-la 09:00."
        ))
    };
    let (h, m) = word.split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u16 = h.parse().map_err(|_| bad())?;
    let m: u16 = m.parse().map_err(|_| bad())?;
    if m > 59 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

fn weekday(word: &str) -> Option<usize> {
    WEEKDAYS.iter().position(|w| *w == word)
}

fn is_day_word(t: Option<&(usize, Token)>) -> bool {
    matches!(t, Some((_, Token::Word(w))) if weekday(w).is_some() || w == "PH" || w == "SH")
}

struct Parser {
    toks: Vec<(usize, Token)>,
    pos: usize,
    len: usize,
}

impl Parser {
    fn peek(&self) -> Option<&(usize, Token)> {
        self.toks.get(self.pos)
    }

    fn at(&self) -> usize {
        self.peek().map_or(self.len + 1, |(at, _)| *at)
    }

    fn fail(&self) -> HoursError {
        match self.peek() {
            None => HoursError(format!(
                "horaires non reconnus : la fin est incomplète. Écrivez par exemple « {EXAMPLE} »."
            )),
            Some((at, t)) => unexpected(&shown(t), *at),
        }
    }

    fn days(&mut self) -> Result<Days7, HoursError> {
        let mut days = Days7 {
            weekdays: [false; 7],
            public_holidays: false,
            school_holidays: false,
        };
        loop {
            let Some((_, Token::Word(w))) = self.peek().cloned() else {
                return Err(self.fail());
            };
            if w == "PH" {
                days.public_holidays = true;
                self.pos += 1;
            } else if w == "SH" {
                days.school_holidays = true;
                self.pos += 1;
            } else if let Some(first) = weekday(&w) {
                self.pos += 1;
                let mut last = first;
                if matches!(self.peek(), Some((_, Token::Dash))) {
                    self.pos += 1;
                    match self.peek().cloned() {
                        Some((_, Token::Word(w2))) if weekday(&w2).is_some() => {
                            last = weekday(&w2).unwrap_or(first);
                            self.pos += 1;
                        }
                        _ => return Err(self.fail()),
                    }
                }
                let mut d = first;
                loop {
                    days.weekdays[d] = true;
                    if d == last {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            } else {
                return Err(self.fail());
            }
            // A comma continues the list only if another day follows.
            if matches!(self.peek(), Some((_, Token::Comma)))
                && is_day_word(self.toks.get(self.pos + 1))
            {
                self.pos += 1;
                continue;
            }
            return Ok(days);
        }
    }

    fn times(&mut self) -> Result<Vec<(u16, u16)>, HoursError> {
        let mut out = Vec::new();
        loop {
            let Some((at, Token::Time(start))) = self.peek().cloned() else {
                return Err(self.fail());
            };
            self.pos += 1;
            if !matches!(self.peek(), Some((_, Token::Dash))) {
                return Err(HoursError(format!(
                    "horaires non reconnus : l'heure de la position {at} doit être suivie d'une heure de fin (09:00-12:00)."
                )));
            }
            self.pos += 1;
            let Some((at_end, Token::Time(end))) = self.peek().cloned() else {
                return Err(self.fail());
            };
            self.pos += 1;
            if start == DAY {
                return Err(unexpected("24:00", at));
            }
            let end = match end.cmp(&start) {
                std::cmp::Ordering::Greater => end,
                std::cmp::Ordering::Less => end + DAY,
                std::cmp::Ordering::Equal => {
                    return Err(HoursError(format!(
                        "horaires non reconnus : la plage de la position {at_end} commence et finit à la même heure."
                    )))
                }
            };
            out.push((start, end));
            if matches!(self.peek(), Some((_, Token::Comma)))
                && matches!(self.toks.get(self.pos + 1), Some((_, Token::Time(_))))
            {
                self.pos += 1;
                continue;
            }
            return Ok(out);
        }
    }

    fn rule(&mut self, additional: bool) -> Result<Rule, HoursError> {
        let mut days = Days7::ALL;
        let mut times = vec![(0, DAY)];
        let mut open = true;
        let mut selected = false;
        if matches!(self.peek(), Some((_, Token::Always))) {
            self.pos += 1;
            selected = true;
        } else {
            if is_day_word(self.peek()) {
                days = self.days()?;
                selected = true;
            }
            if matches!(self.peek(), Some((_, Token::Time(_)))) {
                times = self.times()?;
                selected = true;
            }
        }
        if let Some((_, Token::Word(w))) = self.peek().cloned() {
            match w.as_str() {
                "open" => self.pos += 1,
                "off" | "closed" => {
                    open = false;
                    self.pos += 1;
                }
                "unknown" => {
                    return Err(HoursError(format!(
                        "horaires non reconnus : « unknown » (position {}) n'est pas accepté ; dites si le lieu est ouvert (open) ou fermé (off).",
                        self.at()
                    )))
                }
                _ => return Err(self.fail()),
            }
            selected = true;
        }
        if matches!(self.peek(), Some((_, Token::Comment))) {
            self.pos += 1;
            selected = true;
        }
        if !selected {
            return Err(self.fail());
        }
        Ok(Rule {
            days,
            times,
            open,
            additional,
        })
    }
}

fn shown(t: &Token) -> String {
    match t {
        Token::Word(w) => w.clone(),
        Token::Time(m) => format!("{:02}:{:02}", m / 60, m % 60),
        Token::Dash => "-".into(),
        Token::Comma => ",".into(),
        Token::Semicolon => ";".into(),
        Token::Always => "24/7".into(),
        Token::Comment => "\"…\"".into(),
    }
}

impl OpeningHours {
    /// Parses an `opening_hours` value; the error is a French sentence naming the position.
    pub fn parse(text: &str) -> Result<Self, HoursError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(HoursError(format!(
                "horaires vides : écrivez par exemple « {EXAMPLE} »."
            )));
        }
        let toks = tokens(text)?;
        let mut p = Parser {
            len: text.chars().count(),
            toks,
            pos: 0,
        };
        let mut rules = Vec::new();
        let mut additional = false;
        while p.peek().is_some() {
            let rule = p.rule(additional)?;
            if rule.days.is_empty() {
                return Err(p.fail());
            }
            rules.push(rule);
            match p.peek() {
                None => break,
                Some((_, Token::Semicolon)) => {
                    p.pos += 1;
                    additional = false;
                }
                Some((_, Token::Comma)) if is_day_word(p.toks.get(p.pos + 1)) => {
                    p.pos += 1;
                    additional = true;
                }
                _ => return Err(p.fail()),
            }
        }
        if rules.is_empty() {
            return Err(p.fail());
        }
        Ok(Self { rules })
    }

    /// The day's own ranges (without what spills over from the day before), in minutes, the end
    /// possibly past midnight.
    fn own(&self, d: NaiveDate) -> Vec<(u16, u16)> {
        let mut spans: Vec<(u16, u16)> = Vec::new();
        for r in self.rules.iter().filter(|r| r.days.matches(d)) {
            match (r.additional, r.open) {
                (false, true) => spans = r.times.clone(),
                (false, false) => spans.clear(),
                (true, true) => spans.extend(r.times.iter().copied()),
                (true, false) => {
                    for cut in &r.times {
                        spans = subtract(&spans, *cut);
                    }
                }
            }
        }
        spans
    }

    /// The open ranges of a day, merged, within 0..=1440 minutes.
    pub fn day_spans(&self, d: NaiveDate) -> Vec<(u16, u16)> {
        let mut spans: Vec<(u16, u16)> = self
            .own(d)
            .into_iter()
            .map(|(s, e)| (s, e.min(DAY)))
            .collect();
        if let Some(before) = d.checked_sub_days(Days::new(1)) {
            spans.extend(
                self.own(before)
                    .into_iter()
                    .filter(|(_, e)| *e > DAY)
                    .map(|(_, e)| (0, (e - DAY).min(DAY))),
            );
        }
        merge(spans)
    }

    /// The ranges of each weekday of an ordinary week (no holiday), and whether public holidays
    /// are closed: what the form shows. `None` when the value says more than the form can.
    pub fn as_week(&self) -> Option<WeekHours> {
        let simple = self.rules.iter().all(|r| {
            !r.additional
                && !r.days.school_holidays
                && r.times.iter().all(|(_, e)| *e <= DAY)
                && (r.days.public_holidays == (r.days.weekdays == [false; 7]))
        });
        if !simple {
            return None;
        }
        let mut week = WeekHours::default();
        for (i, day) in week.days.iter_mut().enumerate() {
            let mut spans = Vec::new();
            for r in self.rules.iter().filter(|r| r.days.weekdays[i]) {
                spans = if r.open { r.times.clone() } else { Vec::new() };
            }
            if spans.len() > 2 {
                return None;
            }
            *day = spans;
        }
        let mut ph_seen = false;
        for r in self.rules.iter().filter(|r| r.days.public_holidays) {
            ph_seen = true;
            if r.open {
                return None;
            }
            week.holidays_closed = true;
        }
        if !ph_seen {
            week.holidays_closed = false;
        }
        Some(week)
    }
}

fn subtract(spans: &[(u16, u16)], (cs, ce): (u16, u16)) -> Vec<(u16, u16)> {
    let mut out = Vec::new();
    for &(s, e) in spans {
        if ce <= s || cs >= e {
            out.push((s, e));
            continue;
        }
        if s < cs {
            out.push((s, cs));
        }
        if ce < e {
            out.push((ce, e));
        }
    }
    out
}

fn merge(mut spans: Vec<(u16, u16)>) -> Vec<(u16, u16)> {
    spans.retain(|(s, e)| s < e);
    spans.sort_unstable();
    let mut out: Vec<(u16, u16)> = Vec::new();
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// A temporary closure, first and last day included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closure {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Closure {
    /// Whether the place is closed that day.
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }

    /// Whether parents see it on `today`: from 15 days before it starts to its last day.
    pub fn shown_on(&self, today: NaiveDate) -> bool {
        (self.start - today).num_days() <= CLOSURE_NOTICE_DAYS && today <= self.end
    }
}

/// Open or closed at a moment, and when that changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub open: bool,
    /// The next minute at which `open` flips (local time); `None` when it never does within
    /// the coming year.
    pub next_change: Option<NaiveDateTime>,
}

/// The open ranges of `d`, temporary closures applied.
pub fn spans_on(hours: &OpeningHours, closures: &[Closure], d: NaiveDate) -> Vec<(u16, u16)> {
    if closures.iter().any(|c| c.covers(d)) {
        Vec::new()
    } else {
        hours.day_spans(d)
    }
}

fn open_at(spans: &[(u16, u16)], minute: u16) -> bool {
    spans.iter().any(|(s, e)| *s <= minute && minute < *e)
}

/// Open or closed at `at` (local time, to the minute), and the next change.
pub fn status(hours: &OpeningHours, closures: &[Closure], at: NaiveDateTime) -> Status {
    let day = at.date();
    let minute = (at.hour() * 60 + at.minute()) as u16;
    let open = open_at(&spans_on(hours, closures, day), minute);
    let mut next_change = None;
    'days: for n in 0..HORIZON_DAYS {
        let Some(d) = day.checked_add_days(Days::new(n)) else {
            break;
        };
        let spans = spans_on(hours, closures, d);
        let mut points: Vec<u16> = std::iter::once(0)
            .chain(spans.iter().flat_map(|(s, e)| [*s, *e]))
            .filter(|p| *p < DAY && (n > 0 || *p > minute))
            .collect();
        points.sort_unstable();
        for p in points {
            if open_at(&spans, p) != open {
                next_change = NaiveTime::from_hms_opt(u32::from(p / 60), u32::from(p % 60), 0)
                    .map(|t| d.and_time(t));
                break 'days;
            }
        }
    }
    Status { open, next_change }
}

/// What the form edits: up to two ranges per weekday (Monday first) and public holidays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekHours {
    pub days: [Vec<(u16, u16)>; 7],
    pub holidays_closed: bool,
}

impl Default for WeekHours {
    fn default() -> Self {
        Self {
            days: Default::default(),
            holidays_closed: true,
        }
    }
}

fn hhmm(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

impl WeekHours {
    /// The `opening_hours` value: consecutive days with the same ranges grouped
    /// (`Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off`); `off` when never open.
    pub fn to_osm(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut i = 0;
        while i < 7 {
            let mut j = i;
            while j + 1 < 7 && self.days[j + 1] == self.days[i] {
                j += 1;
            }
            if !self.days[i].is_empty() {
                let days = match j - i {
                    0 => WEEKDAYS[i].to_string(),
                    1 => format!("{},{}", WEEKDAYS[i], WEEKDAYS[j]),
                    _ => format!("{}-{}", WEEKDAYS[i], WEEKDAYS[j]),
                };
                let times: Vec<String> = self.days[i]
                    .iter()
                    .map(|(s, e)| format!("{}-{}", hhmm(*s), hhmm(*e)))
                    .collect();
                parts.push(format!("{days} {}", times.join(",")));
            }
            i = j + 1;
        }
        if parts.is_empty() {
            return "off".into();
        }
        if self.holidays_closed {
            parts.push("PH off".into());
        }
        parts.join("; ")
    }
}

/// A weekday's name in French, Monday first.
pub const JOURS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// `14 h 30`.
pub fn french_time(t: NaiveTime) -> String {
    format!("{} h {:02}", t.hour(), t.minute())
}

/// « le vendredi 15/05/2026 à 9 h 00 ».
pub fn french_moment(at: NaiveDateTime) -> String {
    format!(
        "le {} {} à {}",
        JOURS[at.weekday().num_days_from_monday() as usize],
        at.format("%d/%m/%Y"),
        french_time(at.time())
    )
}

/// The ranges of a day for people: « 9 h 00 – 12 h 00 et 14 h 00 – 17 h 30 », or « fermé ».
pub fn french_spans(spans: &[(u16, u16)]) -> String {
    if spans.is_empty() {
        return "fermé".into();
    }
    let shown = |m: u16| format!("{} h {:02}", m / 60, m % 60);
    spans
        .iter()
        .map(|(s, e)| format!("{} – {}", shown(*s), shown(*e)))
        .collect::<Vec<_>>()
        .join(" et ")
}

#[cfg(test)]
mod tests;
