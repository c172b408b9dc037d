//! Exchanges of services: asked → accepted → done → confirmed by both (the hours move then, from
//! the one who received the service to the one who gave it), or recorded by the staff in one step
//! (at the counter, by phone, from a paper chèque-temps).

use chrono::NaiveDateTime;
use csc_core::AppError;
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::ledger::{self, Channel, LedgerError, NewTransfer, Outcome, TransferKind};
use crate::members::{self, Member, MemberStatus};
use crate::schema::bc_exchanges;

csc_core::coded! {
    /// Where an exchange stands.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum ExchangeStatus {
        Asked = ("demande", "Demandé"),
        Accepted = ("acceptee", "Accepté"),
        Done = ("faite", "Fait, à confirmer"),
        Confirmed = ("confirmee", "Confirmé : heures versées"),
        Cancelled = ("annulee", "Annulé"),
    }
}
csc_db::sql_coded!(ExchangeStatus);

/// An exchange as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = bc_exchanges)]
pub struct Exchange {
    pub id: i64,
    pub centre_id: i64,
    pub offer_id: Option<i64>,
    pub giver_id: i64,
    pub receiver_id: i64,
    pub minutes: i64,
    pub description: String,
    pub status: ExchangeStatus,
    pub giver_confirmed: bool,
    pub receiver_confirmed: bool,
    pub transfer_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

fn active_pair(
    c: &mut DbConn,
    centre_id: i64,
    giver: i64,
    receiver: i64,
) -> Result<(Member, Member), LedgerError> {
    if giver == receiver {
        return Err(ledger::Refusal::SameAccount.into());
    }
    let g = members::get(c, centre_id, giver)?;
    let r = members::get(c, centre_id, receiver)?;
    if g.status != MemberStatus::Active || r.status != MemberStatus::Active {
        return Err(ledger::Refusal::AccountClosed.into());
    }
    Ok((g, r))
}

/// A member asks another for a service (or offers one: `receiver` is the one helped).
pub fn ask(
    c: &mut DbConn,
    centre_id: i64,
    giver: i64,
    receiver: i64,
    offer_id: Option<i64>,
    minutes: i64,
    description: &str,
) -> Result<i64, LedgerError> {
    if minutes <= 0 || minutes > ledger::MAX_TRANSFER {
        return Err(ledger::Refusal::InvalidAmount.into());
    }
    active_pair(c, centre_id, giver, receiver)?;
    let now = csc_core::time::now();
    Ok(diesel::insert_into(bc_exchanges::table)
        .values((
            bc_exchanges::centre_id.eq(centre_id),
            bc_exchanges::offer_id.eq(offer_id),
            bc_exchanges::giver_id.eq(giver),
            bc_exchanges::receiver_id.eq(receiver),
            bc_exchanges::minutes.eq(minutes),
            bc_exchanges::description.eq(description.trim()),
            bc_exchanges::status.eq(ExchangeStatus::Asked),
            bc_exchanges::created_at.eq(now),
            bc_exchanges::updated_at.eq(now),
        ))
        .returning(bc_exchanges::id)
        .get_result(c)?)
}

/// One exchange of the centre.
pub fn get(c: &mut DbConn, centre_id: i64, id: i64) -> Result<Exchange, LedgerError> {
    bc_exchanges::table
        .find(id)
        .filter(bc_exchanges::centre_id.eq(centre_id))
        .select(Exchange::as_select())
        .first(c)
        .optional()?
        .ok_or(LedgerError::App(AppError::NotFound))
}

/// What a member does on an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Accept,
    Done,
    Confirm,
    Cancel,
}

/// A step of `member` on exchange `id`. Each is a conditional update of the status, so a
/// double click does nothing twice; the confirmation of the second party moves the hours (the
/// exchange's own idempotency key: never twice).
pub fn step(
    c: &mut DbConn,
    member: &Member,
    id: i64,
    step: Step,
) -> Result<ExchangeStatus, LedgerError> {
    let e = get(c, member.centre_id, id)?;
    let is_giver = e.giver_id == member.id;
    let is_receiver = e.receiver_id == member.id;
    if !is_giver && !is_receiver {
        return Err(LedgerError::App(AppError::NotFound));
    }
    let now = csc_core::time::now();
    let moved =
        |c: &mut DbConn, from: ExchangeStatus, to: ExchangeStatus| -> Result<bool, LedgerError> {
            Ok(diesel::update(
                bc_exchanges::table
                    .find(id)
                    .filter(bc_exchanges::status.eq(from)),
            )
            .set((
                bc_exchanges::status.eq(to),
                bc_exchanges::updated_at.eq(now),
            ))
            .execute(c)?
                == 1)
        };
    match step {
        Step::Accept => {
            // The one who did not ask answers; either may, simply.
            moved(c, ExchangeStatus::Asked, ExchangeStatus::Accepted)?;
        }
        Step::Done => {
            moved(c, ExchangeStatus::Accepted, ExchangeStatus::Done)?;
        }
        Step::Cancel => {
            if !(moved(c, ExchangeStatus::Asked, ExchangeStatus::Cancelled)?
                || moved(c, ExchangeStatus::Accepted, ExchangeStatus::Cancelled)?)
            {
                return Err(LedgerError::App(AppError::Conflict(
                    "Cet échange ne peut plus être annulé.".into(),
                )));
            }
        }
        Step::Confirm => {
            if e.status != ExchangeStatus::Done {
                return Ok(e.status);
            }
            let target = bc_exchanges::table.find(id);
            if is_giver {
                diesel::update(target)
                    .set(bc_exchanges::giver_confirmed.eq(true))
                    .execute(c)?;
            } else {
                diesel::update(target)
                    .set(bc_exchanges::receiver_confirmed.eq(true))
                    .execute(c)?;
            }
            let e = get(c, member.centre_id, id)?;
            if e.giver_confirmed && e.receiver_confirmed {
                settle(c, &e, Channel::Online, None, None)?;
            }
        }
    }
    Ok(get(c, member.centre_id, id)?.status)
}

/// The hours of a done exchange move from the receiver to the giver; the exchange is confirmed.
fn settle(
    c: &mut DbConn,
    e: &Exchange,
    channel: Channel,
    cheque: Option<&str>,
    recorded_by: Option<i64>,
) -> Result<i64, LedgerError> {
    let payer = members::account_of(c, e.receiver_id)?
        .ok_or(LedgerError::Refused(ledger::Refusal::AccountClosed))?;
    let payee = members::account_of(c, e.giver_id)?
        .ok_or(LedgerError::Refused(ledger::Refusal::AccountClosed))?;
    let out = ledger::record(
        c,
        &NewTransfer {
            kind: TransferKind::Service,
            payer: payer.id,
            payee: payee.id,
            minutes: e.minutes,
            reason: e.description.clone(),
            channel,
            cheque_number: cheque.map(str::to_owned),
            recorded_by,
        },
        Some(&format!("echange-{}", e.id)),
    )?;
    diesel::update(bc_exchanges::table.find(e.id))
        .set((
            bc_exchanges::status.eq(ExchangeStatus::Confirmed),
            bc_exchanges::transfer_id.eq(Some(out.id())),
            bc_exchanges::updated_at.eq(csc_core::time::now()),
        ))
        .execute(c)?;
    Ok(out.id())
}

/// An exchange recorded by the staff in one step.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub giver: i64,
    pub receiver: i64,
    pub minutes: i64,
    pub description: String,
    pub channel: Channel,
    pub cheque: Option<String>,
    /// The form's token: a double click on « Enregistrer » records once.
    pub form_token: String,
}

/// The staff record an exchange that took place, in one step: the hours move at once. The
/// idempotency key is the paper chèque-temps number when there is one (two staff recording the
/// same chèque: the second is told it is already recorded, or refused if it differs), else
/// the form's token.
pub fn record_by_staff(
    c: &mut DbConn,
    centre_id: i64,
    r: &Recorded,
    by: Option<i64>,
) -> Result<(Outcome, i64), LedgerError> {
    active_pair(c, centre_id, r.giver, r.receiver)?;
    if r.minutes <= 0 || r.minutes > ledger::MAX_TRANSFER {
        return Err(ledger::Refusal::InvalidAmount.into());
    }
    let payer = members::account_of(c, r.receiver)?
        .ok_or(LedgerError::Refused(ledger::Refusal::AccountClosed))?;
    let payee = members::account_of(c, r.giver)?
        .ok_or(LedgerError::Refused(ledger::Refusal::AccountClosed))?;
    let key = match &r.cheque {
        Some(n) => format!("cheque-temps:{}", n.trim()),
        None => format!("formulaire:{}", r.form_token.trim()),
    };
    let out = ledger::record(
        c,
        &NewTransfer {
            kind: TransferKind::Service,
            payer: payer.id,
            payee: payee.id,
            minutes: r.minutes,
            reason: r.description.trim().to_string(),
            channel: r.channel,
            cheque_number: r.cheque.clone(),
            recorded_by: by,
        },
        Some(&key),
    )?;
    if let Outcome::Replayed(tid) = out {
        let eid: i64 = bc_exchanges::table
            .filter(bc_exchanges::transfer_id.eq(tid))
            .select(bc_exchanges::id)
            .first(c)?;
        return Ok((out, eid));
    }
    let now = csc_core::time::now();
    let eid = diesel::insert_into(bc_exchanges::table)
        .values((
            bc_exchanges::centre_id.eq(centre_id),
            bc_exchanges::giver_id.eq(r.giver),
            bc_exchanges::receiver_id.eq(r.receiver),
            bc_exchanges::minutes.eq(r.minutes),
            bc_exchanges::description.eq(r.description.trim()),
            bc_exchanges::status.eq(ExchangeStatus::Confirmed),
            bc_exchanges::giver_confirmed.eq(true),
            bc_exchanges::receiver_confirmed.eq(true),
            bc_exchanges::transfer_id.eq(Some(out.id())),
            bc_exchanges::created_at.eq(now),
            bc_exchanges::updated_at.eq(now),
        ))
        .returning(bc_exchanges::id)
        .get_result(c)?;
    Ok((out, eid))
}

/// An exchange with the names of both members, for lists.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub exchange: Exchange,
    pub giver: String,
    pub receiver: String,
    pub duration: String,
}

/// The exchanges of a member (or of the whole centre when `member` is `None`), newest first.
pub fn list(
    c: &mut DbConn,
    centre_id: i64,
    member: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Listed>> {
    use crate::schema::bc_members;
    let mut q = bc_exchanges::table
        .filter(bc_exchanges::centre_id.eq(centre_id))
        .into_boxed();
    if let Some(m) = member {
        q = q.filter(
            bc_exchanges::giver_id
                .eq(m)
                .or(bc_exchanges::receiver_id.eq(m)),
        );
    }
    let rows: Vec<Exchange> = q
        .order(bc_exchanges::id.desc())
        .limit(limit)
        .select(Exchange::as_select())
        .load(c)?;
    let names: Vec<(i64, String, String)> = bc_members::table
        .filter(bc_members::centre_id.eq(centre_id))
        .select((
            bc_members::id,
            bc_members::first_name,
            bc_members::last_name,
        ))
        .load(c)?;
    let name = |id: i64| {
        names
            .iter()
            .find(|(i, _, _)| *i == id)
            .map(|(_, f, l)| members::display_name(f, l))
            .unwrap_or_default()
    };
    Ok(rows
        .into_iter()
        .map(|e| Listed {
            giver: name(e.giver_id),
            receiver: name(e.receiver_id),
            duration: crate::duration::format(e.minutes),
            exchange: e,
        })
        .collect())
}
