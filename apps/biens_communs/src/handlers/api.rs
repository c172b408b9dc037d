//! The JSON API under `/api/v1/biens-communs`, for the Bearer token of a staff account
//! (`POST /api/v1/jetons`). Refusals are 422 `{"code", "message"}` with a stable code; nothing
//! changes on a refusal.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use csc_core::{AppError, Identity};
use csc_db::Db;
use csc_web::routes::{Access, Routes};
use serde_json::{json, Value};

use super::STAFF;
use crate::ledger::{self, Channel, LedgerError, NewAccount, NewTransfer, Outcome, TransferKind};

/// Routes relative to `/api/v1/biens-communs`.
pub fn routes(r: &mut Routes) {
    let staff = Access::Staff(STAFF);
    r.post("/comptes", staff, create_account)
        .get("/comptes/{id}", staff, show_account)
        .post("/comptes/{id}/fermeture", staff, close_account)
        .post("/comptes/{id}/don", staff, give)
        .post("/comptes/{id}/octroi", staff, grant)
        .get("/centres/{centre}", staff, centre_accounts)
        .post("/virements", staff, create_transfer)
        .post("/virements/{id}/annulation", staff, reverse)
        .post("/lots", staff, create_batch);
}

/// A 422 (or other status) `{"code", "message"}`.
fn refusal(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(("Cache-Control", "no-store"))
        .json(json!({ "code": code, "message": message }))
}

fn unknown_account() -> HttpResponse {
    refusal(
        StatusCode::NOT_FOUND,
        "compte_inconnu",
        "Ce compte n'existe pas.",
    )
}

/// The answer to a ledger error: a refusal's 422, a 404 for what is not there, else the error.
fn ledger_error(e: LedgerError) -> Result<HttpResponse, AppError> {
    match e {
        LedgerError::Refused(r) => Ok(refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            r.code(),
            r.message(),
        )),
        LedgerError::App(AppError::NotFound) => Ok(unknown_account()),
        LedgerError::App(AppError::BadRequest(m)) => Ok(refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            "donnees_invalides",
            &m,
        )),
        LedgerError::App(e) => Err(e),
        LedgerError::Retry(e) => Err(AppError::from(e)),
    }
}

/// A resident's token (no staff role anywhere) is refused before anything is read.
fn staff_somewhere(who: &Identity) -> Result<(), AppError> {
    if who.is_admin || who.roles.iter().any(|r| STAFF.contains(&r.role)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn json_body(body: &[u8]) -> Result<Value, Box<HttpResponse>> {
    serde_json::from_slice::<Value>(body)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| {
            Box::new(refusal(
                StatusCode::BAD_REQUEST,
                "json_invalide",
                "Le corps de la requête doit être un objet JSON.",
            ))
        })
}

fn invalid(message: &str) -> HttpResponse {
    refusal(
        StatusCode::UNPROCESSABLE_ENTITY,
        "donnees_invalides",
        message,
    )
}

fn invalid_amount() -> HttpResponse {
    let r = ledger::Refusal::InvalidAmount;
    refusal(StatusCode::UNPROCESSABLE_ENTITY, r.code(), r.message())
}

/// An optional whole number of minutes: absent or null → `None`; anything but a whole number
/// ≥ 0 → refused.
fn opt_minutes(v: &Value, field: &str) -> Result<Option<i64>, Box<HttpResponse>> {
    match v.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => match x.as_i64() {
            Some(n) if (0..=10_000_000).contains(&n) => Ok(Some(n)),
            _ => Err(Box::new(invalid_amount())),
        },
    }
}

fn id_field(v: &Value, field: &str) -> Result<i64, Box<HttpResponse>> {
    v.get(field).and_then(Value::as_i64).ok_or_else(|| {
        Box::new(invalid(&format!(
            "« {field} » doit être l'identifiant d'un compte."
        )))
    })
}

fn text_field(v: &Value, field: &str, max: usize) -> Result<Option<String>, Box<HttpResponse>> {
    match v.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        _ => Err(Box::new(invalid(&format!(
            "« {field} » doit être un texte de {max} caractères au plus."
        )))),
    }
}

/// A transfer of the API's body: `{"payeur", "beneficiaire", "minutes", "motif"}`.
fn transfer_of(v: &Value, who: &Identity) -> Result<NewTransfer, Box<HttpResponse>> {
    let minutes = match v.get("minutes").and_then(Value::as_i64) {
        Some(m) => m,
        None => return Err(Box::new(invalid_amount())),
    };
    Ok(NewTransfer {
        kind: TransferKind::Service,
        payer: id_field(v, "payeur")?,
        payee: id_field(v, "beneficiaire")?,
        minutes,
        reason: text_field(v, "motif", 500)?.unwrap_or_default(),
        channel: Channel::Api,
        cheque_number: None,
        recorded_by: Some(who.user_id),
    })
}

/// The centre of account `id`, when `who` is staff there: `None` when the account is unknown.
async fn centre_of_account(db: &Db, who: &Identity, id: i64) -> Result<Option<i64>, AppError> {
    let centre = db
        .run(move |c| match ledger::account(c, id) {
            Ok(a) => Ok(Some(a.centre_id)),
            Err(LedgerError::App(AppError::NotFound)) => Ok(None),
            Err(LedgerError::App(e)) => Err(e),
            Err(e) => Err(AppError::internal(format!("{e:?}"))),
        })
        .await?;
    if let Some(centre) = centre {
        who.require_role(centre, STAFF)?;
    }
    Ok(centre)
}

/// `POST /comptes` `{"centre", "nom", "plancher_minutes", "plafond_minutes",
/// "quota_max_minutes"}` → 201 `{"id"}`. Without `plancher_minutes`, the centre's default floor.
async fn create_account(
    who: Identity,
    db: web::Data<Db>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    staff_somewhere(&who)?;
    let v = match json_body(&body) {
        Ok(v) => v,
        Err(res) => return Ok(*res),
    };
    let Some(slug) = v.get("centre").and_then(Value::as_str).map(str::to_owned) else {
        return Ok(invalid(
            "« centre » doit être l'identifiant (slug) d'un centre.",
        ));
    };
    let name = match text_field(&v, "nom", 200) {
        Ok(Some(n)) if !n.trim().is_empty() => n,
        Ok(_) => return Ok(invalid("Indiquez le nom du compte (« nom »).")),
        Err(res) => return Ok(*res),
    };
    let (floor, ceiling, quota_max) = match (
        opt_minutes(&v, "plancher_minutes"),
        opt_minutes(&v, "plafond_minutes"),
        opt_minutes(&v, "quota_max_minutes"),
    ) {
        (Ok(f), Ok(c), Ok(q)) => (f, c, q),
        _ => return Ok(invalid_amount()),
    };
    let s = slug.clone();
    let centre = db
        .run(move |c| match csc_auth::centres::by_slug(c, &s) {
            Ok(centre) => Ok(Some(centre.id)),
            Err(AppError::NotFound) => Ok(None),
            Err(e) => Err(e),
        })
        .await?;
    let Some(centre_id) = centre else {
        return Ok(refusal(
            StatusCode::NOT_FOUND,
            "centre_inconnu",
            "Ce centre n'existe pas.",
        ));
    };
    who.require_role(centre_id, STAFF)?;
    let out = ledger::write(&db, move |c| {
        let floor = match floor {
            Some(f) => f,
            None => ledger::settings(c, centre_id)?.default_floor,
        };
        ledger::open_account(
            c,
            &NewAccount {
                centre_id,
                member_id: None,
                name: name.clone(),
                floor,
                ceiling,
                quota_max,
            },
        )
    })
    .await?;
    match out {
        Ok(id) => Ok(HttpResponse::Created().json(json!({ "id": id }))),
        Err(e) => ledger_error(e),
    }
}

/// `GET /comptes/{id}` → `{"solde", "plancher", "plafond", "quota_max", "disponible", …}`.
async fn show_account(
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    staff_somewhere(&who)?;
    let id = path.into_inner();
    if centre_of_account(&db, &who, id).await?.is_none() {
        return Ok(unknown_account());
    }
    let (a, alert) = db
        .run(move |c| {
            let a = ledger::account(c, id).map_err(|e| AppError::internal(format!("{e:?}")))?;
            let s = ledger::settings(c, a.centre_id)?;
            Ok((a, s.alert_minutes))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(json!({
            "id": a.id,
            "nom": a.name,
            "type": a.kind.code(),
            "etat": a.status.code(),
            "solde": a.balance,
            "plancher": a.floor_minutes,
            "plafond": a.ceiling_minutes,
            "quota_max": a.quota_max_minutes,
            "disponible": a.available(),
            "alerte": a.warned(alert),
        })))
}

/// `GET /centres/{centre}` (its id or slug) → the ids of the centre's own accounts.
async fn centre_accounts(
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    staff_somewhere(&who)?;
    let key = path.into_inner();
    let centre = db
        .run(move |c| match key.parse::<i64>() {
            Ok(id) => csc_auth::centres::get(c, id),
            Err(_) => csc_auth::centres::by_slug(c, &key),
        })
        .await?;
    who.require_role(centre.id, STAFF)?;
    let out = ledger::write(&db, move |c| ledger::centre_accounts(c, centre.id)).await?;
    match out {
        Ok((fund, pot)) => {
            Ok(HttpResponse::Ok().json(json!({ "fonds_ouverture": fund, "pot_solidaire": pot })))
        }
        Err(e) => ledger_error(e),
    }
}

/// `POST /virements` `{"payeur", "beneficiaire", "minutes", "motif", "cle"}` → 201 `{"id"}`, or
/// 200 with the first transfer's id when the same `cle` came with the same content.
async fn create_transfer(
    who: Identity,
    db: web::Data<Db>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    staff_somewhere(&who)?;
    let v = match json_body(&body) {
        Ok(v) => v,
        Err(res) => return Ok(*res),
    };
    let t = match transfer_of(&v, &who) {
        Ok(t) => t,
        Err(res) => return Ok(*res),
    };
    let key = match text_field(&v, "cle", 200) {
        Ok(k) => k,
        Err(res) => return Ok(*res),
    };
    if t.minutes <= 0 || t.minutes > ledger::MAX_TRANSFER {
        return Ok(invalid_amount());
    }
    for id in [t.payer, t.payee] {
        if centre_of_account(&db, &who, id).await?.is_none() {
            return Ok(unknown_account());
        }
    }
    let out = ledger::write(&db, move |c| ledger::record(c, &t, key.as_deref())).await?;
    transfer_answer(out)
}

fn transfer_answer(out: Result<Outcome, LedgerError>) -> Result<HttpResponse, AppError> {
    match out {
        Ok(Outcome::Created(id)) => Ok(HttpResponse::Created().json(json!({ "id": id }))),
        Ok(Outcome::Replayed(id)) => Ok(HttpResponse::Ok().json(json!({ "id": id }))),
        Err(e) => ledger_error(e),
    }
}

/// `POST /lots` `{"virements": [...], "cle"}` → 201 `{"id", "virements": [ids]}`: all or none.
async fn create_batch(
    who: Identity,
    db: web::Data<Db>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    staff_somewhere(&who)?;
    let v = match json_body(&body) {
        Ok(v) => v,
        Err(res) => return Ok(*res),
    };
    let Some(list) = v.get("virements").and_then(Value::as_array) else {
        return Ok(invalid("« virements » doit être une liste de virements."));
    };
    let mut transfers = Vec::with_capacity(list.len());
    for item in list {
        match transfer_of(item, &who) {
            Ok(t) => transfers.push(t),
            Err(res) => return Ok(*res),
        }
    }
    let key = match text_field(&v, "cle", 200) {
        Ok(k) => k,
        Err(res) => return Ok(*res),
    };
    if transfers.is_empty() {
        return Ok(invalid("Le lot est vide."));
    }
    let mut seen = std::collections::HashSet::new();
    for t in &transfers {
        for id in [t.payer, t.payee] {
            if seen.insert(id) && centre_of_account(&db, &who, id).await?.is_none() {
                return Ok(unknown_account());
            }
        }
    }
    let out = ledger::write(&db, move |c| {
        ledger::record_batch(c, &transfers, key.as_deref())
    })
    .await?;
    match out {
        Ok((Outcome::Created(id), ids)) => {
            Ok(HttpResponse::Created().json(json!({ "id": id, "virements": ids })))
        }
        Ok((Outcome::Replayed(id), ids)) => {
            Ok(HttpResponse::Ok().json(json!({ "id": id, "virements": ids })))
        }
        Err(e) => ledger_error(e),
    }
}

/// `POST /virements/{id}/annulation` → 201 `{"id"}` of the reversal.
async fn reverse(
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    staff_somewhere(&who)?;
    let id = path.into_inner();
    let centre = db
        .run(move |c| match ledger::transfer(c, id) {
            Ok(t) => Ok(Some(t.centre_id)),
            Err(LedgerError::App(AppError::NotFound)) => Ok(None),
            Err(e) => Err(AppError::internal(format!("{e:?}"))),
        })
        .await?;
    let Some(centre) = centre else {
        return Ok(refusal(
            StatusCode::NOT_FOUND,
            "virement_inconnu",
            "Ce virement n'existe pas.",
        ));
    };
    who.require_role(centre, STAFF)?;
    let by = who.user_id;
    match ledger::write(&db, move |c| ledger::reverse(c, id, Some(by))).await? {
        Ok(rid) => Ok(HttpResponse::Created().json(json!({ "id": rid, "annule": id }))),
        Err(e) => ledger_error(e),
    }
}

/// `POST /comptes/{id}/fermeture` → 200 `{"id", "virement": id | null}`: the balance settled
/// through the solidarity pot, then the account closed.
async fn close_account(
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    staff_somewhere(&who)?;
    let id = path.into_inner();
    if centre_of_account(&db, &who, id).await?.is_none() {
        return Ok(unknown_account());
    }
    let by = who.user_id;
    match ledger::write(&db, move |c| ledger::close(c, id, Some(by))).await? {
        Ok(settled) => Ok(HttpResponse::Ok().json(json!({ "id": id, "virement": settled }))),
        Err(e) => ledger_error(e),
    }
}

/// `POST /comptes/{id}/don` `{"minutes", "cle"}`: hours given to the solidarity pot.
async fn give(
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    pot_move(who, db, path.into_inner(), body, true).await
}

/// `POST /comptes/{id}/octroi` `{"minutes", "motif", "cle"}`: hours granted from the pot.
async fn grant(
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    pot_move(who, db, path.into_inner(), body, false).await
}

async fn pot_move(
    who: Identity,
    db: web::Data<Db>,
    id: i64,
    body: web::Bytes,
    gift: bool,
) -> Result<HttpResponse, AppError> {
    staff_somewhere(&who)?;
    let v = match json_body(&body) {
        Ok(v) => v,
        Err(res) => return Ok(*res),
    };
    let Some(minutes) = v.get("minutes").and_then(Value::as_i64) else {
        return Ok(invalid_amount());
    };
    let (reason, key) = match (text_field(&v, "motif", 500), text_field(&v, "cle", 200)) {
        (Ok(r), Ok(k)) => (r.unwrap_or_default(), k),
        (Err(res), _) | (_, Err(res)) => return Ok(*res),
    };
    if centre_of_account(&db, &who, id).await?.is_none() {
        return Ok(unknown_account());
    }
    let by = who.user_id;
    let out = ledger::write(&db, move |c| {
        if gift {
            ledger::give_to_pot(c, id, minutes, Some(by), Channel::Api, key.as_deref())
        } else {
            ledger::grant_from_pot(c, id, minutes, &reason, Some(by), key.as_deref())
        }
    })
    .await?;
    transfer_answer(out)
}
