//! Members of a centre's time bank: registered at the reception (no e-mail or phone needed) or
//! joining online (then validated by the staff). A member's hours account is opened when the
//! member becomes active, with the centre's floor and give-to-earn cap.

use chrono::NaiveDateTime;
use csc_core::AppError;
use csc_db::DbConn;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::ledger::{self, Account, LedgerError, NewAccount};
use crate::schema::{bc_accounts, bc_members};

csc_core::coded! {
    /// How to reach a member.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Contact {
        Centre = ("centre", "Par le centre social (par défaut)"),
        Email = ("courriel", "Par courriel"),
        Phone = ("telephone", "Par téléphone"),
    }
}
csc_db::sql_coded!(Contact);

csc_core::coded! {
    /// Where a membership stands.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum MemberStatus {
        Pending = ("en_attente", "En attente de validation"),
        Active = ("actif", "Actif"),
        Closed = ("ferme", "Parti"),
    }
}
csc_db::sql_coded!(MemberStatus);

/// A member as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = bc_members)]
pub struct Member {
    pub id: i64,
    pub centre_id: i64,
    pub user_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    pub neighbourhood: String,
    pub contact: Contact,
    pub contact_detail: String,
    pub profession: String,
    pub status: MemberStatus,
    pub created_at: NaiveDateTime,
}

impl Member {
    /// First name and initial: « Aïcha B. ».
    pub fn display(&self) -> String {
        display_name(&self.first_name, &self.last_name)
    }
}

/// First name and the initial of the name.
pub fn display_name(first: &str, last: &str) -> String {
    match last.trim().chars().next() {
        Some(i) => format!("{} {}.", first.trim(), i.to_uppercase()),
        None => first.trim().to_string(),
    }
}

/// The membership form (reception or online).
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct MemberForm {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub neighbourhood: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub contact_detail: String,
    #[serde(default)]
    pub profession: String,
}

/// A checked membership form.
#[derive(Debug, Clone)]
pub struct MemberData {
    pub first_name: String,
    pub last_name: String,
    pub neighbourhood: String,
    pub contact: Contact,
    pub contact_detail: String,
    pub profession: String,
}

impl MemberForm {
    pub fn parse(&self) -> Result<MemberData, csc_web::FieldErrors> {
        use csc_web::forms::{optional, required};
        let mut e = csc_web::FieldErrors::new();
        let first_name = e.check("first_name", required(&self.first_name, 80, "le prénom"));
        let last_name = e.check(
            "last_name",
            required(&self.last_name, 80, "le nom ou son initiale"),
        );
        let neighbourhood = e.check("neighbourhood", optional(&self.neighbourhood, 120));
        let contact = e.check(
            "contact",
            if self.contact.trim().is_empty() {
                Ok(Contact::Centre)
            } else {
                Contact::parse(&self.contact)
                    .ok_or_else(|| "Choisissez un moyen de contact.".into())
            },
        );
        let contact_detail = e.check("contact_detail", optional(&self.contact_detail, 120));
        if matches!(contact, Some(Contact::Email | Contact::Phone))
            && contact_detail.as_deref().is_some_and(str::is_empty)
        {
            e.add(
                "contact_detail",
                "Indiquez l'adresse ou le numéro, ou choisissez « par le centre social ».",
            );
        }
        let profession = e.check("profession", optional(&self.profession, 120));
        match (
            first_name,
            last_name,
            neighbourhood,
            contact,
            contact_detail,
            profession,
        ) {
            (
                Some(first_name),
                Some(last_name),
                Some(neighbourhood),
                Some(contact),
                Some(contact_detail),
                Some(profession),
            ) if e.is_empty() => Ok(MemberData {
                first_name,
                last_name,
                neighbourhood,
                contact,
                contact_detail,
                profession,
            }),
            _ => Err(e),
        }
    }
}

/// Registers a member: active at once (at the reception) or pending (joined online). Returns
/// the member's id.
pub fn register(
    c: &mut DbConn,
    centre_id: i64,
    d: &MemberData,
    user_id: Option<i64>,
    active: bool,
) -> Result<i64, LedgerError> {
    if let Some(uid) = user_id {
        let already: i64 = bc_members::table
            .filter(bc_members::centre_id.eq(centre_id))
            .filter(bc_members::user_id.eq(uid))
            .count()
            .get_result(c)?;
        if already > 0 {
            return Err(LedgerError::App(AppError::Conflict(
                "Vous êtes déjà inscrit(e) dans ce centre.".into(),
            )));
        }
    }
    let id: i64 = diesel::insert_into(bc_members::table)
        .values((
            bc_members::centre_id.eq(centre_id),
            bc_members::user_id.eq(user_id),
            bc_members::first_name.eq(&d.first_name),
            bc_members::last_name.eq(&d.last_name),
            bc_members::neighbourhood.eq(&d.neighbourhood),
            bc_members::contact.eq(d.contact),
            bc_members::contact_detail.eq(&d.contact_detail),
            bc_members::profession.eq(&d.profession),
            bc_members::status.eq(if active {
                MemberStatus::Active
            } else {
                MemberStatus::Pending
            }),
            bc_members::created_at.eq(csc_core::time::now()),
        ))
        .returning(bc_members::id)
        .get_result(c)?;
    if active {
        open_account(c, centre_id, id, &display_name(&d.first_name, &d.last_name))?;
    }
    Ok(id)
}

fn open_account(
    c: &mut DbConn,
    centre_id: i64,
    member_id: i64,
    name: &str,
) -> Result<i64, LedgerError> {
    let s = ledger::settings(c, centre_id)?;
    ledger::open_account(
        c,
        &NewAccount {
            centre_id,
            member_id: Some(member_id),
            name: name.into(),
            floor: s.default_floor,
            ceiling: None,
            quota_max: s.default_quota_max,
        },
    )
}

/// The staff validate a membership asked online: the member is active and has an account.
pub fn validate(c: &mut DbConn, centre_id: i64, member_id: i64) -> Result<(), LedgerError> {
    let m = get(c, centre_id, member_id)?;
    let n = diesel::update(
        bc_members::table
            .find(member_id)
            .filter(bc_members::status.eq(MemberStatus::Pending)),
    )
    .set(bc_members::status.eq(MemberStatus::Active))
    .execute(c)?;
    if n == 1 {
        open_account(c, centre_id, member_id, &m.display())?;
    }
    Ok(())
}

/// A member of the centre (404 when of another centre).
pub fn get(c: &mut DbConn, centre_id: i64, member_id: i64) -> Result<Member, LedgerError> {
    bc_members::table
        .find(member_id)
        .filter(bc_members::centre_id.eq(centre_id))
        .select(Member::as_select())
        .first(c)
        .optional()?
        .ok_or(LedgerError::App(AppError::NotFound))
}

/// The member's (open or last) account.
pub fn account_of(c: &mut DbConn, member_id: i64) -> QueryResult<Option<Account>> {
    bc_accounts::table
        .filter(bc_accounts::member_id.eq(member_id))
        .order(bc_accounts::id.desc())
        .select(Account::as_select())
        .first(c)
        .optional()
}

/// A member with their account, for lists.
#[derive(Debug, Clone, Serialize)]
pub struct MemberRow {
    pub member: Member,
    pub name: String,
    pub account: Option<Account>,
    pub available: Option<i64>,
    pub warned: bool,
}

/// Every member of the centre with their account, by name.
pub fn list(c: &mut DbConn, centre_id: i64) -> QueryResult<Vec<MemberRow>> {
    let alert = ledger::settings(c, centre_id)?.alert_minutes;
    let rows: Vec<(Member, Option<Account>)> = bc_members::table
        .left_join(bc_accounts::table.on(bc_accounts::member_id.eq(bc_members::id.nullable())))
        .filter(bc_members::centre_id.eq(centre_id))
        .order((
            bc_members::first_name,
            bc_members::last_name,
            bc_members::id,
        ))
        .select((Member::as_select(), Option::<Account>::as_select()))
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(|(member, account)| MemberRow {
            name: member.display(),
            available: account.as_ref().and_then(Account::available),
            warned: account.as_ref().is_some_and(|a| a.warned(alert)),
            member,
            account,
        })
        .collect())
}

/// The memberships of a signed-in resident.
pub fn of_user(c: &mut DbConn, user_id: i64) -> QueryResult<Vec<Member>> {
    bc_members::table
        .filter(bc_members::user_id.eq(user_id))
        .order(bc_members::id)
        .select(Member::as_select())
        .load(c)
}
