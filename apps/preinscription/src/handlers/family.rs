//! The families' journey: the centre's offer, the household form (adhésion), the family page,
//! the choice of days with the price shown before sending, the request's private page.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres::{self, Centre};
use csc_core::{time, AppError, Email};
use csc_db::Db;
use csc_mail::{Attachment, Mailer};
use csc_members::{household, Family, HouseholdForm, MAX_CHILDREN, SCHEMES};
use csc_pricing::MembershipKind;
use csc_web::{flash, render, render_status, FieldErrors};
use serde::Serialize;
use tera::Context;

use crate::activities::{self, Activity};
use crate::grids;
use crate::requests::{self, Candidate, ChoiceForm, Priced};
use crate::rgpd;
use crate::summary;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(index))
        .route("/", web::get().to(index))
        .route("/c/{slug}", web::get().to(centre_page))
        .route("/c/{slug}/adhesion", web::get().to(household_form))
        .route("/c/{slug}/adhesion", web::post().to(household_create))
        .route("/foyer/{secret}", web::get().to(family_page))
        .route("/foyer/{secret}/donnees.json", web::get().to(family_data))
        .route("/foyer/{secret}/supprimer", web::post().to(family_erase))
        .route("/foyer/{secret}/activite/{id}", web::get().to(choice_form))
        .route("/foyer/{secret}/activite/{id}", web::post().to(choice_post))
        .route("/demande/{secret}", web::get().to(request_page))
        .route("/demande/{secret}/annuler", web::post().to(request_cancel))
        .route(
            "/demande/{secret}/recapitulatif.pdf",
            web::get().to(request_pdf),
        );
}

/// `GET /preinscription`: the centres that open pre-registration.
async fn index(req: HttpRequest, db: web::Data<Db>) -> Result<HttpResponse, AppError> {
    let offers = db
        .run(|c| {
            let mut out = Vec::new();
            for centre in centres::list(c)? {
                let open = activities::of_centre(c, centre.id, true)?;
                if !open.is_empty() {
                    out.push((centre, open.len()));
                }
            }
            Ok(out)
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Pré-inscription en ligne");
    ctx.insert("offers", &offers);
    render(&req, "preinscription/index.html", ctx)
}

/// `GET /preinscription/c/{slug}`: what the centre opens.
async fn centre_page(
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let (centre, open) = db
        .run(move |c| {
            let centre = centres::by_slug(c, &slug)?;
            let open = activities::of_centre(c, centre.id, true)?;
            Ok((centre, open))
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", &format!("Pré-inscription — {}", centre.name));
    ctx.insert("activities", &activity_views(&open));
    ctx.insert("centre", &centre);
    render(&req, "preinscription/centre.html", ctx)
}

/// An activity as families see it.
#[derive(Debug, Serialize)]
struct ActivityView<'a> {
    activity: &'a Activity,
    kind: &'static str,
    first: String,
    last: String,
    days: usize,
}

fn activity_views(list: &[Activity]) -> Vec<ActivityView<'_>> {
    list.iter()
        .map(|a| {
            let days = a.days();
            ActivityView {
                activity: a,
                kind: a.kind_label(),
                first: days
                    .first()
                    .map(|d| time::format_date_long(*d))
                    .unwrap_or_default(),
                last: days
                    .last()
                    .map(|d| time::format_date_long(*d))
                    .unwrap_or_default(),
                days: days.len(),
            }
        })
        .collect()
}

fn household_page(
    req: &HttpRequest,
    centre: &Centre,
    form: &HouseholdForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", &format!("Adhésion au centre — {}", centre.name));
    ctx.insert("centre", centre);
    ctx.insert("values", &form.0);
    ctx.insert("errors", errors);
    ctx.insert("schemes", &SCHEMES);
    ctx.insert("children", &(1..=MAX_CHILDREN).collect::<Vec<_>>());
    render_status(req, status, "preinscription/household.html", ctx)
}

/// `GET /preinscription/c/{slug}/adhesion`.
async fn household_form(
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let centre = db.run(move |c| centres::by_slug(c, &slug)).await?;
    household_page(
        &req,
        &centre,
        &HouseholdForm::default(),
        &FieldErrors::new(),
        StatusCode::OK,
    )
}

/// `POST /preinscription/c/{slug}/adhesion`: the household is recorded, its membership asked
/// for, and the family gets the private link of its page.
async fn household_create(
    req: HttpRequest,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<String>,
    form: web::Form<HouseholdForm>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let centre = db.run(move |c| centres::by_slug(c, &slug)).await?;
    let form = form.into_inner();
    let data = match form.parse(time::today_paris()) {
        Ok(d) => d,
        Err(e) => {
            return household_page(&req, &centre, &form, &e, StatusCode::UNPROCESSABLE_ENTITY)
        }
    };
    let mailer = mailer.into_inner();
    let centre_id = centre.id;
    let centre_for_mail = centre.clone();
    let secret = db
        .run(move |c| {
            let fee = membership_fee(c, &centre_for_mail, &data.postcode)?;
            let (_, secret) = household::create(c, centre_id, &data, fee, time::today_paris())?;
            let link = format!("{}/preinscription/foyer/{secret}", mailer.base_url());
            let mut mctx = Context::new();
            mctx.insert("centre", &centre_for_mail);
            mctx.insert("first_name", &data.adults[0].first_name);
            mctx.insert("link", &link);
            let to = Email::parse(&data.adults[0].email).map_err(AppError::BadRequest)?;
            mailer.enqueue(c, &to, "preinscription/adhesion", &mctx, &[])?;
            Ok(secret)
        })
        .await?;
    let secure = csc_web::render::ui(&req)?.secure_cookies;
    Ok(flash::redirect(
        &format!("/preinscription/foyer/{secret}"),
        "succes",
        "Votre demande d'adhésion est enregistrée. Gardez le lien de cette page : il vous a aussi été envoyé par e-mail.",
        secure,
    ))
}

/// The family membership fee of the centre's first grid that gives one (0 when none does).
fn membership_fee(
    c: &mut csc_db::DbConn,
    centre: &Centre,
    postcode: &str,
) -> Result<i64, AppError> {
    // Families of the centre's commune pay the resident fee (all of them when it has no postcode).
    let resident = centre.postcode.is_empty() || postcode == centre.postcode;
    for stored in grids::of_centre(c, centre.id)? {
        if let Ok(fee) = stored
            .grid()?
            .membership_fee(MembershipKind::Family, resident)
        {
            return Ok(fee.0);
        }
    }
    Ok(0)
}

/// The household a secret opens, with its family and centre.
async fn open_family(db: &Db, secret: String) -> Result<(Centre, Family), AppError> {
    db.run(move |c| {
        let h = household::by_secret(c, &secret)?;
        let centre = centres::get(c, h.centre_id)?;
        Ok((centre, household::family(c, h)?))
    })
    .await
}

/// `GET /preinscription/foyer/{secret}`: the family's page.
async fn family_page(
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let secret = path.into_inner();
    let (centre, family) = open_family(&db, secret.clone()).await?;
    let (hid, cid) = (family.household.id, centre.id);
    let (open, sent) = db
        .run(move |c| {
            let open = activities::of_centre(c, cid, true)?;
            let mut sent = Vec::new();
            for r in requests::of_household(c, hid)? {
                let activity = activities::get(c, cid, r.activity_id)?;
                sent.push((
                    activity.title,
                    requests::status_label(&r.status),
                    requests::euros(r.total_cents),
                    time::format_paris(r.created_at),
                    r.id,
                    r.status != "annulee",
                ));
            }
            Ok((open, sent))
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Votre foyer");
    ctx.insert("centre", &centre);
    ctx.insert("family", &family);
    ctx.insert(
        "scheme",
        csc_members::scheme_label(&family.household.scheme),
    );
    ctx.insert("secret", &secret);
    ctx.insert("activities", &activity_views(&open));
    ctx.insert("sent", &sent);
    render(&req, "preinscription/family.html", ctx)
}

/// Everything the choice form needs.
struct Offer {
    centre: Centre,
    family: Family,
    activity: Activity,
    candidates: Vec<Candidate>,
    already: Vec<(i64, chrono::NaiveDate)>,
    grid: csc_pricing::Grid,
}

async fn load_offer(db: &Db, secret: String, activity_id: i64) -> Result<Offer, AppError> {
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
struct DayView {
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
async fn choice_form(
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
async fn choice_post(
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
        .run(move |c| {
            let sent = requests::send(c, &family.household, &activity, &priced)?;
            let request = requests::by_secret(c, &sent.secret)?;
            let doc = summary::load(c, request, false)?;
            let pdf = summary::pdf(&doc)?;
            let link = format!(
                "{}/preinscription/demande/{}",
                mailer.base_url(),
                sent.secret
            );
            if let Some(to) = family.contact().and_then(|a| Email::parse(&a.email).ok()) {
                let mut mctx = Context::new();
                mctx.insert("centre", &centre);
                mctx.insert("doc", &doc);
                mctx.insert("link", &link);
                mailer.enqueue(
                    c,
                    &to,
                    "preinscription/demande",
                    &mctx,
                    &[Attachment {
                        filename: format!("preinscription-{}.pdf", doc.request.id),
                        content_type: "application/pdf".into(),
                        data: pdf,
                    }],
                )?;
            }
            Ok(sent)
        })
        .await;
    match sent {
        Ok(sent) => {
            let secure = csc_web::render::ui(&req)?.secure_cookies;
            let message = if sent.waiting == 0 {
                "Votre demande est envoyée : une place est réservée pour chaque jour. Le centre va la valider.".to_string()
            } else {
                format!(
                    "Votre demande est envoyée. {} jour(s) réservé(s), {} jour(s) sur liste d'attente : vous serez prévenu(e) par e-mail si une place se libère.",
                    sent.placed, sent.waiting
                )
            };
            Ok(flash::redirect(
                &format!("/preinscription/demande/{}", sent.secret),
                "succes",
                &message,
                secure,
            ))
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

/// `GET /preinscription/demande/{secret}`: the request, its days and their state.
async fn request_page(
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let secret = path.into_inner();
    let doc = db
        .run(move |c| {
            let request = requests::by_secret(c, &secret)?;
            summary::load(c, request, false)
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", &format!("Votre demande n° {}", doc.request.id));
    ctx.insert("doc", &doc);
    ctx.insert(
        "secret",
        &req.match_info().get("secret").unwrap_or_default(),
    );
    render(&req, "preinscription/request.html", ctx)
}

/// The cancel form: one day (`line`), or the whole request.
#[derive(Debug, serde::Deserialize)]
struct CancelForm {
    #[serde(default)]
    line: Option<i64>,
}

/// `POST /preinscription/demande/{secret}/annuler`.
async fn request_cancel(
    req: HttpRequest,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<String>,
    form: web::Form<CancelForm>,
) -> Result<HttpResponse, AppError> {
    let secret = path.into_inner();
    let line = form.into_inner().line;
    let mailer = mailer.into_inner();
    let still_open = db
        .run(move |c| {
            let request = requests::by_secret(c, &secret)?;
            let only = line.map(|l| vec![l]);
            if let Some(ids) = &only {
                let mine = requests::lines(c, request.id)?
                    .iter()
                    .any(|x| x.id == ids[0] && x.state != "annulee");
                if !mine {
                    return Err(AppError::NotFound);
                }
            }
            let promoted = requests::cancel_days(c, request.id, only.as_deref())?;
            crate::notify::place_freed(c, &mailer, &promoted)?;
            Ok(requests::by_secret(c, &secret).ok().map(|_| secret))
        })
        .await?;
    let secure = csc_web::render::ui(&req)?.secure_cookies;
    Ok(match still_open {
        Some(secret) => flash::redirect(
            &format!("/preinscription/demande/{secret}"),
            "succes",
            "Ce jour est annulé : la place est rendue au centre.",
            secure,
        ),
        None => flash::redirect(
            "/preinscription",
            "succes",
            "Votre demande est annulée. Son lien ne fonctionne plus.",
            secure,
        ),
    })
}

/// `GET /preinscription/demande/{secret}/recapitulatif.pdf`.
async fn request_pdf(db: web::Data<Db>, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let secret = path.into_inner();
    let (id, pdf) = db
        .run(move |c| {
            let request = requests::by_secret(c, &secret)?;
            let doc = summary::load(c, request, false)?;
            Ok((doc.request.id, summary::pdf(&doc)?))
        })
        .await?;
    Ok(summary::pdf_response(id, pdf))
}

/// `GET /preinscription/foyer/{secret}/donnees.json`: what the centre keeps about the family.
async fn family_data(db: web::Data<Db>, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let secret = path.into_inner();
    let data = db
        .run(move |c| {
            let h = household::by_secret(c, &secret)?;
            rgpd::export(c, h.id, h.centre_id)
        })
        .await?;
    let json = serde_json::to_string_pretty(&data).map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"mes-donnees-preinscription.json\"",
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(json))
}

/// The deletion form: the family confirms.
#[derive(Debug, serde::Deserialize)]
struct EraseForm {
    #[serde(default)]
    confirm: String,
}

/// `POST /preinscription/foyer/{secret}/supprimer`: the household and its requests are deleted
/// now; their places go to the waiting list.
async fn family_erase(
    req: HttpRequest,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<String>,
    form: web::Form<EraseForm>,
) -> Result<HttpResponse, AppError> {
    let secret = path.into_inner();
    if form.confirm.is_empty() {
        let secure = csc_web::render::ui(&req)?.secure_cookies;
        return Ok(flash::redirect(
            &format!("/preinscription/foyer/{secret}#donnees"),
            "erreur",
            "Cochez la case de confirmation pour supprimer les données de votre foyer.",
            secure,
        ));
    }
    let mailer = mailer.into_inner();
    db.run(move |c| {
        let h = household::by_secret(c, &secret)?;
        let promoted = rgpd::erase(c, h.id)?;
        crate::notify::place_freed(c, &mailer, &promoted)
    })
    .await?;
    let secure = csc_web::render::ui(&req)?.secure_cookies;
    Ok(flash::redirect(
        "/preinscription",
        "succes",
        "Les données de votre foyer et vos demandes sont supprimées. Les liens reçus par e-mail ne fonctionnent plus.",
        secure,
    ))
}
