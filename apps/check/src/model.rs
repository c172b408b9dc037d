//! Stored states of Check and the age bands of its reports.

use chrono::NaiveDate;

csc_core::coded! {
    /// A person's state at a session.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum AttendanceState {
        Present = ("present", "Présent"),
        AbsentJustified = ("absent_justifie", "Absent justifié"),
        AbsentUnjustified = ("absent_injustifie", "Absent injustifié"),
    }
}

csc_core::coded! {
    /// Adult or child.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum PersonRole {
        Adult = ("adulte", "Adulte"),
        Child = ("enfant", "Enfant"),
    }
}

csc_db::sql_coded!(AttendanceState, PersonRole);

/// The age bands of the monthly report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgeBand {
    Under3,
    From3To5,
    From6To11,
    From12To17,
}

impl AgeBand {
    pub const ALL: [AgeBand; 4] = [
        AgeBand::Under3,
        AgeBand::From3To5,
        AgeBand::From6To11,
        AgeBand::From12To17,
    ];

    /// The band of an age in whole years (none from 18 on).
    pub fn of_age(age: i32) -> Option<Self> {
        match age {
            i32::MIN..=-1 => None,
            0..=2 => Some(Self::Under3),
            3..=5 => Some(Self::From3To5),
            6..=11 => Some(Self::From6To11),
            12..=17 => Some(Self::From12To17),
            _ => None,
        }
    }

    /// The code stored and shown in JSON: `<3`, `3-5`, `6-11`, `12-17`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Under3 => "<3",
            Self::From3To5 => "3-5",
            Self::From6To11 => "6-11",
            Self::From12To17 => "12-17",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Under3 => "moins de 3 ans",
            Self::From3To5 => "3 à 5 ans",
            Self::From6To11 => "6 à 11 ans",
            Self::From12To17 => "12 à 17 ans",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.code() == code.trim())
    }

    pub fn under_6(self) -> bool {
        matches!(self, Self::Under3 | Self::From3To5)
    }
}

/// A person's band on a day: from the birth date when known, else the band given.
pub fn band_on(birth: Option<NaiveDate>, band: Option<AgeBand>, day: NaiveDate) -> Option<AgeBand> {
    match birth {
        Some(b) => AgeBand::of_age(crate::text::age_on(b, day)),
        None => band,
    }
}
