//! Households: creation from the checked form, the private link, the family as a whole, the
//! second household of a child, deletion.

use chrono::{NaiveDate, NaiveDateTime};
use csc_auth::tokens::{digest, random_secret};
use csc_core::{time, AppError};
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::form::HouseholdData;
use crate::membership::{self, Membership};
use crate::schema::{
    members_adults as a, members_children as ch, members_consents as co,
    members_household_children as hc, members_households as h,
};

/// A household (foyer).
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = h)]
pub struct Household {
    pub id: i64,
    pub centre_id: i64,
    pub user_id: Option<i64>,
    #[serde(skip)]
    pub token_hash: String,
    pub address: String,
    pub postcode: String,
    pub town: String,
    pub scheme: crate::Scheme,
    pub allocataire: String,
    pub qf: Option<i32>,
    pub qf_date: Option<NaiveDate>,
    pub qf_proof: crate::QfProof,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Household {
    /// The quotient familial, when the family gave it.
    pub fn qf(&self) -> Option<u32> {
        self.qf.and_then(|q| u32::try_from(q).ok())
    }
}

/// A responsible adult.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = a)]
pub struct Adult {
    pub id: i64,
    pub household_id: i64,
    pub position: i32,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub relation: String,
}

/// A child.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = ch)]
pub struct Child {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: NaiveDate,
    pub disability: bool,
    /// Allergies, PAI: only for the staff who need it (never put it in a family-facing page
    /// other than the family's own).
    pub health: String,
    pub created_at: NaiveDateTime,
}

/// A household with its people and memberships.
#[derive(Debug, Clone, Serialize)]
pub struct Family {
    pub household: Household,
    pub adults: Vec<Adult>,
    pub children: Vec<Child>,
    pub memberships: Vec<Membership>,
}

impl Family {
    /// The adult who filled the form.
    pub fn contact(&self) -> Option<&Adult> {
        self.adults.first()
    }

    /// The family's name as staff see it: the first adult's last name.
    pub fn name(&self) -> String {
        self.contact()
            .map(|a| format!("{} {}", a.first_name, a.last_name))
            .unwrap_or_default()
    }
}

/// Creates the household, its adults, children and the data-processing consent, and asks for
/// a family membership (`fee_cents`) on `today`. Returns the household id and the secret of its
/// private link (to send to the family; it is not stored).
pub fn create(
    conn: &mut DbConn,
    centre_id: i64,
    data: &HouseholdData,
    fee_cents: i64,
    today: NaiveDate,
) -> QueryResult<(i64, String)> {
    let secret = random_secret();
    let now = time::now();
    let id = conn.write_transaction::<_, diesel::result::Error, _>(|conn| {
        let id: i64 = diesel::insert_into(h::table)
            .values((
                h::centre_id.eq(centre_id),
                h::token_hash.eq(digest(&secret)),
                h::address.eq(&data.address),
                h::postcode.eq(&data.postcode),
                h::town.eq(&data.town),
                h::scheme.eq(&data.scheme),
                h::allocataire.eq(&data.allocataire),
                h::qf.eq(data.qf.and_then(|q| i32::try_from(q).ok())),
                h::qf_date.eq(data.qf.map(|_| today)),
                h::created_at.eq(now),
                h::updated_at.eq(now),
            ))
            .returning(h::id)
            .get_result(conn)?;
        for (i, adult) in data.adults.iter().enumerate() {
            diesel::insert_into(a::table)
                .values((
                    a::household_id.eq(id),
                    a::position.eq(i32::try_from(i + 1).unwrap_or(2)),
                    a::first_name.eq(&adult.first_name),
                    a::last_name.eq(&adult.last_name),
                    a::email.eq(&adult.email),
                    a::phone.eq(&adult.phone),
                ))
                .execute(conn)?;
        }
        for child in &data.children {
            let child_id: i64 = diesel::insert_into(ch::table)
                .values((
                    ch::first_name.eq(&child.first_name),
                    ch::last_name.eq(&child.last_name),
                    ch::birth_date.eq(child.birth_date),
                    ch::disability.eq(child.disability),
                    ch::health.eq(&child.health),
                    ch::created_at.eq(now),
                ))
                .returning(ch::id)
                .get_result(conn)?;
            link_child(conn, id, child_id)?;
        }
        diesel::insert_into(co::table)
            .values((
                co::household_id.eq(id),
                co::purpose.eq("donnees"),
                co::given_at.eq(now),
            ))
            .execute(conn)?;
        membership::request(conn, id, centre_id, "famille", fee_cents, today)?;
        Ok(id)
    })?;
    Ok((id, secret))
}

/// Adds a child to a (second) household: separated parents each have theirs.
pub fn link_child(conn: &mut DbConn, household_id: i64, child_id: i64) -> QueryResult<()> {
    diesel::insert_into(hc::table)
        .values((hc::household_id.eq(household_id), hc::child_id.eq(child_id)))
        .execute(conn)
        .map(|_| ())
}

/// The household a private-link secret opens (404 for anything else).
pub fn by_secret(conn: &mut DbConn, secret: &str) -> Result<Household, AppError> {
    if secret.len() > 64 {
        return Err(AppError::NotFound);
    }
    Ok(h::table
        .filter(h::token_hash.eq(digest(secret)))
        .select(Household::as_select())
        .first(conn)?)
}

/// One household of the centre (404 when it is another centre's).
pub fn get(conn: &mut DbConn, centre_id: i64, id: i64) -> Result<Household, AppError> {
    Ok(h::table
        .filter(h::id.eq(id))
        .filter(h::centre_id.eq(centre_id))
        .select(Household::as_select())
        .first(conn)?)
}

/// The children of a household, eldest first.
pub fn children(conn: &mut DbConn, household_id: i64) -> QueryResult<Vec<Child>> {
    hc::table
        .inner_join(ch::table)
        .filter(hc::household_id.eq(household_id))
        .order((ch::birth_date, ch::id))
        .select(Child::as_select())
        .load(conn)
}

/// The birth dates of these children, by id (the planning counts children by age on a day
/// without reading anything else about them).
pub fn birth_dates(
    conn: &mut DbConn,
    ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, NaiveDate>> {
    Ok(ch::table
        .filter(ch::id.eq_any(ids))
        .select((ch::id, ch::birth_date))
        .load::<(i64, NaiveDate)>(conn)?
        .into_iter()
        .collect())
}

/// The households a child belongs to.
pub fn households_of_child(conn: &mut DbConn, child_id: i64) -> QueryResult<Vec<i64>> {
    hc::table
        .filter(hc::child_id.eq(child_id))
        .select(hc::household_id)
        .order(hc::household_id)
        .load(conn)
}

/// The whole family.
pub fn family(conn: &mut DbConn, household: Household) -> QueryResult<Family> {
    let adults = adults(conn, household.id)?;
    let children = children(conn, household.id)?;
    let memberships = membership::of_household(conn, household.id)?;
    Ok(Family {
        household,
        adults,
        children,
        memberships,
    })
}

/// Deletes a household with its adults, consents and memberships, and the children who belong
/// to no other household.
pub fn delete(conn: &mut DbConn, household_id: i64) -> QueryResult<()> {
    conn.write_transaction::<_, diesel::result::Error, _>(|conn| {
        let kids: Vec<i64> = hc::table
            .filter(hc::household_id.eq(household_id))
            .select(hc::child_id)
            .load(conn)?;
        diesel::delete(h::table.find(household_id)).execute(conn)?;
        for kid in kids {
            if households_of_child(conn, kid)?.is_empty() {
                diesel::delete(ch::table.find(kid)).execute(conn)?;
            }
        }
        Ok(())
    })
}

/// The adults of a household, the one who filled the form first.
pub fn adults(conn: &mut DbConn, household_id: i64) -> QueryResult<Vec<Adult>> {
    a::table
        .filter(a::household_id.eq(household_id))
        .order(a::position)
        .select(Adult::as_select())
        .load(conn)
}

/// The adult who filled the form, for each of `households` (lists name a family by them).
pub fn contacts(conn: &mut DbConn, households: &[i64]) -> QueryResult<Vec<Adult>> {
    a::table
        .filter(a::household_id.eq_any(households))
        .filter(a::position.eq(1))
        .select(Adult::as_select())
        .load(conn)
}

/// The town and quotient familial of a household (for lists and exports).
pub fn town_and_qf(conn: &mut DbConn, household_id: i64) -> QueryResult<(String, Option<i32>)> {
    h::table
        .find(household_id)
        .select((h::town, h::qf))
        .first(conn)
}

/// The households created before `t`.
pub fn created_before(conn: &mut DbConn, t: NaiveDateTime) -> QueryResult<Vec<i64>> {
    h::table
        .filter(h::created_at.lt(t))
        .select(h::id)
        .load(conn)
}

/// Attaches the household to the account the family created.
pub fn set_user(conn: &mut DbConn, household_id: i64, user_id: i64) -> QueryResult<usize> {
    diesel::update(h::table.find(household_id))
        .set(h::user_id.eq(user_id))
        .execute(conn)
}

/// The households attached to an account.
pub fn of_user(conn: &mut DbConn, user_id: i64) -> QueryResult<Vec<Household>> {
    h::table
        .filter(h::user_id.eq(user_id))
        .order(h::created_at.desc())
        .select(Household::as_select())
        .load(conn)
}

/// Gives the household a new private link (the old one stops working); returns its secret.
pub fn renew_secret(conn: &mut DbConn, household_id: i64) -> QueryResult<String> {
    let secret = random_secret();
    diesel::update(h::table.find(household_id))
        .set(h::token_hash.eq(digest(&secret)))
        .execute(conn)?;
    Ok(secret)
}

/// Records where the family's QF proof stands (the reception's check).
pub fn set_qf_proof(
    conn: &mut DbConn,
    household_id: i64,
    proof: crate::QfProof,
) -> QueryResult<usize> {
    diesel::update(h::table.find(household_id))
        .set((h::qf_proof.eq(proof), h::updated_at.eq(time::now())))
        .execute(conn)
}
