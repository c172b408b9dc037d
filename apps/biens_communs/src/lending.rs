//! Lending of equipment: classes of items with their rules (loan length, renewals, at most N
//! items of the class per member counting holds and loans, hold length, hours per loan), items
//! lent by a member or by the centre, loans with the condition noted at each loan and return,
//! and the holds queue of each item, in order.
//!
//! Rules, as written in the issue:
//! - due dates and hold ends fall on the centre's opening days: a date on a closed weekday (the
//!   centre's setting) or a public holiday moves to the next opening day;
//! - the hold of the first in line starts on the day the item is back (or when the hold before
//!   it expires or is cancelled) and lasts `hold_days` days, its end moved to an opening day;
//!   a hold expires the day after its end;
//! - renewals are refused while someone waits for the item, and beyond `renewals_allowed`; a
//!   renewal's new due date is `loan_days` after the day of the renewal (on an opening day);
//! - a member with an overdue item (due date before today, not returned) can place no new hold
//!   and take no new loan;
//! - lending moves no hours unless the class says so (`loan_minutes` > 0: the borrower pays
//!   the lending member, or the centre's solidarity pot for the centre's items).

use chrono::{Datelike, Days, NaiveDate};
use csc_core::AppError;
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::ledger::{self, Channel, LedgerError, NewTransfer, TransferKind};
use crate::members::{self, MemberStatus};
use crate::schema::{bc_holds, bc_item_classes, bc_items, bc_loans};

csc_core::coded! {
    /// Where a hold stands.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum HoldStatus {
        Waiting = ("attente", "En attente"),
        Ready = ("a_retirer", "À retirer"),
        Honoured = ("honoree", "Prêtée"),
        Expired = ("expiree", "Expirée"),
        Cancelled = ("annulee", "Annulée"),
    }
}
csc_db::sql_coded!(HoldStatus);

/// Why a lending action was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LendingRefusal {
    Overdue,
    ClassCap(i32),
    NotAvailable,
    AlreadyHeld,
    AlreadyBorrowed,
    SomeoneWaits,
    NoRenewalLeft,
    NotActive,
}

impl LendingRefusal {
    pub fn message(&self) -> String {
        match self {
            Self::Overdue => "Un objet emprunté n'a pas été rendu à temps : rapportez-le avant d'emprunter ou de réserver.".into(),
            Self::ClassCap(n) => format!("Vous avez déjà {n} objet(s) de ce type, emprunts et réservations comptés : c'est le maximum."),
            Self::NotAvailable => "Cet objet n'est pas disponible : réservez-le, vous serez prévenu(e) à son retour.".into(),
            Self::AlreadyHeld => "Vous avez déjà réservé cet objet.".into(),
            Self::AlreadyBorrowed => "Vous avez déjà cet objet en prêt.".into(),
            Self::SomeoneWaits => "Quelqu'un attend cet objet : le prêt ne peut pas être prolongé.".into(),
            Self::NoRenewalLeft => "Ce prêt a déjà été prolongé autant de fois que permis.".into(),
            Self::NotActive => "L'inscription de ce membre n'est pas active.".into(),
        }
    }
}

/// A failed lending action.
#[derive(Debug)]
pub enum LendingError {
    Refused(LendingRefusal),
    Ledger(LedgerError),
}

impl From<diesel::result::Error> for LendingError {
    fn from(e: diesel::result::Error) -> Self {
        LendingError::Ledger(e.into())
    }
}
impl From<LedgerError> for LendingError {
    fn from(e: LedgerError) -> Self {
        LendingError::Ledger(e)
    }
}
impl From<AppError> for LendingError {
    fn from(e: AppError) -> Self {
        LendingError::Ledger(LedgerError::App(e))
    }
}
impl From<LendingRefusal> for LendingError {
    fn from(r: LendingRefusal) -> Self {
        LendingError::Refused(r)
    }
}

/// A class of items and its rules.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = bc_item_classes)]
pub struct ItemClass {
    pub id: i64,
    pub centre_id: i64,
    pub name: String,
    pub loan_days: i32,
    pub renewals_allowed: i32,
    pub max_per_member: i32,
    pub hold_days: i32,
    pub loan_minutes: i64,
}

/// An item.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = bc_items)]
pub struct Item {
    pub id: i64,
    pub centre_id: i64,
    pub class_id: i64,
    pub owner_member_id: Option<i64>,
    pub name: String,
    pub condition_notes: String,
    pub photos: String,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
}

/// A loan.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = bc_loans)]
pub struct Loan {
    pub id: i64,
    pub item_id: i64,
    pub member_id: i64,
    pub started_on: NaiveDate,
    pub due_on: NaiveDate,
    pub returned_on: Option<NaiveDate>,
    pub renewals: i32,
    pub condition_out: String,
    pub condition_in: String,
    pub reminded_before: bool,
    pub reminded_late: bool,
}

/// A hold.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = bc_holds)]
pub struct Hold {
    pub id: i64,
    pub item_id: i64,
    pub member_id: i64,
    pub status: HoldStatus,
    pub ready_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub created_at: chrono::NaiveDateTime,
}

/// The centre's opening days: neither one of its closed weekdays nor a public holiday.
#[derive(Debug, Clone)]
pub struct Opening {
    /// ISO weekday numbers, 1 (Monday) to 7 (Sunday).
    pub closed: Vec<u32>,
}

impl Opening {
    /// From the setting « 6,7 ».
    pub fn from_setting(s: &str) -> Self {
        Self {
            closed: s
                .split(',')
                .filter_map(|d| d.trim().parse::<u32>().ok())
                .filter(|d| (1..=7).contains(d))
                .collect(),
        }
    }

    pub fn is_open(&self, d: NaiveDate) -> bool {
        !self.closed.contains(&d.weekday().number_from_monday())
            && !csc_calendar::is_public_holiday(d)
    }

    /// `d`, or the next opening day after it.
    pub fn on_or_after(&self, d: NaiveDate) -> NaiveDate {
        let mut d = d;
        // A centre closed every day would loop: at most a year ahead.
        for _ in 0..366 {
            if self.is_open(d) {
                return d;
            }
            d = d.succ_opt().unwrap_or(d);
        }
        d
    }

    /// `days` days after `from`, moved to an opening day.
    pub fn after(&self, from: NaiveDate, days: i32) -> NaiveDate {
        let days = u64::try_from(days.max(0)).unwrap_or(0);
        self.on_or_after(from.checked_add_days(Days::new(days)).unwrap_or(from))
    }
}

/// The opening days of a centre, from its settings.
pub fn opening(c: &mut DbConn, centre_id: i64) -> QueryResult<Opening> {
    Ok(Opening::from_setting(
        &ledger::settings(c, centre_id)?.closed_weekdays,
    ))
}

/// A new class.
pub fn create_class(c: &mut DbConn, k: &ItemClass) -> QueryResult<i64> {
    diesel::insert_into(bc_item_classes::table)
        .values((
            bc_item_classes::centre_id.eq(k.centre_id),
            bc_item_classes::name.eq(&k.name),
            bc_item_classes::loan_days.eq(k.loan_days),
            bc_item_classes::renewals_allowed.eq(k.renewals_allowed),
            bc_item_classes::max_per_member.eq(k.max_per_member),
            bc_item_classes::hold_days.eq(k.hold_days),
            bc_item_classes::loan_minutes.eq(k.loan_minutes),
        ))
        .returning(bc_item_classes::id)
        .get_result(c)
}

/// A new item of a class; `owner`: the lending member (`None`: the centre).
pub fn create_item(
    c: &mut DbConn,
    class_id: i64,
    owner: Option<i64>,
    name: &str,
    condition: &str,
) -> Result<i64, LendingError> {
    let k = class(c, class_id)?;
    Ok(diesel::insert_into(bc_items::table)
        .values((
            bc_items::centre_id.eq(k.centre_id),
            bc_items::class_id.eq(class_id),
            bc_items::owner_member_id.eq(owner),
            bc_items::name.eq(name.trim()),
            bc_items::condition_notes.eq(condition.trim()),
            bc_items::created_at.eq(csc_core::time::now()),
        ))
        .returning(bc_items::id)
        .get_result(c)?)
}

fn class(c: &mut DbConn, id: i64) -> Result<ItemClass, LendingError> {
    bc_item_classes::table
        .find(id)
        .select(ItemClass::as_select())
        .first(c)
        .optional()?
        .ok_or(LendingError::Ledger(LedgerError::App(AppError::NotFound)))
}

/// One item.
pub fn item(c: &mut DbConn, id: i64) -> Result<Item, LendingError> {
    bc_items::table
        .find(id)
        .select(Item::as_select())
        .first(c)
        .optional()?
        .ok_or(LendingError::Ledger(LedgerError::App(AppError::NotFound)))
}

/// On PostgreSQL, locks the item's row, then the member's: concurrent actions on one item, or
/// of one member, take their turn (SQLite's write transaction already does).
fn lock(c: &mut DbConn, item_id: i64, member_id: i64) -> Result<(), LendingError> {
    if csc_db::is_postgres(c) {
        #[derive(QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            #[allow(dead_code)]
            id: i64,
        }
        diesel::sql_query(format!(
            "SELECT id FROM bc_items WHERE id = {item_id} FOR UPDATE"
        ))
        .load::<Id>(c)?;
        diesel::sql_query(format!(
            "SELECT id FROM bc_members WHERE id = {member_id} FOR UPDATE"
        ))
        .load::<Id>(c)?;
    }
    Ok(())
}

/// The loan of the item not yet returned.
pub fn current_loan(c: &mut DbConn, item_id: i64) -> QueryResult<Option<Loan>> {
    bc_loans::table
        .filter(bc_loans::item_id.eq(item_id))
        .filter(bc_loans::returned_on.is_null())
        .select(Loan::as_select())
        .first(c)
        .optional()
}

/// The item's live holds (waiting or ready), in order.
pub fn queue(c: &mut DbConn, item_id: i64) -> QueryResult<Vec<Hold>> {
    bc_holds::table
        .filter(bc_holds::item_id.eq(item_id))
        .filter(bc_holds::status.eq_any([HoldStatus::Waiting, HoldStatus::Ready]))
        .order(bc_holds::id)
        .select(Hold::as_select())
        .load(c)
}

fn has_overdue(c: &mut DbConn, member_id: i64, today: NaiveDate) -> QueryResult<bool> {
    let n: i64 = bc_loans::table
        .filter(bc_loans::member_id.eq(member_id))
        .filter(bc_loans::returned_on.is_null())
        .filter(bc_loans::due_on.lt(today))
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

/// Items of the class the member has: loans not returned plus live holds.
fn held_in_class(c: &mut DbConn, member_id: i64, class_id: i64) -> QueryResult<i64> {
    let loans: i64 = bc_loans::table
        .inner_join(bc_items::table)
        .filter(bc_loans::member_id.eq(member_id))
        .filter(bc_loans::returned_on.is_null())
        .filter(bc_items::class_id.eq(class_id))
        .count()
        .get_result(c)?;
    let holds: i64 = bc_holds::table
        .inner_join(bc_items::table)
        .filter(bc_holds::member_id.eq(member_id))
        .filter(bc_holds::status.eq_any([HoldStatus::Waiting, HoldStatus::Ready]))
        .filter(bc_items::class_id.eq(class_id))
        .count()
        .get_result(c)?;
    Ok(loans + holds)
}

fn check_member(
    c: &mut DbConn,
    centre_id: i64,
    member_id: i64,
    today: NaiveDate,
) -> Result<(), LendingError> {
    let m = members::get(c, centre_id, member_id)?;
    if m.status != MemberStatus::Active {
        return Err(LendingRefusal::NotActive.into());
    }
    if has_overdue(c, member_id, today)? {
        return Err(LendingRefusal::Overdue.into());
    }
    Ok(())
}

/// Lends `item_id` to `member_id` on `today`: the item is free (no loan out, and either nobody
/// in line or this member first in line with the item ready), the member has nothing overdue and
/// stays within the class's cap (their own hold on the item becomes the loan). Returns the loan.
pub fn lend(
    c: &mut DbConn,
    item_id: i64,
    member_id: i64,
    today: NaiveDate,
    condition: &str,
    by: Option<i64>,
) -> Result<i64, LendingError> {
    lock(c, item_id, member_id)?;
    let it = item(c, item_id)?;
    let k = class(c, it.class_id)?;
    check_member(c, it.centre_id, member_id, today)?;
    if current_loan(c, item_id)?.is_some_and(|l| l.member_id == member_id) {
        return Err(LendingRefusal::AlreadyBorrowed.into());
    }
    if !it.active || current_loan(c, item_id)?.is_some() {
        return Err(LendingRefusal::NotAvailable.into());
    }
    expire(c, item_id, today)?;
    let q = queue(c, item_id)?;
    let own_hold = match q.first() {
        None => None,
        Some(h) if h.member_id == member_id && h.status == HoldStatus::Ready => Some(h.id),
        Some(_) => return Err(LendingRefusal::NotAvailable.into()),
    };
    let held = held_in_class(c, member_id, k.id)? - i64::from(own_hold.is_some());
    if held >= i64::from(k.max_per_member) {
        return Err(LendingRefusal::ClassCap(k.max_per_member).into());
    }
    if let Some(h) = own_hold {
        diesel::update(bc_holds::table.find(h))
            .set(bc_holds::status.eq(HoldStatus::Honoured))
            .execute(c)?;
    }
    let op = opening(c, it.centre_id)?;
    let id = diesel::insert_into(bc_loans::table)
        .values((
            bc_loans::item_id.eq(item_id),
            bc_loans::member_id.eq(member_id),
            bc_loans::started_on.eq(today),
            bc_loans::due_on.eq(op.after(today, k.loan_days)),
            bc_loans::condition_out.eq(if condition.trim().is_empty() {
                it.condition_notes.clone()
            } else {
                condition.trim().to_string()
            }),
        ))
        .returning(bc_loans::id)
        .get_result(c)?;
    if k.loan_minutes > 0 {
        pay_for_loan(c, &it, member_id, k.loan_minutes, id, by)?;
    }
    Ok(id)
}

fn pay_for_loan(
    c: &mut DbConn,
    it: &Item,
    borrower: i64,
    minutes: i64,
    loan_id: i64,
    by: Option<i64>,
) -> Result<(), LendingError> {
    let payer = members::account_of(c, borrower)?
        .ok_or(LedgerError::Refused(ledger::Refusal::AccountClosed))?;
    let (payee, kind) = match it.owner_member_id {
        Some(owner) if owner != borrower => (
            members::account_of(c, owner)?
                .ok_or(LedgerError::Refused(ledger::Refusal::AccountClosed))?
                .id,
            TransferKind::Service,
        ),
        Some(_) => return Ok(()),
        None => (
            ledger::centre_accounts(c, it.centre_id)?.1,
            TransferKind::Gift,
        ),
    };
    ledger::record(
        c,
        &NewTransfer {
            kind,
            payer: payer.id,
            payee,
            minutes,
            reason: format!("Prêt : {}", it.name),
            channel: Channel::Counter,
            cheque_number: None,
            recorded_by: by,
        },
        Some(&format!("pret-{loan_id}")),
    )?;
    Ok(())
}

/// Places a hold on `item_id` for `member_id`: at the end of the line. When the item is in and
/// nobody is in line, the hold is ready at once (from today).
pub fn hold(
    c: &mut DbConn,
    item_id: i64,
    member_id: i64,
    today: NaiveDate,
) -> Result<i64, LendingError> {
    lock(c, item_id, member_id)?;
    let it = item(c, item_id)?;
    let k = class(c, it.class_id)?;
    check_member(c, it.centre_id, member_id, today)?;
    if !it.active {
        return Err(LendingRefusal::NotAvailable.into());
    }
    expire(c, item_id, today)?;
    let out = current_loan(c, item_id)?;
    if out.as_ref().is_some_and(|l| l.member_id == member_id) {
        return Err(LendingRefusal::AlreadyBorrowed.into());
    }
    let q = queue(c, item_id)?;
    if q.iter().any(|h| h.member_id == member_id) {
        return Err(LendingRefusal::AlreadyHeld.into());
    }
    if held_in_class(c, member_id, k.id)? >= i64::from(k.max_per_member) {
        return Err(LendingRefusal::ClassCap(k.max_per_member).into());
    }
    let ready = out.is_none() && q.is_empty();
    let op = opening(c, it.centre_id)?;
    Ok(diesel::insert_into(bc_holds::table)
        .values((
            bc_holds::item_id.eq(item_id),
            bc_holds::member_id.eq(member_id),
            bc_holds::status.eq(if ready {
                HoldStatus::Ready
            } else {
                HoldStatus::Waiting
            }),
            bc_holds::ready_on.eq(ready.then_some(today)),
            bc_holds::expires_on.eq(ready.then(|| op.after(today, k.hold_days))),
            bc_holds::created_at.eq(csc_core::time::now()),
        ))
        .returning(bc_holds::id)
        .get_result(c)?)
}

/// When the item is in and nobody's hold is ready, the first waiting hold becomes ready from
/// `from` for the class's hold days.
fn promote(c: &mut DbConn, item_id: i64, from: NaiveDate) -> Result<(), LendingError> {
    if current_loan(c, item_id)?.is_some() {
        return Ok(());
    }
    let q = queue(c, item_id)?;
    if q.iter().any(|h| h.status == HoldStatus::Ready) {
        return Ok(());
    }
    if let Some(first) = q.first() {
        let it = item(c, item_id)?;
        let k = class(c, it.class_id)?;
        let op = opening(c, it.centre_id)?;
        diesel::update(bc_holds::table.find(first.id))
            .set((
                bc_holds::status.eq(HoldStatus::Ready),
                bc_holds::ready_on.eq(Some(from)),
                bc_holds::expires_on.eq(Some(op.after(from, k.hold_days))),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// Ready holds of the item whose end is before `today` expire, and the next in line's hold
/// starts today (as many times as needed).
pub fn expire(c: &mut DbConn, item_id: i64, today: NaiveDate) -> Result<(), LendingError> {
    loop {
        let n = diesel::update(
            bc_holds::table
                .filter(bc_holds::item_id.eq(item_id))
                .filter(bc_holds::status.eq(HoldStatus::Ready))
                .filter(bc_holds::expires_on.lt(today)),
        )
        .set(bc_holds::status.eq(HoldStatus::Expired))
        .execute(c)?;
        if n == 0 {
            return Ok(());
        }
        promote(c, item_id, today)?;
    }
}

/// The member cancels their hold; when it was ready, the next in line's starts today.
pub fn cancel_hold(
    c: &mut DbConn,
    hold_id: i64,
    member_id: i64,
    today: NaiveDate,
) -> Result<(), LendingError> {
    let h: Hold = bc_holds::table
        .find(hold_id)
        .filter(bc_holds::member_id.eq(member_id))
        .select(Hold::as_select())
        .first(c)
        .optional()?
        .ok_or(LendingError::Ledger(LedgerError::App(AppError::NotFound)))?;
    lock(c, h.item_id, member_id)?;
    diesel::update(
        bc_holds::table
            .find(hold_id)
            .filter(bc_holds::status.eq_any([HoldStatus::Waiting, HoldStatus::Ready])),
    )
    .set(bc_holds::status.eq(HoldStatus::Cancelled))
    .execute(c)?;
    promote(c, h.item_id, today)
}

/// The item comes back on `today`, with its condition noted; the first in line's hold starts.
pub fn give_back(
    c: &mut DbConn,
    loan_id: i64,
    today: NaiveDate,
    condition: &str,
) -> Result<(), LendingError> {
    let l: Loan = bc_loans::table
        .find(loan_id)
        .select(Loan::as_select())
        .first(c)
        .optional()?
        .ok_or(LendingError::Ledger(LedgerError::App(AppError::NotFound)))?;
    lock(c, l.item_id, l.member_id)?;
    let n = diesel::update(
        bc_loans::table
            .find(loan_id)
            .filter(bc_loans::returned_on.is_null()),
    )
    .set((
        bc_loans::returned_on.eq(Some(today)),
        bc_loans::condition_in.eq(condition.trim()),
    ))
    .execute(c)?;
    if n == 1 && !condition.trim().is_empty() {
        diesel::update(bc_items::table.find(l.item_id))
            .set(bc_items::condition_notes.eq(condition.trim()))
            .execute(c)?;
    }
    promote(c, l.item_id, today)
}

/// Renews a loan on `today`: refused while someone waits for the item or when no renewal is
/// left; the new due date is the class's loan days after today, on an opening day.
pub fn renew(c: &mut DbConn, loan_id: i64, today: NaiveDate) -> Result<NaiveDate, LendingError> {
    let l: Loan = bc_loans::table
        .find(loan_id)
        .filter(bc_loans::returned_on.is_null())
        .select(Loan::as_select())
        .first(c)
        .optional()?
        .ok_or(LendingError::Ledger(LedgerError::App(AppError::NotFound)))?;
    lock(c, l.item_id, l.member_id)?;
    let it = item(c, l.item_id)?;
    let k = class(c, it.class_id)?;
    if !queue(c, l.item_id)?.is_empty() {
        return Err(LendingRefusal::SomeoneWaits.into());
    }
    if l.renewals >= k.renewals_allowed {
        return Err(LendingRefusal::NoRenewalLeft.into());
    }
    let due = opening(c, it.centre_id)?.after(today, k.loan_days);
    diesel::update(bc_loans::table.find(loan_id))
        .set((
            bc_loans::due_on.eq(due),
            bc_loans::renewals.eq(l.renewals + 1),
        ))
        .execute(c)?;
    Ok(due)
}

/// One loan.
pub fn loan(c: &mut DbConn, id: i64) -> Result<Loan, LendingError> {
    bc_loans::table
        .find(id)
        .select(Loan::as_select())
        .first(c)
        .optional()?
        .ok_or(LendingError::Ledger(LedgerError::App(AppError::NotFound)))
}

/// One hold.
pub fn get_hold(c: &mut DbConn, id: i64) -> Result<Hold, LendingError> {
    bc_holds::table
        .find(id)
        .select(Hold::as_select())
        .first(c)
        .optional()?
        .ok_or(LendingError::Ledger(LedgerError::App(AppError::NotFound)))
}

/// Loans to remind on `today`: due within `days_before` days (reminder not sent yet), and late
/// ones (late reminder not sent yet). Each is marked as reminded.
pub fn reminders_due(
    c: &mut DbConn,
    today: NaiveDate,
    days_before: u64,
) -> QueryResult<(Vec<Loan>, Vec<Loan>)> {
    let soon_limit = today
        .checked_add_days(Days::new(days_before))
        .unwrap_or(today);
    let soon: Vec<Loan> = bc_loans::table
        .filter(bc_loans::returned_on.is_null())
        .filter(bc_loans::reminded_before.eq(false))
        .filter(bc_loans::due_on.ge(today))
        .filter(bc_loans::due_on.le(soon_limit))
        .select(Loan::as_select())
        .load(c)?;
    let late: Vec<Loan> = bc_loans::table
        .filter(bc_loans::returned_on.is_null())
        .filter(bc_loans::reminded_late.eq(false))
        .filter(bc_loans::due_on.lt(today))
        .select(Loan::as_select())
        .load(c)?;
    for l in &soon {
        diesel::update(bc_loans::table.find(l.id))
            .set(bc_loans::reminded_before.eq(true))
            .execute(c)?;
    }
    for l in &late {
        diesel::update(bc_loans::table.find(l.id))
            .set(bc_loans::reminded_late.eq(true))
            .execute(c)?;
    }
    Ok((soon, late))
}

/// Where a member's mail goes: their e-mail contact, else their account's address.
fn address_of(c: &mut DbConn, m: &members::Member) -> Result<Option<csc_core::Email>, AppError> {
    if m.contact == members::Contact::Email {
        if let Ok(e) = csc_core::Email::parse(&m.contact_detail) {
            return Ok(Some(e));
        }
    }
    match m.user_id {
        Some(uid) => Ok(csc_core::Email::parse(&csc_auth::users::get(c, uid)?.email).ok()),
        None => Ok(None),
    }
}

/// The daily job's work on `today`: every ready hold past its end expires (the next in line's
/// starts), and reminders are queued — `days_before` days before the due date, and once when
/// late — for the members who can be reached by e-mail (the others are told at the centre).
/// Returns the number of mails queued.
pub fn daily(
    c: &mut DbConn,
    mailer: &csc_mail::Mailer,
    today: NaiveDate,
    days_before: u64,
) -> Result<usize, LendingError> {
    let items: Vec<i64> = bc_holds::table
        .filter(bc_holds::status.eq(HoldStatus::Ready))
        .filter(bc_holds::expires_on.lt(today))
        .select(bc_holds::item_id)
        .distinct()
        .load(c)?;
    for it in items {
        expire(c, it, today)?;
    }
    let (soon, late) = reminders_due(c, today, days_before)?;
    let mut sent = 0;
    for (template, loans) in [
        ("biens_communs/pret_rappel", soon),
        ("biens_communs/pret_retard", late),
    ] {
        for l in loans {
            let it = item(c, l.item_id)?;
            let m = members::get(c, it.centre_id, l.member_id)?;
            let Some(to) = address_of(c, &m)? else {
                continue;
            };
            let centre = csc_auth::centres::get(c, it.centre_id)?;
            let mut ctx = tera::Context::new();
            ctx.insert("name", &m.first_name);
            ctx.insert("item", &it.name);
            ctx.insert("centre", &centre.name);
            ctx.insert("due", &csc_core::time::format_date_long(l.due_on));
            mailer.enqueue(c, &to, template, &ctx, &[])?;
            sent += 1;
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_fall_on_opening_days() {
        let op = Opening::from_setting("7");
        // Saturday 2026-05-02 + 6 days = Friday 8 May (Victoire 1945): moved to Saturday 9.
        assert_eq!(op.after(d(2026, 5, 2), 6), d(2026, 5, 9));
        // Thursday 14 May 2026 is Ascension; + 0 days from it → Friday 15.
        assert_eq!(op.on_or_after(d(2026, 5, 14)), d(2026, 5, 15));
        // A Sunday → Monday; Christmas Friday 2026-12-25 → Saturday 26.
        assert_eq!(op.on_or_after(d(2026, 12, 6)), d(2026, 12, 7));
        assert_eq!(op.on_or_after(d(2026, 12, 25)), d(2026, 12, 26));
        let closed_weekend = Opening::from_setting("6, 7");
        assert_eq!(closed_weekend.on_or_after(d(2026, 12, 25)), d(2026, 12, 28));
    }
}
