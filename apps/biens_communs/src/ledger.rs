//! The hours ledger: accounts in whole minutes, transfers in double entry (a payer entry and a
//! payee entry), the centre's own accounts (opening fund, solidarity pot), reversals, batches,
//! idempotency keys, and the limits (floor, ceiling, give-to-earn growth of the floor).
//!
//! Every function here runs inside one write transaction (`DbConn::write_transaction`; use
//! [`write`] to run one with retries). The limits are enforced by conditional updates
//! (`UPDATE … SET balance = balance - x WHERE … AND balance - x >= -floor`): on PostgreSQL a
//! concurrent update of the same row waits for the first to commit and then re-checks the
//! condition on the new balance; on SQLite the write transaction holds the database's write
//! lock (`BEGIN IMMEDIATE`). Accounts are always updated in ascending id order (a batch locks all
//! of its accounts first, in that order), so two transfers never wait for each other in a cycle.
//! The sum of every balance stays 0, and each balance equals the sum of its entries.

use chrono::NaiveDateTime;
use csc_core::AppError;
use csc_db::DbConn;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use serde::Serialize;

use crate::schema::{bc_accounts, bc_batches, bc_entries, bc_settings, bc_transfers};

csc_core::coded! {
    /// What an account is.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum AccountKind {
        Member = ("membre", "Compte d'un membre"),
        OpeningFund = ("fonds_ouverture", "Fonds d'ouverture du centre"),
        SolidarityPot = ("pot_solidaire", "Pot solidaire"),
    }
}
csc_db::sql_coded!(AccountKind);

csc_core::coded! {
    /// Whether an account still moves.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum AccountStatus {
        Open = ("ouvert", "Ouvert"),
        Closed = ("ferme", "Fermé"),
    }
}
csc_db::sql_coded!(AccountStatus);

csc_core::coded! {
    /// Why minutes moved.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum TransferKind {
        Service = ("service", "Service rendu"),
        Gift = ("don", "Don au pot solidaire"),
        Grant = ("octroi", "Octroi du pot solidaire"),
        Opening = ("ouverture", "Crédit d'ouverture"),
        Closing = ("cloture", "Solde à la fermeture du compte"),
        Reversal = ("annulation", "Annulation"),
    }
}
csc_db::sql_coded!(TransferKind);

csc_core::coded! {
    /// How a transfer was recorded.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Channel {
        Counter = ("guichet", "Au guichet"),
        Phone = ("telephone", "Par téléphone"),
        Paper = ("papier", "Chèque-temps papier"),
        Online = ("en_ligne", "En ligne"),
        Api = ("api", "Par l'API"),
    }
}
csc_db::sql_coded!(Channel);

/// The largest transfer (in minutes): 1,000 hours.
pub const MAX_TRANSFER: i64 = 60_000;

/// Why the ledger refused a movement; nothing changed. Each has a stable code (the API's) and a
/// French message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    InsufficientBalance,
    CeilingReached,
    SameAccount,
    InvalidAmount,
    AccountClosed,
    IdempotencyConflict,
    AlreadyReversed,
    OtherCentre,
    NotSettled,
}

impl Refusal {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::InsufficientBalance => "solde_insuffisant",
            Refusal::CeilingReached => "plafond_atteint",
            Refusal::SameAccount => "meme_compte",
            Refusal::InvalidAmount => "montant_invalide",
            Refusal::AccountClosed => "compte_ferme",
            Refusal::IdempotencyConflict => "conflit_idempotence",
            Refusal::AlreadyReversed => "deja_annule",
            Refusal::OtherCentre => "centres_differents",
            Refusal::NotSettled => "solde_non_nul",
        }
    }

    /// What the user is told.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::InsufficientBalance => {
                "Le solde ne le permet pas : ce virement ferait passer le compte sous son plancher."
            }
            Refusal::CeilingReached => {
                "Le compte qui reçoit a atteint son plafond : ce virement le dépasserait."
            }
            Refusal::SameAccount => "On ne peut pas se virer des heures à soi-même.",
            Refusal::InvalidAmount => {
                "La durée doit être un nombre entier de minutes, plus grand que zéro (1 000 heures au plus)."
            }
            Refusal::AccountClosed => "Ce compte est fermé : il ne peut plus ni donner ni recevoir.",
            Refusal::IdempotencyConflict => {
                "Cette clé (ou ce numéro de chèque-temps) a déjà servi pour un autre virement."
            }
            Refusal::AlreadyReversed => "Ce virement a déjà été annulé (une seule annulation possible).",
            Refusal::OtherCentre => "Les deux comptes doivent être du même centre.",
            Refusal::NotSettled => "Le solde de ce compte n'a pas pu être réglé.",
        }
    }
}

/// A failed ledger operation.
#[derive(Debug)]
pub enum LedgerError {
    /// A rule refused it (422 in the API).
    Refused(Refusal),
    /// A concurrent transaction got in the way (serialisation failure, deadlock): run it again.
    Retry(diesel::result::Error),
    /// Anything else (not found, forbidden, a database error).
    App(AppError),
}

impl From<diesel::result::Error> for LedgerError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match &e {
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                LedgerError::Retry(e)
            }
            Error::DatabaseError(_, info)
                if info.message().contains("deadlock detected")
                    || info.message().contains("database is locked") =>
            {
                LedgerError::Retry(e)
            }
            _ => LedgerError::App(e.into()),
        }
    }
}

impl From<AppError> for LedgerError {
    fn from(e: AppError) -> Self {
        LedgerError::App(e)
    }
}

impl From<Refusal> for LedgerError {
    fn from(r: Refusal) -> Self {
        LedgerError::Refused(r)
    }
}

/// Runs `f` in one write transaction, again (up to 20 times) when a concurrent transaction got in
/// its way; a refusal or another error rolls it back and is returned.
pub async fn write<T, F>(db: &csc_db::Db, f: F) -> Result<Result<T, LedgerError>, AppError>
where
    F: Fn(&mut DbConn) -> Result<T, LedgerError> + Send + Sync + 'static,
    T: Send + 'static,
{
    let f = std::sync::Arc::new(f);
    let mut attempt = 0u64;
    loop {
        let g = f.clone();
        let out = db.run(move |c| Ok(c.write_transaction(|c| g(c)))).await?;
        match out {
            Err(LedgerError::Retry(e)) if attempt < 20 => {
                attempt += 1;
                tracing::debug!(error = %e, attempt, "biens-communs: transaction retried");
                actix_web::rt::time::sleep(std::time::Duration::from_millis(2 * attempt)).await;
            }
            Err(LedgerError::Retry(e)) => return Ok(Err(LedgerError::App(e.into()))),
            other => return Ok(other),
        }
    }
}

/// An account as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = bc_accounts)]
pub struct Account {
    pub id: i64,
    pub centre_id: i64,
    pub kind: AccountKind,
    pub member_id: Option<i64>,
    pub name: String,
    pub balance: i64,
    pub floor_minutes: Option<i64>,
    pub ceiling_minutes: Option<i64>,
    pub quota_max_minutes: Option<i64>,
    pub status: AccountStatus,
    pub created_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

impl Account {
    /// What may still be spent: balance + floor (`None` for the opening fund, which has no floor).
    pub fn available(&self) -> Option<i64> {
        self.floor_minutes.map(|f| self.balance + f)
    }

    /// Whether the soft threshold is reached: what is available is `alert` minutes or less.
    pub fn warned(&self, alert: i64) -> bool {
        self.kind == AccountKind::Member
            && self.status == AccountStatus::Open
            && self.available().is_some_and(|a| a <= alert)
    }
}

/// A transfer as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = bc_transfers)]
pub struct Transfer {
    pub id: i64,
    pub centre_id: i64,
    pub kind: TransferKind,
    pub payer_id: i64,
    pub payee_id: i64,
    pub minutes: i64,
    pub reason: String,
    pub idem_key: Option<String>,
    pub fingerprint: String,
    pub batch_id: Option<i64>,
    pub reverses_id: Option<i64>,
    pub floor_raise: i64,
    pub channel: Channel,
    pub cheque_number: Option<String>,
    pub recorded_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A centre's settings of the time bank.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = bc_settings)]
pub struct CentreSettings {
    pub centre_id: i64,
    pub default_floor: i64,
    pub default_quota_max: Option<i64>,
    pub alert_minutes: i64,
    pub closed_weekdays: String,
    pub updated_at: NaiveDateTime,
}

/// Floor of a new member (5 h), give-to-earn cap (10 h), soft threshold (1 h), closed on Sundays.
pub fn default_settings(centre_id: i64) -> CentreSettings {
    CentreSettings {
        centre_id,
        default_floor: 300,
        default_quota_max: Some(600),
        alert_minutes: 60,
        closed_weekdays: "7".into(),
        updated_at: csc_core::time::now(),
    }
}

/// The centre's settings (the defaults until it sets its own).
pub fn settings(c: &mut DbConn, centre_id: i64) -> QueryResult<CentreSettings> {
    Ok(bc_settings::table
        .find(centre_id)
        .select(CentreSettings::as_select())
        .first(c)
        .optional()?
        .unwrap_or_else(|| default_settings(centre_id)))
}

/// Saves the centre's settings.
pub fn save_settings(c: &mut DbConn, s: &CentreSettings) -> QueryResult<()> {
    diesel::delete(bc_settings::table.find(s.centre_id)).execute(c)?;
    diesel::insert_into(bc_settings::table)
        .values((
            bc_settings::centre_id.eq(s.centre_id),
            bc_settings::default_floor.eq(s.default_floor),
            bc_settings::default_quota_max.eq(s.default_quota_max),
            bc_settings::alert_minutes.eq(s.alert_minutes),
            bc_settings::closed_weekdays.eq(&s.closed_weekdays),
            bc_settings::updated_at.eq(csc_core::time::now()),
        ))
        .execute(c)?;
    Ok(())
}

/// One account.
pub fn account(c: &mut DbConn, id: i64) -> Result<Account, LedgerError> {
    bc_accounts::table
        .find(id)
        .select(Account::as_select())
        .first(c)
        .optional()?
        .ok_or(LedgerError::App(AppError::NotFound))
}

/// One transfer.
pub fn transfer(c: &mut DbConn, id: i64) -> Result<Transfer, LedgerError> {
    bc_transfers::table
        .find(id)
        .select(Transfer::as_select())
        .first(c)
        .optional()?
        .ok_or(LedgerError::App(AppError::NotFound))
}

/// The centre's opening fund and solidarity pot, created when missing.
pub fn centre_accounts(c: &mut DbConn, centre_id: i64) -> Result<(i64, i64), LedgerError> {
    let now = csc_core::time::now();
    let mut ids = [0_i64; 2];
    for (slot, (kind, name, floor)) in [
        (AccountKind::OpeningFund, "Fonds d'ouverture", None),
        (AccountKind::SolidarityPot, "Pot solidaire", Some(0_i64)),
    ]
    .into_iter()
    .enumerate()
    {
        let found: Option<i64> = bc_accounts::table
            .filter(bc_accounts::centre_id.eq(centre_id))
            .filter(bc_accounts::kind.eq(kind))
            .select(bc_accounts::id)
            .first(c)
            .optional()?;
        ids[slot] = match found {
            Some(id) => id,
            None => {
                diesel::sql_query(
                    "INSERT INTO bc_accounts (centre_id, kind, name, balance, floor_minutes, status, created_at) \
                     VALUES ($1, $2, $3, 0, $4, 'ouvert', $5) ON CONFLICT DO NOTHING",
                )
                .bind::<BigInt, _>(centre_id)
                .bind::<Text, _>(kind.code())
                .bind::<Text, _>(name)
                .bind::<Nullable<BigInt>, _>(floor)
                .bind::<diesel::sql_types::Timestamp, _>(now)
                .execute(c)?;
                bc_accounts::table
                    .filter(bc_accounts::centre_id.eq(centre_id))
                    .filter(bc_accounts::kind.eq(kind))
                    .select(bc_accounts::id)
                    .first(c)?
            }
        };
    }
    Ok((ids[0], ids[1]))
}

/// A new account's limits.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub centre_id: i64,
    pub member_id: Option<i64>,
    pub name: String,
    /// How far below zero the balance may go.
    pub floor: i64,
    pub ceiling: Option<i64>,
    pub quota_max: Option<i64>,
}

/// Opens a member's account (and the centre's own accounts if they are not there yet).
pub fn open_account(c: &mut DbConn, new: &NewAccount) -> Result<i64, LedgerError> {
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(LedgerError::App(AppError::bad_request(
            "Indiquez le nom du compte (200 caractères au plus).",
        )));
    }
    if new.floor < 0 || new.ceiling.is_some_and(|x| x < 0) || new.quota_max.is_some_and(|x| x < 0) {
        return Err(Refusal::InvalidAmount.into());
    }
    centre_accounts(c, new.centre_id)?;
    Ok(diesel::insert_into(bc_accounts::table)
        .values((
            bc_accounts::centre_id.eq(new.centre_id),
            bc_accounts::kind.eq(AccountKind::Member),
            bc_accounts::member_id.eq(new.member_id),
            bc_accounts::name.eq(name),
            bc_accounts::balance.eq(0_i64),
            bc_accounts::floor_minutes.eq(Some(new.floor)),
            bc_accounts::ceiling_minutes.eq(new.ceiling),
            bc_accounts::quota_max_minutes.eq(new.quota_max),
            bc_accounts::status.eq(AccountStatus::Open),
            bc_accounts::created_at.eq(csc_core::time::now()),
        ))
        .returning(bc_accounts::id)
        .get_result(c)?)
}

/// A transfer asked for.
#[derive(Debug, Clone)]
pub struct NewTransfer {
    pub kind: TransferKind,
    pub payer: i64,
    pub payee: i64,
    pub minutes: i64,
    pub reason: String,
    pub channel: Channel,
    pub cheque_number: Option<String>,
    pub recorded_by: Option<i64>,
}

impl NewTransfer {
    /// What the idempotency key stands for: same key and same fingerprint, same transfer.
    fn fingerprint(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}",
            self.kind.code(),
            self.payer,
            self.payee,
            self.minutes,
            self.reason.trim()
        )
    }

    fn check(&self) -> Result<(), Refusal> {
        if self.minutes <= 0 || self.minutes > MAX_TRANSFER {
            return Err(Refusal::InvalidAmount);
        }
        if self.payer == self.payee {
            return Err(Refusal::SameAccount);
        }
        Ok(())
    }
}

/// What a transfer or batch request led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Recorded now.
    Created(i64),
    /// The same key with the same content was recorded before: that one.
    Replayed(i64),
}

impl Outcome {
    pub fn id(self) -> i64 {
        match self {
            Outcome::Created(id) | Outcome::Replayed(id) => id,
        }
    }
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The centre both accounts belong to (they must be of one centre); both are checked open.
fn centre_of(c: &mut DbConn, t: &NewTransfer) -> Result<i64, LedgerError> {
    let payer = account(c, t.payer)?;
    let payee = account(c, t.payee)?;
    if payer.centre_id != payee.centre_id {
        return Err(Refusal::OtherCentre.into());
    }
    if payer.status == AccountStatus::Closed || payee.status == AccountStatus::Closed {
        return Err(Refusal::AccountClosed.into());
    }
    Ok(payer.centre_id)
}

/// Records one transfer: checks, idempotency (`key`: same key and content → the first transfer;
/// other content → `conflit_idempotence`), then the two conditional updates and the two entries.
pub fn record(c: &mut DbConn, t: &NewTransfer, key: Option<&str>) -> Result<Outcome, LedgerError> {
    t.check()?;
    let centre_id = centre_of(c, t)?;
    let key = key.map(str::trim).filter(|k| !k.is_empty());
    let fingerprint = t.fingerprint();
    let id = match insert_transfer(c, centre_id, t, key, &fingerprint, None, None)? {
        Some(id) => id,
        None => {
            // The key was used (perhaps by a transaction that just committed): compare.
            let (id, first): (i64, String) = bc_transfers::table
                .filter(bc_transfers::centre_id.eq(centre_id))
                .filter(bc_transfers::idem_key.eq(key))
                .select((bc_transfers::id, bc_transfers::fingerprint))
                .first(c)?;
            return if first == fingerprint {
                Ok(Outcome::Replayed(id))
            } else {
                Err(Refusal::IdempotencyConflict.into())
            };
        }
    };
    apply(c, id, t, 0)?;
    Ok(Outcome::Created(id))
}

/// Inserts the transfer row; `None` when its key is already taken.
fn insert_transfer(
    c: &mut DbConn,
    centre_id: i64,
    t: &NewTransfer,
    key: Option<&str>,
    fingerprint: &str,
    batch_id: Option<i64>,
    reverses_id: Option<i64>,
) -> Result<Option<i64>, LedgerError> {
    let rows: Vec<IdRow> = diesel::sql_query(
        "INSERT INTO bc_transfers (centre_id, kind, payer_id, payee_id, minutes, reason, idem_key, \
         fingerprint, batch_id, reverses_id, floor_raise, channel, cheque_number, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, $13, $14) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind::<BigInt, _>(centre_id)
    .bind::<Text, _>(t.kind.code())
    .bind::<BigInt, _>(t.payer)
    .bind::<BigInt, _>(t.payee)
    .bind::<BigInt, _>(t.minutes)
    .bind::<Text, _>(t.reason.trim())
    .bind::<Nullable<Text>, _>(key)
    .bind::<Text, _>(fingerprint)
    .bind::<Nullable<BigInt>, _>(batch_id)
    .bind::<Nullable<BigInt>, _>(reverses_id)
    .bind::<Text, _>(t.channel.code())
    .bind::<Nullable<Text>, _>(t.cheque_number.as_deref())
    .bind::<Nullable<BigInt>, _>(t.recorded_by)
    .bind::<diesel::sql_types::Timestamp, _>(csc_core::time::now())
    .load(c)?;
    Ok(rows.first().map(|r| r.id))
}

/// Moves the minutes of transfer `id`: the payer's debit (its floor lowered first by
/// `undo_raise`, for a reversal of a give-to-earn transfer) and the payee's credit, in ascending
/// account id order, each a conditional update; then the two entries, and the payee's floor
/// growth when the transfer pays a service.
fn apply(c: &mut DbConn, id: i64, t: &NewTransfer, undo_raise: i64) -> Result<(), LedgerError> {
    let debit = |c: &mut DbConn| -> Result<(), LedgerError> {
        let n = diesel::sql_query(
            "UPDATE bc_accounts SET balance = balance - $1, \
             floor_minutes = CASE WHEN floor_minutes IS NULL THEN NULL ELSE floor_minutes - $2 END \
             WHERE id = $3 AND status = 'ouvert' \
             AND (floor_minutes IS NULL OR balance - $1 >= $2 - floor_minutes)",
        )
        .bind::<BigInt, _>(t.minutes)
        .bind::<BigInt, _>(undo_raise)
        .bind::<BigInt, _>(t.payer)
        .execute(c)?;
        if n == 1 {
            Ok(())
        } else if account(c, t.payer)?.status == AccountStatus::Closed {
            Err(Refusal::AccountClosed.into())
        } else {
            Err(Refusal::InsufficientBalance.into())
        }
    };
    let credit = |c: &mut DbConn| -> Result<(), LedgerError> {
        let n = diesel::sql_query(
            "UPDATE bc_accounts SET balance = balance + $1 \
             WHERE id = $2 AND status = 'ouvert' \
             AND (ceiling_minutes IS NULL OR balance + $1 <= ceiling_minutes)",
        )
        .bind::<BigInt, _>(t.minutes)
        .bind::<BigInt, _>(t.payee)
        .execute(c)?;
        if n == 1 {
            Ok(())
        } else if account(c, t.payee)?.status == AccountStatus::Closed {
            Err(Refusal::AccountClosed.into())
        } else {
            Err(Refusal::CeilingReached.into())
        }
    };
    if t.payer < t.payee {
        debit(c)?;
        credit(c)?;
    } else {
        credit(c)?;
        debit(c)?;
    }
    if t.kind == TransferKind::Service {
        // Give to earn: the payee's floor grows by what it received, up to its cap. The row is
        // locked by the credit above, so this read is stable.
        let payee = account(c, t.payee)?;
        if let (Some(floor), Some(cap)) = (payee.floor_minutes, payee.quota_max_minutes) {
            let raise = (cap - floor).clamp(0, t.minutes);
            if raise > 0 {
                diesel::update(bc_accounts::table.find(t.payee))
                    .set(bc_accounts::floor_minutes.eq(floor + raise))
                    .execute(c)?;
                diesel::update(bc_transfers::table.find(id))
                    .set(bc_transfers::floor_raise.eq(raise))
                    .execute(c)?;
            }
        }
    }
    let now = csc_core::time::now();
    diesel::sql_query(
        "INSERT INTO bc_entries (transfer_id, account_id, minutes, created_at) \
         VALUES ($1, $2, $3, $4), ($1, $5, $6, $4)",
    )
    .bind::<BigInt, _>(id)
    .bind::<BigInt, _>(t.payer)
    .bind::<BigInt, _>(-t.minutes)
    .bind::<diesel::sql_types::Timestamp, _>(now)
    .bind::<BigInt, _>(t.payee)
    .bind::<BigInt, _>(t.minutes)
    .execute(c)?;
    Ok(())
}

/// On PostgreSQL, locks the accounts `ids` in ascending order (`SELECT … FOR UPDATE`), so that
/// the updates of a batch never wait in a cycle with another's. (SQLite's write transaction
/// already holds the database.)
fn lock_accounts(c: &mut DbConn, ids: &[i64]) -> Result<(), LedgerError> {
    if !csc_db::is_postgres(c) || ids.is_empty() {
        return Ok(());
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    diesel::sql_query(format!(
        "SELECT id FROM bc_accounts WHERE id IN ({list}) ORDER BY id FOR UPDATE"
    ))
    .load::<IdRow>(c)?;
    Ok(())
}

/// Records a batch (a collective workshop paid by each participant): every transfer, or none.
/// `key`: same key and same list → the first batch; another list → `conflit_idempotence`.
/// Returns the batch's outcome and its transfers' ids.
pub fn record_batch(
    c: &mut DbConn,
    transfers: &[NewTransfer],
    key: Option<&str>,
) -> Result<(Outcome, Vec<i64>), LedgerError> {
    if transfers.is_empty() || transfers.len() > 500 {
        return Err(Refusal::InvalidAmount.into());
    }
    let mut centre = None;
    for t in transfers {
        t.check()?;
        let cid = centre_of(c, t)?;
        if centre.is_some_and(|x| x != cid) {
            return Err(Refusal::OtherCentre.into());
        }
        centre = Some(cid);
    }
    let centre_id = centre.unwrap_or_default();
    let key = key.map(str::trim).filter(|k| !k.is_empty());
    let fingerprint = transfers
        .iter()
        .map(NewTransfer::fingerprint)
        .collect::<Vec<_>>()
        .join(";");
    let rows: Vec<IdRow> = diesel::sql_query(
        "INSERT INTO bc_batches (centre_id, idem_key, fingerprint, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind::<BigInt, _>(centre_id)
    .bind::<Nullable<Text>, _>(key)
    .bind::<Text, _>(&fingerprint)
    .bind::<diesel::sql_types::Timestamp, _>(csc_core::time::now())
    .load(c)?;
    let Some(batch_id) = rows.first().map(|r| r.id) else {
        let (id, first): (i64, String) = bc_batches::table
            .filter(bc_batches::centre_id.eq(centre_id))
            .filter(bc_batches::idem_key.eq(key))
            .select((bc_batches::id, bc_batches::fingerprint))
            .first(c)?;
        if first != fingerprint {
            return Err(Refusal::IdempotencyConflict.into());
        }
        let ids = bc_transfers::table
            .filter(bc_transfers::batch_id.eq(id))
            .order(bc_transfers::id)
            .select(bc_transfers::id)
            .load(c)?;
        return Ok((Outcome::Replayed(id), ids));
    };
    let accounts: Vec<i64> = transfers.iter().flat_map(|t| [t.payer, t.payee]).collect();
    lock_accounts(c, &accounts)?;
    let mut ids = Vec::with_capacity(transfers.len());
    for t in transfers {
        let id = insert_transfer(
            c,
            centre_id,
            t,
            None,
            &t.fingerprint(),
            Some(batch_id),
            None,
        )?
        .ok_or_else(|| AppError::internal("a transfer of a batch was not inserted"))?;
        apply(c, id, t, 0)?;
        ids.push(id);
    }
    Ok((Outcome::Created(batch_id), ids))
}

/// Reverses transfer `id` (at most once; a reversal is not reversed): the same minutes back from
/// its payee to its payer, within the limits, and the give-to-earn growth it gave undone.
pub fn reverse(c: &mut DbConn, id: i64, recorded_by: Option<i64>) -> Result<i64, LedgerError> {
    let original = transfer(c, id)?;
    if original.kind == TransferKind::Reversal {
        return Err(Refusal::AlreadyReversed.into());
    }
    let done: Option<i64> = bc_transfers::table
        .filter(bc_transfers::reverses_id.eq(id))
        .select(bc_transfers::id)
        .first(c)
        .optional()?;
    if done.is_some() {
        return Err(Refusal::AlreadyReversed.into());
    }
    let t = NewTransfer {
        kind: TransferKind::Reversal,
        payer: original.payee_id,
        payee: original.payer_id,
        minutes: original.minutes,
        reason: format!("Annulation du virement n° {id}"),
        channel: original.channel,
        cheque_number: None,
        recorded_by,
    };
    let Some(rid) = insert_transfer(
        c,
        original.centre_id,
        &t,
        None,
        &format!("annulation|{id}"),
        None,
        Some(id),
    )?
    else {
        // Another reversal got in first.
        return Err(Refusal::AlreadyReversed.into());
    };
    apply(c, rid, &t, original.floor_raise)?;
    Ok(rid)
}

/// Gives `minutes` of a member's account to the centre's solidarity pot.
pub fn give_to_pot(
    c: &mut DbConn,
    account_id: i64,
    minutes: i64,
    by: Option<i64>,
    channel: Channel,
    key: Option<&str>,
) -> Result<Outcome, LedgerError> {
    let acc = account(c, account_id)?;
    let (_, pot) = centre_accounts(c, acc.centre_id)?;
    record(
        c,
        &NewTransfer {
            kind: TransferKind::Gift,
            payer: account_id,
            payee: pot,
            minutes,
            reason: "Don au pot solidaire".into(),
            channel,
            cheque_number: None,
            recorded_by: by,
        },
        key,
    )
}

/// Grants `minutes` from the centre's solidarity pot to a member's account (staff).
pub fn grant_from_pot(
    c: &mut DbConn,
    account_id: i64,
    minutes: i64,
    reason: &str,
    by: Option<i64>,
    key: Option<&str>,
) -> Result<Outcome, LedgerError> {
    let acc = account(c, account_id)?;
    let (_, pot) = centre_accounts(c, acc.centre_id)?;
    record(
        c,
        &NewTransfer {
            kind: TransferKind::Grant,
            payer: pot,
            payee: account_id,
            minutes,
            reason: if reason.trim().is_empty() {
                "Octroi du pot solidaire".into()
            } else {
                reason.trim().into()
            },
            channel: Channel::Counter,
            cheque_number: None,
            recorded_by: by,
        },
        key,
    )
}

/// Closes a member's account: its balance is settled through the solidarity pot (what is left is
/// given to it; what is owed is paid by it, if it holds enough), then it moves no more.
/// Returns the settling transfer, if any.
pub fn close(c: &mut DbConn, account_id: i64, by: Option<i64>) -> Result<Option<i64>, LedgerError> {
    lock_accounts(c, &[account_id])?;
    let acc = account(c, account_id)?;
    if acc.kind != AccountKind::Member {
        return Err(LedgerError::App(AppError::bad_request(
            "Seul le compte d'un membre se ferme.",
        )));
    }
    if acc.status == AccountStatus::Closed {
        return Err(Refusal::AccountClosed.into());
    }
    let (_, pot) = centre_accounts(c, acc.centre_id)?;
    let settle = match acc.balance.cmp(&0) {
        std::cmp::Ordering::Equal => None,
        std::cmp::Ordering::Greater => Some((account_id, pot, acc.balance)),
        std::cmp::Ordering::Less => Some((pot, account_id, -acc.balance)),
    };
    let mut settled = None;
    if let Some((payer, payee, minutes)) = settle {
        let t = NewTransfer {
            kind: TransferKind::Closing,
            payer,
            payee,
            minutes,
            reason: "Solde à la fermeture du compte".into(),
            channel: Channel::Counter,
            cheque_number: None,
            recorded_by: by,
        };
        let id = insert_transfer(c, acc.centre_id, &t, None, &t.fingerprint(), None, None)?
            .ok_or_else(|| AppError::internal("the closing transfer was not inserted"))?;
        apply(c, id, &t, 0)?;
        settled = Some(id);
    }
    let n = diesel::update(
        bc_accounts::table
            .find(account_id)
            .filter(bc_accounts::balance.eq(0_i64))
            .filter(bc_accounts::status.eq(AccountStatus::Open)),
    )
    .set((
        bc_accounts::status.eq(AccountStatus::Closed),
        bc_accounts::closed_at.eq(Some(csc_core::time::now())),
    ))
    .execute(c)?;
    if n != 1 {
        return Err(Refusal::NotSettled.into());
    }
    Ok(settled)
}

/// The account's entries, newest first, with their transfer.
pub fn statement(
    c: &mut DbConn,
    account_id: i64,
    limit: i64,
) -> Result<Vec<(i64, Transfer)>, LedgerError> {
    let rows: Vec<(i64, Transfer)> = bc_entries::table
        .inner_join(bc_transfers::table)
        .filter(bc_entries::account_id.eq(account_id))
        .order(bc_entries::id.desc())
        .limit(limit)
        .select((bc_entries::minutes, Transfer::as_select()))
        .load(c)?;
    Ok(rows)
}

/// The invariants, as numbers: (sum of every balance, accounts whose balance differs from the
/// sum of their entries, transfers without exactly two entries summing to 0, accounts past a
/// limit).
pub fn check_invariants(c: &mut DbConn) -> Result<(i64, i64, i64, i64), LedgerError> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let one = |c: &mut DbConn, sql: &str| -> Result<i64, LedgerError> {
        Ok(diesel::sql_query(sql).get_result::<Row>(c)?.n)
    };
    let sum = one(
        c,
        "SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) AS n FROM bc_accounts",
    )?;
    let drift = one(
        c,
        "SELECT COUNT(*) AS n FROM bc_accounts a WHERE a.balance <> \
         (SELECT COALESCE(SUM(e.minutes), 0) FROM bc_entries e WHERE e.account_id = a.id)",
    )?;
    let unbalanced = one(
        c,
        "SELECT COUNT(*) AS n FROM bc_transfers t WHERE \
         (SELECT COUNT(*) FROM bc_entries e WHERE e.transfer_id = t.id) <> 2 OR \
         (SELECT COALESCE(SUM(e.minutes), 0) FROM bc_entries e WHERE e.transfer_id = t.id) <> 0",
    )?;
    let past = one(
        c,
        "SELECT COUNT(*) AS n FROM bc_accounts WHERE \
         (floor_minutes IS NOT NULL AND balance < -floor_minutes) OR \
         (ceiling_minutes IS NOT NULL AND balance > ceiling_minutes)",
    )?;
    Ok((sum, drift, unbalanced, past))
}
