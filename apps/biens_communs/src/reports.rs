//! For the staff and funders: hours exchanged, distinct members who gave and who received, loans,
//! per month; loans per item; the CSV/XLSX exports; the monthly « relevé d'heures » PDF of a
//! member (for members without e-mail).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use csc_core::AppError;
use csc_db::DbConn;
use csc_documents::{Align, Cell, Document, Sheet};
use diesel::prelude::*;
use serde::Serialize;

use crate::ledger::{self, Transfer, TransferKind};
use crate::members;
use crate::schema::{bc_accounts, bc_entries, bc_items, bc_loans, bc_transfers};

/// One month of activity.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Month {
    /// « 2026-05 ».
    pub month: String,
    /// Minutes of services exchanged (reversed ones left out).
    pub minutes: i64,
    pub exchanges: i64,
    /// Distinct members who gave a service, and who received one.
    pub givers: i64,
    pub receivers: i64,
    pub loans: i64,
}

/// The services of the centre that stand (not reversals, not reversed).
fn services(c: &mut DbConn, centre_id: i64) -> QueryResult<Vec<Transfer>> {
    let reversed: BTreeSet<i64> = bc_transfers::table
        .filter(bc_transfers::centre_id.eq(centre_id))
        .filter(bc_transfers::reverses_id.is_not_null())
        .select(bc_transfers::reverses_id.assume_not_null())
        .load::<i64>(c)?
        .into_iter()
        .collect();
    Ok(bc_transfers::table
        .filter(bc_transfers::centre_id.eq(centre_id))
        .filter(bc_transfers::kind.eq(TransferKind::Service))
        .order(bc_transfers::id)
        .select(Transfer::as_select())
        .load(c)?
        .into_iter()
        .filter(|t| !reversed.contains(&t.id))
        .collect())
}

/// Month by month (Europe/Paris), oldest first.
pub fn monthly(c: &mut DbConn, centre_id: i64) -> QueryResult<Vec<Month>> {
    let mut months: BTreeMap<String, (Month, BTreeSet<i64>, BTreeSet<i64>)> = BTreeMap::new();
    for t in services(c, centre_id)? {
        let key = csc_core::time::to_paris(t.created_at)
            .format("%Y-%m")
            .to_string();
        let e = months.entry(key.clone()).or_default();
        e.0.month = key;
        e.0.minutes += t.minutes;
        e.0.exchanges += 1;
        e.1.insert(t.payee_id);
        e.2.insert(t.payer_id);
    }
    let loans: Vec<NaiveDate> = bc_loans::table
        .inner_join(bc_items::table)
        .filter(bc_items::centre_id.eq(centre_id))
        .select(bc_loans::started_on)
        .load(c)?;
    for d in loans {
        let key = format!("{:04}-{:02}", d.year(), d.month());
        let e = months.entry(key.clone()).or_default();
        e.0.month = key;
        e.0.loans += 1;
    }
    Ok(months
        .into_values()
        .map(|(mut m, givers, receivers)| {
            m.givers = i64::try_from(givers.len()).unwrap_or(0);
            m.receivers = i64::try_from(receivers.len()).unwrap_or(0);
            m
        })
        .collect())
}

/// Loans per item, most lent first.
pub fn loans_per_item(c: &mut DbConn, centre_id: i64) -> QueryResult<Vec<(String, i64)>> {
    let rows: Vec<(i64, String)> = bc_loans::table
        .inner_join(bc_items::table)
        .filter(bc_items::centre_id.eq(centre_id))
        .select((bc_items::id, bc_items::name))
        .load(c)?;
    let mut counts: BTreeMap<(i64, String), i64> = BTreeMap::new();
    for r in rows {
        *counts.entry(r).or_default() += 1;
    }
    let mut out: Vec<(String, i64)> = counts.into_iter().map(|((_, n), k)| (n, k)).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(out)
}

/// The exports: the months, the exchanges, the accounts, the loans per item.
pub fn sheets(c: &mut DbConn, centre_id: i64) -> QueryResult<Vec<Sheet>> {
    let months = monthly(c, centre_id)?;
    let names: BTreeMap<i64, String> = bc_accounts::table
        .filter(bc_accounts::centre_id.eq(centre_id))
        .select((bc_accounts::id, bc_accounts::name))
        .load::<(i64, String)>(c)?
        .into_iter()
        .collect();
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    let exchanges: Vec<Vec<Cell>> = services(c, centre_id)?
        .into_iter()
        .map(|t| {
            vec![
                Cell::Date(csc_core::time::to_paris(t.created_at).date()),
                name(t.payee_id).into(),
                name(t.payer_id).into(),
                t.minutes.into(),
                t.reason.into(),
                t.channel.label().into(),
                t.cheque_number.into(),
            ]
        })
        .collect();
    let alert = ledger::settings(c, centre_id)?.alert_minutes;
    let accounts: Vec<Vec<Cell>> = members::list(c, centre_id)?
        .into_iter()
        .filter_map(|m| {
            let a = m.account?;
            Some(vec![
                m.name.into(),
                m.member.neighbourhood.into(),
                a.balance.into(),
                a.floor_minutes.into(),
                a.available().into(),
                (if a.warned(alert) { "oui" } else { "" }).into(),
                a.status.label().into(),
            ])
        })
        .collect();
    Ok(vec![
        Sheet {
            name: "Par mois".into(),
            headers: [
                "Mois",
                "Minutes échangées",
                "Échanges",
                "Membres qui ont donné",
                "Membres qui ont reçu",
                "Prêts",
            ]
            .map(String::from)
            .to_vec(),
            rows: months
                .into_iter()
                .map(|m| {
                    vec![
                        m.month.into(),
                        m.minutes.into(),
                        m.exchanges.into(),
                        m.givers.into(),
                        m.receivers.into(),
                        m.loans.into(),
                    ]
                })
                .collect(),
        },
        Sheet {
            name: "Échanges".into(),
            headers: [
                "Date",
                "A donné",
                "A reçu",
                "Minutes",
                "Service",
                "Signalé",
                "Chèque-temps",
            ]
            .map(String::from)
            .to_vec(),
            rows: exchanges,
        },
        Sheet {
            name: "Comptes".into(),
            headers: [
                "Membre",
                "Quartier",
                "Solde (min)",
                "Plancher (min)",
                "Disponible (min)",
                "Alerte",
                "État",
            ]
            .map(String::from)
            .to_vec(),
            rows: accounts,
        },
        Sheet {
            name: "Prêts par objet".into(),
            headers: ["Objet", "Prêts"].map(String::from).to_vec(),
            rows: loans_per_item(c, centre_id)?
                .into_iter()
                .map(|(n, k)| vec![n.into(), k.into()])
                .collect(),
        },
    ])
}

/// The monthly « relevé d'heures » of a member: the balance at the start and the end of the
/// month, and each movement of the month.
pub fn statement_pdf(
    c: &mut DbConn,
    centre_id: i64,
    member_id: i64,
    year: i32,
    month: u32,
) -> Result<Vec<u8>, AppError> {
    let m = members::get(c, centre_id, member_id).map_err(|e| match e {
        ledger::LedgerError::App(e) => e,
        other => AppError::internal(format!("{other:?}")),
    })?;
    let centre = csc_auth::centres::get(c, centre_id)?;
    let account = members::account_of(c, member_id)?.ok_or(AppError::NotFound)?;
    let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or(AppError::NotFound)?;
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or(AppError::NotFound)?;
    let (from, to) = (
        csc_core::time::paris_to_utc(first.and_time(chrono::NaiveTime::MIN))
            .ok_or(AppError::NotFound)?,
        csc_core::time::paris_to_utc(next.and_time(chrono::NaiveTime::MIN))
            .ok_or(AppError::NotFound)?,
    );
    let before: i64 = bc_entries::table
        .filter(bc_entries::account_id.eq(account.id))
        .filter(bc_entries::created_at.lt(from))
        .select(bc_entries::minutes)
        .load::<i64>(c)?
        .into_iter()
        .sum();
    let rows: Vec<(i64, Transfer)> = bc_entries::table
        .inner_join(bc_transfers::table)
        .filter(bc_entries::account_id.eq(account.id))
        .filter(bc_entries::created_at.ge(from))
        .filter(bc_entries::created_at.lt(to))
        .order(bc_entries::id)
        .select((bc_entries::minutes, Transfer::as_select()))
        .load(c)?;
    let start = before;
    let end = start + rows.iter().map(|r| r.0).sum::<i64>();
    let fmt = crate::duration::format;
    let mut doc = Document::new(format!("Relevé d'heures — {}", m.display()));
    doc.subtitle(format!(
        "{} — {}",
        centre.name,
        csc_core::time::format_date_long(first)
            .split(' ')
            .skip(2)
            .collect::<Vec<_>>()
            .join(" ")
    ));
    doc.key_values(&[
        ("Solde au début du mois", fmt(start)),
        ("Solde à la fin du mois", fmt(end)),
        (
            "Peut descendre jusqu'à",
            account
                .floor_minutes
                .map_or_else(|| "—".to_string(), |f| format!("{} sous zéro", fmt(f))),
        ),
    ]);
    let lines: Vec<Vec<String>> = rows
        .into_iter()
        .map(|(minutes, t)| {
            vec![
                csc_core::time::format_paris(t.created_at),
                format!("{} : {}", t.kind.label(), t.reason),
                format!("{}{}", if minutes > 0 { "+" } else { "" }, fmt(minutes)),
            ]
        })
        .collect();
    if lines.is_empty() {
        doc.paragraph("Aucun mouvement ce mois-ci.");
    } else {
        doc.table(
            &["Date", "Mouvement", "Heures"],
            &lines,
            &[Align::Left, Align::Left, Align::Right],
        );
    }
    doc.small("Une heure donnée vaut une heure reçue. Pour toute question, adressez-vous à l'accueil du centre.");
    doc.render().map_err(AppError::internal)
}
