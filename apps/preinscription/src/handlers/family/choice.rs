//! Choosing the days of each child, with the price shown before sending, then sending.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres::Centre;
use csc_core::{time, AppError};
use csc_db::Db;
use csc_mail::Mailer;
use csc_members::Family;
use csc_web::flash::Level;
use csc_web::{flash, render_status, FieldErrors};
use serde::Serialize;
use tera::Context;

use super::open_family;
use crate::activities::{self, Activity};
use crate::grids;
use crate::requests::{self, Candidate, ChoiceForm, Priced};

/// Everything the choice form needs.
pub(super) struct Offer {
    centre: Centre,
    family: Family,
    activity: Activity,
    candidates: Vec<Candidate>,
    already: Vec<(i64, chrono::NaiveDate)>,
    grid: csc_pricing::Grid,
}

pub(super) async fn load_offer(
    db: &Db,
    secret: String,
    activity_id: i64,
) -> Result<Offer, AppError> {
    let (centre, family) = open_family(db, secret).await?;
    let (cid, kids) = (centre.id, family.children.clone());
    let (activity, candidates, already, grid) = db
        .run(move |c| {
            let activity = activities::get(c, cid, activity_id)?;
            if !activity.open {
                return Err(AppError::NotFound);
            }
            let groups = activities::groups(c, activity.id)?;
            let ids: Vec<i64> = kids.iter().map(|k| k.id).collect();
            let already = requests::registered_days(c, &ids)?;
            let grid = grids::get(c, cid, activity.grid_id)?.grid()?;
            Ok((
                activity.clone(),
                requests::candidates(&activity, &groups, kids),
                already,
                grid,
            ))
        })
        .await?;
    Ok(Offer {
        centre,
        family,
        activity,
        candidates,
        already,
        grid,
    })
}

/// A day column of the choice form.
#[derive(Debug, Serialize)]
pub(super) struct DayView {
    iso: String,
    label: String,
    past: bool,
}

fn choice_page(
    req: &HttpRequest,
    offer: &Offer,
    secret: &str,
    form: &ChoiceForm,
    errors: &FieldErrors,
    priced: Option<&Priced>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let today = time::today_paris();
    let days: Vec<DayView> = offer
        .activity
        .days()
        .into_iter()
        .map(|d| DayView {
            iso: d.format("%Y-%m-%d").to_string(),
            label: time::format_date_long(d),
            past: d <= today,
        })
        .collect();
    let units: Vec<(&str, &str)> = offer
        .activity
        .units()
        .into_iter()
        .map(|u| (u.code(), u.label()))
        .collect();
    let already: Vec<String> = offer
        .already
        .iter()
        .map(|(c, d)| requests::field(*c, *d))
        .collect();
    let mut ctx = Context::new();
    ctx.insert(
        "title",
        &format!("Pré-inscription — {}", offer.activity.title),
    );
    ctx.insert("centre", &offer.centre);
    ctx.insert("activity", &offer.activity);
    ctx.insert("kind", offer.activity.kind_label());
    ctx.insert("candidates", &offer.candidates);
    ctx.insert("days", &days);
    ctx.insert("units", &units);
    ctx.insert("already", &already);
    ctx.insert("secret", secret);
    ctx.insert("values", &form.0);
    ctx.insert("errors", errors);
    ctx.insert("priced", &priced);
    ctx.insert("qf", &offer.family.household.qf());
    render_status(req, status, "preinscription/choice.html", ctx)
}

/// `GET /preinscription/foyer/{secret}/activite/{id}`.
pub(super) async fn choice_form(
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (secret, id) = path.into_inner();
    let offer = load_offer(&db, secret.clone(), id).await?;
    choice_page(
        &req,
        &offer,
        &secret,
        &ChoiceForm::default(),
        &FieldErrors::new(),
        None,
        StatusCode::OK,
    )
}

/// `POST /preinscription/foyer/{secret}/activite/{id}`: `action=apercu` shows the price,
/// `action=envoyer` sends the request (after the same checks).
pub(super) async fn choice_post(
    req: HttpRequest,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<(String, i64)>,
    form: web::Form<ChoiceForm>,
) -> Result<HttpResponse, AppError> {
    let (secret, id) = path.into_inner();
    let offer = load_offer(&db, secret.clone(), id).await?;
    let form = form.into_inner();
    let send = form.0.get("action").is_some_and(|a| a == "envoyer");
    let checked = form
        .parse(
            &offer.activity,
            &offer.candidates,
            &offer.already,
            time::today_paris(),
        )
        .and_then(|choices| {
            requests::price(
                &offer.grid,
                &offer.family.household,
                &offer.activity,
                &offer.candidates,
                &choices,
            )
        });
    let priced = match checked {
        Ok(p) => p,
        Err(e) => {
            return choice_page(
                &req,
                &offer,
                &secret,
                &form,
                &e,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    if !send {
        return choice_page(
            &req,
            &offer,
            &secret,
            &form,
            &FieldErrors::new(),
            Some(&priced),
            StatusCode::OK,
        );
    }
    let mailer = mailer.into_inner();
    let Offer {
        centre,
        family,
        activity,
        ..
    } = offer;
    let sent = db
        .write(move |c| requests::submit(c, &mailer, &centre, &family, &activity, &priced))
        .await;
    match sent {
        Ok(sent) => {
            let message = if sent.waiting == 0 {
                "Votre demande est envoyée : une place est réservée pour chaque jour. Le centre va la valider.".to_string()
            } else {
                format!(
                    "Votre demande est envoyée. {} jour(s) réservé(s), {} jour(s) sur liste d'attente : vous serez prévenu(e) par e-mail si une place se libère.",
                    sent.placed, sent.waiting
                )
            };
            flash::redirect_with(
                &req,
                &format!("{}/demande/{}", crate::MOUNT, sent.secret),
                Level::Success,
                &message,
            )
        }
        Err(AppError::Conflict(msg)) => {
            let offer = load_offer(&db, secret.clone(), id).await?;
            let mut e = FieldErrors::new();
            e.add("choices", msg);
            choice_page(&req, &offer, &secret, &form, &e, None, StatusCode::CONFLICT)
        }
        Err(e) => Err(e),
    }
}
