//! The staff's pages (`/biens-communs/gestion/{centre}`): members (registered at the reception
//! or validated), accounts and statements, the one-step recording of an exchange, reversals,
//! the solidarity pot, closing an account, and the review queue of offers.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres::{self, Centre};
use csc_core::{AppError, Coded, Identity};
use csc_db::Db;
use csc_web::flash::{self, Level};
use csc_web::routes::{Access, Routes};
use csc_web::{render, render_status, FieldErrors};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::{form_token, ledger_message, STAFF};
use crate::exchanges::{self, Recorded};
use crate::ledger::{self, Channel, LedgerError, Outcome};
use crate::members::{self, MemberForm};
use crate::offers::{self, OfferStatus};

pub fn routes(r: &mut Routes) {
    let staff = Access::Staff(STAFF);
    r.get("/gestion", staff, index)
        .get("/gestion/{centre}", staff, overview)
        .post("/gestion/{centre}/membres", staff, register)
        .get("/gestion/{centre}/membres/{id}", staff, member_page)
        .post("/gestion/{centre}/membres/{id}/valider", staff, validate)
        .post("/gestion/{centre}/membres/{id}/fermeture", staff, close)
        .post("/gestion/{centre}/membres/{id}/octroi", staff, grant)
        .post("/gestion/{centre}/echanges", staff, record)
        .post(
            "/gestion/{centre}/virements/{id}/annulation",
            staff,
            reverse,
        )
        .post("/gestion/{centre}/annonces/{id}/{decision}", staff, decide)
        .get("/gestion/{centre}/reglages", staff, settings_page)
        .post(
            "/gestion/{centre}/reglages",
            Access::Staff(&[csc_core::Role::Referent]),
            settings_save,
        )
        .get("/gestion/{centre}/rapports", staff, reports_page)
        .get("/gestion/{centre}/export.xlsx", staff, export_xlsx)
        .get("/gestion/{centre}/{sheet}.csv", staff, export_csv)
        .get(
            "/gestion/{centre}/membres/{id}/releve.pdf",
            staff,
            statement_pdf,
        );
}

fn url(centre: i64, rest: &str) -> String {
    format!("{}/gestion/{centre}{rest}", crate::MOUNT)
}

/// `GET /gestion`: the centres this user looks after.
async fn index(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    let me = who.clone();
    let mine = db.run(move |c| centres::staffed_by(c, &me, STAFF)).await?;
    if mine.len() == 1 {
        return Ok(flash::see_other(&url(mine[0].id, "")));
    }
    let mut ctx = Context::new();
    ctx.insert("title", "Gérer les biens communs");
    ctx.insert("centres", &mine);
    render(&req, "biens_communs/staff_index.html", ctx)
}

/// The one-step recording form.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct RecordForm {
    #[serde(default)]
    giver: String,
    #[serde(default)]
    receiver: String,
    #[serde(default)]
    duration: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    cheque: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    form_token: String,
}

impl RecordForm {
    fn parse(&self) -> Result<Recorded, FieldErrors> {
        let mut e = FieldErrors::new();
        let giver = e.check(
            "giver",
            self.giver
                .parse::<i64>()
                .map_err(|_| "Choisissez qui a rendu le service.".to_string()),
        );
        let receiver = e.check(
            "receiver",
            self.receiver
                .parse::<i64>()
                .map_err(|_| "Choisissez qui l'a reçu.".to_string()),
        );
        if giver.is_some() && giver == receiver {
            e.add("receiver", "Ce doivent être deux personnes différentes.");
        }
        let minutes = e.check("duration", crate::duration::parse(&self.duration));
        let channel = e.check(
            "channel",
            match Channel::parse(&self.channel) {
                Some(c @ (Channel::Counter | Channel::Phone | Channel::Paper)) => Ok(c),
                _ => Err("Choisissez comment l'échange a été signalé.".to_string()),
            },
        );
        let cheque = self.cheque.trim();
        if cheque.chars().count() > 40 {
            e.add("cheque", "40 caractères au plus.");
        }
        if channel == Some(Channel::Paper) && cheque.is_empty() {
            e.add("cheque", "Indiquez le numéro du chèque-temps papier.");
        }
        let description = e.check(
            "description",
            csc_web::forms::required(&self.description, 300, "le service rendu"),
        );
        if self.form_token.trim().is_empty() || self.form_token.len() > 64 {
            e.add("duration", "Le formulaire a expiré : rechargez la page.");
        }
        match (giver, receiver, minutes, channel, description) {
            (Some(giver), Some(receiver), Some(minutes), Some(channel), Some(description))
                if e.is_empty() =>
            {
                Ok(Recorded {
                    giver,
                    receiver,
                    minutes,
                    description,
                    channel,
                    cheque: (!cheque.is_empty()).then(|| cheque.to_string()),
                    form_token: self.form_token.clone(),
                })
            }
            _ => Err(e),
        }
    }
}

struct Forms {
    member: (MemberForm, FieldErrors),
    record: (RecordForm, FieldErrors),
    record_error: Option<String>,
}

impl Default for Forms {
    fn default() -> Self {
        Self {
            member: (MemberForm::default(), FieldErrors::new()),
            record: (
                RecordForm {
                    channel: Channel::Counter.code().into(),
                    form_token: form_token(),
                    ..RecordForm::default()
                },
                FieldErrors::new(),
            ),
            record_error: None,
        }
    }
}

async fn overview_page(
    req: &HttpRequest,
    db: &Db,
    centre: Centre,
    status: StatusCode,
    forms: Forms,
) -> Result<HttpResponse, AppError> {
    let id = centre.id;
    let (list, review, recent, settings, pot) = db
        .run(move |c| {
            let list = members::list(c, id)?;
            let review = offers::of_centre(c, id, OfferStatus::Review)?;
            let recent = exchanges::list(c, id, None, 20)?;
            let settings = ledger::settings(c, id)?;
            let pot: Option<i64> = {
                use crate::schema::bc_accounts;
                use diesel::prelude::*;
                bc_accounts::table
                    .filter(bc_accounts::centre_id.eq(id))
                    .filter(bc_accounts::kind.eq(ledger::AccountKind::SolidarityPot))
                    .select(bc_accounts::balance)
                    .first(c)
                    .optional()?
            };
            Ok((list, review, recent, settings, pot))
        })
        .await?;
    let active: Vec<_> = list
        .iter()
        .filter(|m| m.member.status == members::MemberStatus::Active)
        .map(|m| csc_web::forms::RowChoice::new(m.member.id, m.name.clone()))
        .collect();
    let mut ctx = Context::new();
    ctx.insert("title", "Biens communs");
    ctx.insert("managed", &centre);
    ctx.insert("members", &list);
    ctx.insert("choices", &active);
    ctx.insert("review", &review);
    ctx.insert("recent", &recent);
    ctx.insert("alert", &settings.alert_minutes);
    ctx.insert("pot", &pot.map(crate::duration::format));
    ctx.insert("contacts", &members::Contact::choices());
    ctx.insert(
        "channels",
        &[Channel::Counter, Channel::Phone, Channel::Paper]
            .iter()
            .map(|c| csc_web::forms::RowChoice::new(c.code(), c.label()))
            .collect::<Vec<_>>(),
    );
    ctx.insert("member_values", &forms.member.0);
    ctx.insert("member_errors", &forms.member.1);
    ctx.insert("record_values", &forms.record.0);
    ctx.insert("record_errors", &forms.record.1);
    ctx.insert("record_error", &forms.record_error);
    render_status(req, status, "biens_communs/staff_overview.html", ctx)
}

async fn overview(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = centres::managed(&db, &who, path.into_inner(), STAFF).await?;
    overview_page(&req, &db, centre, StatusCode::OK, Forms::default()).await
}

/// The reception registers a member (active at once: no e-mail or phone needed).
async fn register(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<MemberForm>,
) -> Result<HttpResponse, AppError> {
    let centre = centres::managed(&db, &who, path.into_inner(), STAFF).await?;
    let form = form.into_inner();
    let data = match form.parse() {
        Ok(d) => d,
        Err(e) => {
            let forms = Forms {
                member: (form, e),
                ..Forms::default()
            };
            return overview_page(&req, &db, centre, StatusCode::UNPROCESSABLE_ENTITY, forms).await;
        }
    };
    let cid = centre.id;
    let out = ledger::write(&db, move |c| members::register(c, cid, &data, None, true)).await?;
    match out {
        Ok(id) => flash::redirect_with(
            &req,
            &url(cid, &format!("/membres/{id}")),
            Level::Success,
            "Le membre est inscrit et son compte d'heures est ouvert.",
        ),
        Err(e) => Err(into_app(e)),
    }
}

fn into_app(e: LedgerError) -> AppError {
    match e {
        LedgerError::App(e) => e,
        LedgerError::Refused(r) => AppError::Conflict(r.message().into()),
        LedgerError::Retry(e) => AppError::from(e),
    }
}

/// The staff record an exchange in one step; the hours move at once.
async fn record(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<RecordForm>,
) -> Result<HttpResponse, AppError> {
    let centre = centres::managed(&db, &who, path.into_inner(), STAFF).await?;
    let form = form.into_inner();
    let data = match form.parse() {
        Ok(d) => d,
        Err(e) => {
            let forms = Forms {
                record: (form, e),
                ..Forms::default()
            };
            return overview_page(&req, &db, centre, StatusCode::UNPROCESSABLE_ENTITY, forms).await;
        }
    };
    let cid = centre.id;
    let by = who.user_id;
    let out = ledger::write(&db, move |c| {
        exchanges::record_by_staff(c, cid, &data, Some(by))
    })
    .await?;
    match out {
        Ok((Outcome::Created(_), _)) => flash::redirect_with(
            &req,
            &url(cid, ""),
            Level::Success,
            "L'échange est enregistré : les heures ont été versées.",
        ),
        Ok((Outcome::Replayed(_), _)) => flash::redirect_with(
            &req,
            &url(cid, ""),
            Level::Info,
            "Cet échange était déjà enregistré : rien n'a été versé une deuxième fois.",
        ),
        Err(e) => {
            let message = ledger_message(e)?;
            let forms = Forms {
                record: (form, FieldErrors::new()),
                record_error: Some(message),
                ..Forms::default()
            };
            overview_page(&req, &db, centre, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
    }
}

async fn member_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    let centre = centres::managed(&db, &who, centre_id, STAFF).await?;
    let (member, account, lines, offers_list, recent, alert) = db
        .run(move |c| {
            let member = members::get(c, centre_id, id).map_err(into_app)?;
            let account = members::account_of(c, id)?;
            let lines = match &account {
                Some(a) => ledger::statement(c, a.id, 200).map_err(into_app)?,
                None => Vec::new(),
            };
            let reversed: Vec<i64> = {
                use crate::schema::bc_transfers;
                use diesel::prelude::*;
                bc_transfers::table
                    .filter(bc_transfers::reverses_id.is_not_null())
                    .filter(bc_transfers::centre_id.eq(centre_id))
                    .select(bc_transfers::reverses_id.assume_not_null())
                    .load(c)?
            };
            let lines: Vec<StatementLine> = lines
                .into_iter()
                .map(|(minutes, t)| StatementLine {
                    can_reverse: t.kind != ledger::TransferKind::Reversal
                        && !reversed.contains(&t.id),
                    date: csc_core::time::format_paris(t.created_at),
                    amount: crate::duration::format(minutes),
                    credit: minutes > 0,
                    transfer: t,
                })
                .collect();
            let offers_list = offers::of_member(c, id)?;
            let recent = exchanges::list(c, centre_id, Some(id), 50)?;
            let alert = ledger::settings(c, centre_id)?.alert_minutes;
            Ok((member, account, lines, offers_list, recent, alert))
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", &member.display());
    ctx.insert("managed", &centre);
    ctx.insert("name", &member.display());
    ctx.insert("member", &member);
    ctx.insert(
        "pending",
        &(member.status == members::MemberStatus::Pending),
    );
    if let Some(a) = &account {
        ctx.insert("balance", &crate::duration::format(a.balance));
        ctx.insert("available", &a.available().map(crate::duration::format));
        ctx.insert("floor", &a.floor_minutes.map(crate::duration::format));
        ctx.insert("warned", &a.warned(alert));
        ctx.insert("open", &(a.status == ledger::AccountStatus::Open));
    }
    ctx.insert("account", &account);
    ctx.insert("lines", &lines);
    ctx.insert("offers", &offers_list);
    ctx.insert("exchanges", &recent);
    ctx.insert("form_token", &form_token());
    render(&req, "biens_communs/staff_member.html", ctx)
}

#[derive(Serialize)]
struct StatementLine {
    transfer: ledger::Transfer,
    date: String,
    amount: String,
    credit: bool,
    can_reverse: bool,
}

async fn validate(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    centres::managed(&db, &who, centre_id, STAFF).await?;
    ledger::write(&db, move |c| members::validate(c, centre_id, id))
        .await?
        .map_err(into_app)?;
    flash::redirect_with(
        &req,
        &url(centre_id, &format!("/membres/{id}")),
        Level::Success,
        "L'inscription est validée : le compte d'heures est ouvert.",
    )
}

/// Button actions end on the member's page, with the ledger's message when it refused.
fn after(
    req: &HttpRequest,
    centre_id: i64,
    id: i64,
    out: Result<String, LedgerError>,
) -> Result<HttpResponse, AppError> {
    let to = url(centre_id, &format!("/membres/{id}"));
    match out {
        Ok(message) => flash::redirect_with(req, &to, Level::Success, &message),
        Err(e) => {
            let message = ledger_message(e)?;
            flash::redirect_with(req, &to, Level::Error, &message)
        }
    }
}

async fn close(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    centres::managed(&db, &who, centre_id, STAFF).await?;
    let by = who.user_id;
    let out = ledger::write(&db, move |c| {
        members::get(c, centre_id, id)?;
        let account = members::account_of(c, id)?.ok_or(LedgerError::App(AppError::NotFound))?;
        ledger::close(c, account.id, Some(by))?;
        use crate::schema::bc_members;
        use diesel::prelude::*;
        diesel::update(bc_members::table.find(id))
            .set(bc_members::status.eq(members::MemberStatus::Closed))
            .execute(c)?;
        Ok("Le compte est fermé ; son solde a été réglé par le pot solidaire.".to_string())
    })
    .await?;
    after(&req, centre_id, id, out)
}

#[derive(Debug, Deserialize)]
struct GrantForm {
    #[serde(default)]
    duration: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    form_token: String,
}

async fn grant(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<GrantForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    centres::managed(&db, &who, centre_id, STAFF).await?;
    let form = form.into_inner();
    let minutes = match crate::duration::parse(&form.duration) {
        Ok(m) => m,
        Err(message) => {
            return flash::redirect_with(
                &req,
                &url(centre_id, &format!("/membres/{id}")),
                Level::Error,
                &message,
            )
        }
    };
    let by = who.user_id;
    let out = ledger::write(&db, move |c| {
        members::get(c, centre_id, id)?;
        let account = members::account_of(c, id)?.ok_or(LedgerError::App(AppError::NotFound))?;
        let key = format!("octroi:{}", form.form_token.trim());
        let out =
            ledger::grant_from_pot(c, account.id, minutes, &form.reason, Some(by), Some(&key))?;
        Ok(match out {
            Outcome::Created(_) => format!(
                "{} accordées depuis le pot solidaire.",
                crate::duration::format(minutes)
            ),
            Outcome::Replayed(_) => "Cet octroi était déjà enregistré.".to_string(),
        })
    })
    .await?;
    after(&req, centre_id, id, out)
}

async fn reverse(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    centres::managed(&db, &who, centre_id, STAFF).await?;
    let by = who.user_id;
    let member = db
        .run(move |c| {
            let t = ledger::transfer(c, id).map_err(into_app)?;
            if t.centre_id != centre_id {
                return Err(AppError::NotFound);
            }
            let a = ledger::account(c, t.payee_id).map_err(into_app)?;
            let b = ledger::account(c, t.payer_id).map_err(into_app)?;
            Ok(a.member_id.or(b.member_id))
        })
        .await?;
    let out = ledger::write(&db, move |c| {
        ledger::reverse(c, id, Some(by))?;
        Ok("Le virement est annulé (une écriture d'annulation a été ajoutée).".to_string())
    })
    .await?;
    match member {
        Some(m) => after(&req, centre_id, m, out),
        None => match out {
            Ok(m) => flash::redirect_with(&req, &url(centre_id, ""), Level::Success, &m),
            Err(e) => {
                let m = ledger_message(e)?;
                flash::redirect_with(&req, &url(centre_id, ""), Level::Error, &m)
            }
        },
    }
}

async fn decide(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id, decision) = path.into_inner();
    centres::managed(&db, &who, centre_id, STAFF).await?;
    let accept = match decision.as_str() {
        "accepter" => true,
        "refuser" => false,
        _ => return Err(AppError::NotFound),
    };
    ledger::write(&db, move |c| offers::decide(c, centre_id, id, accept))
        .await?
        .map_err(into_app)?;
    flash::redirect_with(
        &req,
        &url(centre_id, ""),
        Level::Success,
        if accept {
            "L'annonce est publiée."
        } else {
            "L'annonce est refusée."
        },
    )
}

async fn reports_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = centres::managed(&db, &who, path.into_inner(), STAFF).await?;
    let id = centre.id;
    let (months, per_item) = db
        .run(move |c| {
            c.read_snapshot(|c| {
                Ok((
                    crate::reports::monthly(c, id)?,
                    crate::reports::loans_per_item(c, id)?,
                ))
            })
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Bilan des biens communs");
    ctx.insert("managed", &centre);
    ctx.insert("months", &months);
    ctx.insert("per_item", &per_item);
    render(&req, "biens_communs/staff_reports.html", ctx)
}

async fn sheets(db: &Db, centre: i64) -> Result<Vec<csc_documents::Sheet>, AppError> {
    db.run(move |c| c.read_snapshot(|c| Ok(crate::reports::sheets(c, centre)?)))
        .await
}

async fn export_xlsx(
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = centres::managed(&db, &who, path.into_inner(), STAFF).await?;
    let bytes =
        csc_documents::workbook_xlsx(&sheets(&db, centre.id).await?).map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"biens-communs-{}.xlsx\"",
                centre.slug
            ),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}

/// `GET /gestion/{centre}/{mois|echanges|comptes|prets}.csv`
async fn export_csv(
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, sheet) = path.into_inner();
    let centre = centres::managed(&db, &who, centre_id, STAFF).await?;
    let index = match sheet.as_str() {
        "mois" => 0,
        "echanges" => 1,
        "comptes" => 2,
        "prets" => 3,
        _ => return Err(AppError::NotFound),
    };
    let all = sheets(&db, centre.id).await?;
    let sheet_data = all.get(index).ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{sheet}-{}.csv\"", centre.slug),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(sheet_data.to_csv()))
}

#[derive(Debug, Deserialize)]
struct MonthQuery {
    mois: Option<String>,
}

/// The monthly « relevé d'heures » of a member, to print for members without e-mail
/// (`?mois=2026-05`; the current month by default).
async fn statement_pdf(
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    query: web::Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    centres::managed(&db, &who, centre_id, STAFF).await?;
    let today = csc_core::time::today_paris();
    let (year, month) = match query.into_inner().mois {
        None => (
            chrono::Datelike::year(&today),
            chrono::Datelike::month(&today),
        ),
        Some(m) => {
            let parsed = m
                .split_once('-')
                .and_then(|(y, mo)| Some((y.parse::<i32>().ok()?, mo.parse::<u32>().ok()?)))
                .filter(|(y, mo)| (2000..=2100).contains(y) && (1..=12).contains(mo));
            parsed.ok_or_else(|| AppError::bad_request("Mois attendu sous la forme 2026-05."))?
        }
    };
    let bytes = db
        .run(move |c| crate::reports::statement_pdf(c, centre_id, id, year, month))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"releve-{id}-{year}-{month:02}.pdf\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct SettingsForm {
    #[serde(default)]
    floor: String,
    #[serde(default)]
    quota_max: String,
    #[serde(default)]
    alert: String,
    /// ISO weekday numbers of the closed days (checkboxes).
    #[serde(default)]
    closed: Vec<String>,
}

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

async fn settings_view(
    req: &HttpRequest,
    db: &Db,
    centre: Centre,
    status: StatusCode,
    form: Option<(SettingsForm, FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let id = centre.id;
    let s = db.run(move |c| Ok(ledger::settings(c, id)?)).await?;
    let fmt = crate::duration::format;
    let (values, errors) = form.unwrap_or_else(|| {
        (
            SettingsForm {
                floor: fmt(s.default_floor),
                quota_max: s.default_quota_max.map(fmt).unwrap_or_default(),
                alert: fmt(s.alert_minutes),
                closed: s
                    .closed_weekdays
                    .split(',')
                    .map(|d| d.trim().to_string())
                    .collect(),
            },
            FieldErrors::new(),
        )
    });
    let days: Vec<(String, &str, bool)> = WEEKDAYS
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let n = (i + 1).to_string();
            let on = values.closed.contains(&n);
            (n, *d, on)
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("title", "Réglages des biens communs");
    ctx.insert("managed", &centre);
    ctx.insert("values", &values);
    ctx.insert("errors", &errors);
    ctx.insert("days", &days);
    render_status(req, status, "biens_communs/staff_settings.html", ctx)
}

async fn settings_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = centres::managed(&db, &who, path.into_inner(), STAFF).await?;
    settings_view(&req, &db, centre, StatusCode::OK, None).await
}

/// The referent sets the floor and give-to-earn cap of new members, the soft threshold and the
/// centre's closed weekdays (due dates and hold ends skip them, and public holidays).
async fn settings_save(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    pairs: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let centre =
        centres::managed(&db, &who, path.into_inner(), &[csc_core::Role::Referent]).await?;
    // Checkboxes repeat their name: the form is read as a list of pairs.
    let mut form = SettingsForm::default();
    for (k, v) in pairs.into_inner() {
        match k.as_str() {
            "floor" => form.floor = v,
            "quota_max" => form.quota_max = v,
            "alert" => form.alert = v,
            "closed" => form.closed.push(v),
            _ => {}
        }
    }
    let mut e = FieldErrors::new();
    let zero_ok = |s: &str| -> Result<i64, String> {
        if s.trim().chars().all(|c| c == '0' || c.is_whitespace()) && !s.trim().is_empty() {
            Ok(0)
        } else {
            crate::duration::parse(s)
        }
    };
    let floor = e.check("floor", zero_ok(&form.floor));
    let quota_max = e.check(
        "quota_max",
        if form.quota_max.trim().is_empty() {
            Ok(None)
        } else {
            crate::duration::parse(&form.quota_max).map(Some)
        },
    );
    let alert = e.check("alert", zero_ok(&form.alert));
    let mut closed: Vec<u32> = form
        .closed
        .iter()
        .filter_map(|d| d.parse().ok())
        .filter(|d| (1..=7).contains(d))
        .collect();
    closed.sort_unstable();
    closed.dedup();
    if closed.len() == 7 {
        e.add(
            "closed",
            "Le centre doit ouvrir au moins un jour par semaine.",
        );
    }
    let (Some(floor), Some(quota_max), Some(alert)) = (floor, quota_max, alert) else {
        return settings_view(
            &req,
            &db,
            centre,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some((form, e)),
        )
        .await;
    };
    if !e.is_empty() {
        return settings_view(
            &req,
            &db,
            centre,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some((form, e)),
        )
        .await;
    }
    let s = ledger::CentreSettings {
        centre_id: centre.id,
        default_floor: floor,
        default_quota_max: quota_max,
        alert_minutes: alert,
        closed_weekdays: closed
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(","),
        updated_at: csc_core::time::now(),
    };
    db.write(move |c| Ok(ledger::save_settings(c, &s)?)).await?;
    flash::redirect_with(
        &req,
        &url(centre.id, "/reglages"),
        Level::Success,
        "Les réglages sont enregistrés.",
    )
}
