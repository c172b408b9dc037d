//! A resident's pages (`/biens-communs/moi`): join a centre's time bank, one's own account and
//! statement (nobody else's), offers and needs with their matches, and exchanges.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Coded, Identity};
use csc_db::Db;
use csc_web::flash::{self, Level};
use csc_web::routes::{Access, Routes};
use csc_web::{render_status, FieldErrors};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::ledger_message;
use crate::exchanges::{self, Step};
use crate::ledger::{self, LedgerError};
use crate::members::{self, Member, MemberForm, MemberStatus};
use crate::offers::{self, Category, OfferForm, OfferKind, OfferStatus};

pub fn routes(r: &mut Routes) {
    use Access::SignedIn;
    r.get("/moi", SignedIn, home)
        .post("/moi/adhesion", SignedIn, join)
        .post("/moi/{member}/annonces", SignedIn, add_offer)
        .post("/moi/{member}/annonces/{id}/retirer", SignedIn, withdraw)
        .post("/moi/{member}/echanges", SignedIn, ask)
        .post("/moi/{member}/echanges/{id}/{step}", SignedIn, step);
}

fn home_url() -> String {
    format!("{}/moi", crate::MOUNT)
}

#[derive(Serialize)]
struct Membership {
    member: Member,
    name: String,
    centre: String,
    active: bool,
    balance: Option<String>,
    available: Option<String>,
    floor: Option<String>,
    warned: bool,
    lines: Vec<Line>,
    offers: Vec<OfferView>,
    exchanges: Vec<ExchangeView>,
}

#[derive(Serialize)]
struct Line {
    date: String,
    amount: String,
    credit: bool,
    reason: String,
    kind: String,
}

#[derive(Serialize)]
struct OfferView {
    offer: offers::Offer,
    matches: Vec<offers::Listed>,
}

#[derive(Serialize)]
struct ExchangeView {
    listed: exchanges::Listed,
    i_give: bool,
    can_accept: bool,
    can_done: bool,
    can_confirm: bool,
    can_cancel: bool,
}

#[derive(Default)]
struct Forms {
    join: Option<(MemberForm, FieldErrors, String)>,
    offer: Option<(i64, OfferForm, FieldErrors)>,
    error: Option<String>,
}

async fn page(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    status: StatusCode,
    forms: Forms,
) -> Result<HttpResponse, AppError> {
    let uid = who.user_id;
    let (list, centres_list) = db
        .run(move |c| {
            let mut out = Vec::new();
            for m in members::of_user(c, uid)? {
                let centre = csc_auth::centres::get(c, m.centre_id)?;
                let account = members::account_of(c, m.id)?;
                let alert = ledger::settings(c, m.centre_id)?.alert_minutes;
                let lines = match &account {
                    Some(a) => ledger::statement(c, a.id, 50)
                        .map_err(|e| AppError::internal(format!("{e:?}")))?
                        .into_iter()
                        .map(|(minutes, t)| Line {
                            date: csc_core::time::format_paris(t.created_at),
                            amount: crate::duration::format(minutes),
                            credit: minutes > 0,
                            reason: t.reason,
                            kind: t.kind.label().into(),
                        })
                        .collect(),
                    None => Vec::new(),
                };
                let mut views = Vec::new();
                for o in offers::of_member(c, m.id)? {
                    let matches = if o.status == OfferStatus::Open {
                        offers::matches(c, &o)?
                    } else {
                        Vec::new()
                    };
                    views.push(OfferView { offer: o, matches });
                }
                let ex = exchanges::list(c, m.centre_id, Some(m.id), 30)?
                    .into_iter()
                    .map(|l| {
                        let i_give = l.exchange.giver_id == m.id;
                        let s = l.exchange.status;
                        let mine_confirmed = if i_give {
                            l.exchange.giver_confirmed
                        } else {
                            l.exchange.receiver_confirmed
                        };
                        ExchangeView {
                            can_accept: s == exchanges::ExchangeStatus::Asked,
                            can_done: s == exchanges::ExchangeStatus::Accepted,
                            can_confirm: s == exchanges::ExchangeStatus::Done && !mine_confirmed,
                            can_cancel: matches!(
                                s,
                                exchanges::ExchangeStatus::Asked
                                    | exchanges::ExchangeStatus::Accepted
                            ),
                            i_give,
                            listed: l,
                        }
                    })
                    .collect();
                out.push(Membership {
                    name: m.display(),
                    centre: centre.name,
                    active: m.status == MemberStatus::Active,
                    balance: account.as_ref().map(|a| crate::duration::format(a.balance)),
                    available: account
                        .as_ref()
                        .and_then(ledger::Account::available)
                        .map(crate::duration::format),
                    floor: account
                        .as_ref()
                        .and_then(|a| a.floor_minutes)
                        .map(crate::duration::format),
                    warned: account.as_ref().is_some_and(|a| a.warned(alert)),
                    lines,
                    offers: views,
                    exchanges: ex,
                    member: m,
                });
            }
            let all = csc_auth::centres::list(c)?;
            Ok((out, all))
        })
        .await?;
    let joined: Vec<i64> = list.iter().map(|m| m.member.centre_id).collect();
    let can_join: Vec<_> = centres_list
        .iter()
        .filter(|c| !joined.contains(&c.id))
        .map(|c| csc_web::forms::RowChoice::new(c.id, c.name.clone()))
        .collect();
    let mut ctx = Context::new();
    ctx.insert("title", "Mes échanges de services");
    ctx.insert("memberships", &list);
    ctx.insert("can_join", &can_join);
    let (jv, je, jc) = forms
        .join
        .unwrap_or_else(|| (MemberForm::default(), FieldErrors::new(), String::new()));
    ctx.insert("join_values", &jv);
    ctx.insert("join_errors", &je);
    ctx.insert("join_centre", &jc);
    ctx.insert("contacts", &members::Contact::choices());
    ctx.insert("kinds", &OfferKind::choices());
    ctx.insert("categories", &Category::choices());
    let (om, ov, oe) = forms
        .offer
        .unwrap_or_else(|| (0, OfferForm::default(), FieldErrors::new()));
    ctx.insert("offer_member", &om);
    ctx.insert("offer_values", &ov);
    ctx.insert("offer_errors", &oe);
    ctx.insert("error", &forms.error);
    render_status(req, status, "biens_communs/resident.html", ctx)
}

async fn home(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    page(&req, &who, &db, StatusCode::OK, Forms::default()).await
}

#[derive(Debug, Default, Deserialize)]
struct JoinForm {
    #[serde(default)]
    centre: String,
    #[serde(flatten)]
    member: MemberForm,
}

/// A resident asks to join a centre's time bank; the staff validate it.
async fn join(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    form: web::Form<JoinForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let centre: Option<i64> = form.centre.parse().ok();
    let parsed = form.member.parse();
    let (Some(centre_id), Ok(data)) = (centre, parsed.clone()) else {
        let mut errors = parsed.err().unwrap_or_default();
        if centre.is_none() {
            errors.add("centre", "Choisissez votre centre social.");
        }
        let forms = Forms {
            join: Some((form.member, errors, form.centre)),
            ..Forms::default()
        };
        return page(&req, &who, &db, StatusCode::UNPROCESSABLE_ENTITY, forms).await;
    };
    let uid = who.user_id;
    let out = ledger::write(&db, move |c| {
        csc_auth::centres::get(c, centre_id)?;
        members::register(c, centre_id, &data, Some(uid), false)
    })
    .await?;
    match out {
        Ok(_) => flash::redirect_with(
            &req,
            &home_url(),
            Level::Success,
            "Votre demande est envoyée : l'équipe du centre va la valider.",
        ),
        Err(e) => {
            let forms = Forms {
                error: Some(ledger_message(e)?),
                ..Forms::default()
            };
            page(&req, &who, &db, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
    }
}

/// The member `id` when it is the signed-in resident's own (404 otherwise).
fn own(c: &mut csc_db::DbConn, who_id: i64, id: i64) -> Result<Member, LedgerError> {
    members::of_user(c, who_id)?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(LedgerError::App(AppError::NotFound))
}

async fn add_offer(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<OfferForm>,
) -> Result<HttpResponse, AppError> {
    let member_id = path.into_inner();
    let form = form.into_inner();
    let data = match form.parse() {
        Ok(d) => d,
        Err(e) => {
            let uid = who.user_id;
            db.run(move |c| {
                own(c, uid, member_id).map(|_| ()).map_err(|e| match e {
                    LedgerError::App(e) => e,
                    other => AppError::internal(format!("{other:?}")),
                })
            })
            .await?;
            let forms = Forms {
                offer: Some((member_id, form, e)),
                ..Forms::default()
            };
            return page(&req, &who, &db, StatusCode::UNPROCESSABLE_ENTITY, forms).await;
        }
    };
    let uid = who.user_id;
    let out = ledger::write(&db, move |c| {
        let m = own(c, uid, member_id)?;
        offers::create(c, &m, &data)
    })
    .await?;
    match out {
        Ok((_, OfferStatus::Review)) => flash::redirect_with(
            &req,
            &home_url(),
            Level::Info,
            "Votre annonce est enregistrée ; l'équipe du centre la relit avant de la publier (règles des échanges).",
        ),
        Ok(_) => flash::redirect_with(&req, &home_url(), Level::Success, "Votre annonce est publiée."),
        Err(LedgerError::App(AppError::NotFound)) => Err(AppError::NotFound),
        Err(e) => {
            let forms = Forms {
                error: Some(ledger_message(e)?),
                ..Forms::default()
            };
            page(&req, &who, &db, StatusCode::UNPROCESSABLE_ENTITY, forms).await
        }
    }
}

async fn withdraw(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (member_id, id) = path.into_inner();
    let uid = who.user_id;
    ledger::write(&db, move |c| {
        let m = own(c, uid, member_id)?;
        offers::withdraw(c, &m, id)
    })
    .await?
    .map_err(|e| match e {
        LedgerError::App(e) => e,
        other => AppError::internal(format!("{other:?}")),
    })?;
    flash::redirect_with(&req, &home_url(), Level::Success, "L'annonce est retirée.")
}

#[derive(Debug, Deserialize)]
struct AskForm {
    #[serde(default)]
    offer: String,
    #[serde(default)]
    duration: String,
    #[serde(default)]
    description: String,
}

/// Proposes an exchange on a matching offer or need: the member who offers gives.
async fn ask(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<AskForm>,
) -> Result<HttpResponse, AppError> {
    let member_id = path.into_inner();
    let form = form.into_inner();
    let Ok(offer_id) = form.offer.parse::<i64>() else {
        return Err(AppError::NotFound);
    };
    let minutes = match crate::duration::parse(&form.duration) {
        Ok(m) => m,
        Err(message) => return flash::redirect_with(&req, &home_url(), Level::Error, &message),
    };
    let uid = who.user_id;
    let out = ledger::write(&db, move |c| {
        let me = own(c, uid, member_id)?;
        let o = offers::get(c, me.centre_id, offer_id)?;
        if o.status != OfferStatus::Open {
            return Err(LedgerError::App(AppError::NotFound));
        }
        let (giver, receiver) = match o.kind {
            OfferKind::Offer => (o.member_id, me.id),
            OfferKind::Need => (me.id, o.member_id),
        };
        let description = if form.description.trim().is_empty() {
            o.title.clone()
        } else {
            form.description.chars().take(300).collect()
        };
        exchanges::ask(
            c,
            me.centre_id,
            giver,
            receiver,
            Some(o.id),
            minutes,
            &description,
        )
    })
    .await?;
    match out {
        Ok(_) => flash::redirect_with(
            &req,
            &home_url(),
            Level::Success,
            "Votre proposition d'échange est envoyée.",
        ),
        Err(LedgerError::App(AppError::NotFound)) => Err(AppError::NotFound),
        Err(e) => {
            let m = ledger_message(e)?;
            flash::redirect_with(&req, &home_url(), Level::Error, &m)
        }
    }
}

async fn step(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (member_id, id, action) = path.into_inner();
    let s = match action.as_str() {
        "accepter" => Step::Accept,
        "fait" => Step::Done,
        "confirmer" => Step::Confirm,
        "annuler" => Step::Cancel,
        _ => return Err(AppError::NotFound),
    };
    let uid = who.user_id;
    let out = ledger::write(&db, move |c| {
        let me = own(c, uid, member_id)?;
        exchanges::step(c, &me, id, s)
    })
    .await?;
    match out {
        Ok(status) => flash::redirect_with(
            &req,
            &home_url(),
            Level::Success,
            &format!("Échange : {}.", status.label()),
        ),
        Err(LedgerError::App(AppError::NotFound)) => Err(AppError::NotFound),
        Err(e) => {
            let m = ledger_message(e)?;
            flash::redirect_with(&req, &home_url(), Level::Error, &m)
        }
    }
}
