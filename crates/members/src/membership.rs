//! Memberships (adhésions): how long they last is the centre's choice.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::{members_centre_settings as cs, members_memberships as m};

csc_core::coded! {
    /// How long a membership lasts: the school year of the day it starts (1 September to
    /// 31 August), or twelve months from that day.
    pub enum Validity {
        SchoolYear = ("annee_scolaire", "l'année scolaire (du 1er septembre au 31 août)"),
        TwelveMonths = ("douze_mois", "12 mois à partir du jour de l'adhésion"),
    }
}

impl Validity {
    /// From the stored code (the school year when unknown).
    pub fn from_code(code: &str) -> Self {
        Self::parse(code).unwrap_or(Validity::SchoolYear)
    }

    /// First and last day of a membership taken on `day`.
    pub fn period(self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self {
            Validity::SchoolYear => {
                let start_year = if day.month() >= 9 {
                    day.year()
                } else {
                    day.year() - 1
                };
                let start = NaiveDate::from_ymd_opt(start_year, 9, 1).unwrap_or(day);
                let end = NaiveDate::from_ymd_opt(start_year + 1, 8, 31).unwrap_or(day);
                (start, end)
            }
            Validity::TwelveMonths => {
                // The day before the anniversary (1 March for a membership taken on 29 February).
                let anniversary = NaiveDate::from_ymd_opt(day.year() + 1, day.month(), day.day())
                    .or_else(|| NaiveDate::from_ymd_opt(day.year() + 1, 3, 1));
                let end = anniversary.and_then(|d| d.pred_opt()).unwrap_or(day);
                (day, end)
            }
        }
    }
}

/// The centre's rule (the school year when it has not chosen).
pub fn validity_of(conn: &mut DbConn, centre_id: i64) -> QueryResult<Validity> {
    let code: Option<String> = cs::table
        .find(centre_id)
        .select(cs::membership_validity)
        .first(conn)
        .optional()?;
    Ok(code.map_or(Validity::SchoolYear, |c| Validity::from_code(&c)))
}

/// Sets the centre's rule.
pub fn set_validity(conn: &mut DbConn, centre_id: i64, v: Validity) -> QueryResult<()> {
    conn.write_transaction::<_, diesel::result::Error, _>(|conn| {
        let n = diesel::update(cs::table.find(centre_id))
            .set(cs::membership_validity.eq(v.code()))
            .execute(conn)?;
        if n == 0 {
            diesel::insert_into(cs::table)
                .values((
                    cs::centre_id.eq(centre_id),
                    cs::membership_validity.eq(v.code()),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// A membership of a household.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = m)]
pub struct Membership {
    pub id: i64,
    pub household_id: i64,
    pub centre_id: i64,
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub fee_cents: i64,
    pub status: crate::MembershipStatus,
    pub created_at: NaiveDateTime,
}

/// Records a membership asked for on `day` (asked for, validated by the reception).
pub fn request(
    conn: &mut DbConn,
    household_id: i64,
    centre_id: i64,
    kind: &str,
    fee_cents: i64,
    day: NaiveDate,
) -> QueryResult<i64> {
    let (starts_on, ends_on) = validity_of(conn, centre_id)?.period(day);
    diesel::insert_into(m::table)
        .values((
            m::household_id.eq(household_id),
            m::centre_id.eq(centre_id),
            m::kind.eq(kind),
            m::starts_on.eq(starts_on),
            m::ends_on.eq(ends_on),
            m::fee_cents.eq(fee_cents),
            m::status.eq(crate::MembershipStatus::Asked),
            m::created_at.eq(csc_core::time::now()),
        ))
        .returning(m::id)
        .get_result(conn)
}

/// The memberships of a household, latest first.
pub fn of_household(conn: &mut DbConn, household_id: i64) -> QueryResult<Vec<Membership>> {
    m::table
        .filter(m::household_id.eq(household_id))
        .order(m::starts_on.desc())
        .select(Membership::as_select())
        .load(conn)
}

/// Marks a membership of the centre as paid and valid (the reception's check).
pub fn validate(conn: &mut DbConn, centre_id: i64, id: i64) -> QueryResult<usize> {
    diesel::update(
        m::table
            .filter(m::id.eq(id))
            .filter(m::centre_id.eq(centre_id)),
    )
    .set(m::status.eq(crate::MembershipStatus::Validated))
    .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn school_year_runs_from_september_to_august() {
        assert_eq!(
            Validity::SchoolYear.period(d(2026, 11, 24)),
            (d(2026, 9, 1), d(2027, 8, 31))
        );
        assert_eq!(
            Validity::SchoolYear.period(d(2027, 8, 31)),
            (d(2026, 9, 1), d(2027, 8, 31))
        );
        assert_eq!(
            Validity::SchoolYear.period(d(2027, 9, 1)),
            (d(2027, 9, 1), d(2028, 8, 31))
        );
    }

    #[test]
    fn twelve_months_end_the_day_before_the_anniversary() {
        assert_eq!(
            Validity::TwelveMonths.period(d(2026, 11, 24)),
            (d(2026, 11, 24), d(2027, 11, 23))
        );
        // 29 February: the anniversary is 28 February.
        assert_eq!(
            Validity::TwelveMonths.period(d(2028, 2, 29)),
            (d(2028, 2, 29), d(2029, 2, 28))
        );
    }
}
