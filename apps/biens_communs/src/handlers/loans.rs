//! The staff's lending pages (`/biens-communs/gestion/{centre}/prets`): classes and their rules,
//! items, loans (condition noted at each loan and return), renewals, the holds queue.

use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres;
use csc_core::{AppError, Identity};
use csc_db::Db;
use csc_web::flash::{self, Level};
use csc_web::render;
use csc_web::routes::{Access, Routes};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::STAFF;
use crate::lending::{self, Hold, Item, ItemClass, LendingError, Loan};
use crate::members;
use crate::schema::{bc_holds, bc_item_classes, bc_items};

pub fn routes(r: &mut Routes) {
    let staff = Access::Staff(STAFF);
    r.get("/gestion/{centre}/prets", staff, page)
        .post("/gestion/{centre}/prets/categories", staff, add_class)
        .post("/gestion/{centre}/prets/objets", staff, add_item)
        .post("/gestion/{centre}/prets/objets/{id}/preter", staff, lend)
        .post("/gestion/{centre}/prets/objets/{id}/reserver", staff, hold)
        .post("/gestion/{centre}/prets/{id}/retour", staff, give_back)
        .post("/gestion/{centre}/prets/{id}/prolonger", staff, renew)
        .post(
            "/gestion/{centre}/prets/reservations/{id}/annuler",
            staff,
            cancel_hold,
        );
}

fn here(centre: i64) -> String {
    format!("{}/gestion/{centre}/prets", crate::MOUNT)
}

#[derive(Serialize)]
struct ItemView {
    item: Item,
    class: String,
    owner: String,
    loan: Option<Loan>,
    borrower: String,
    due: String,
    late: bool,
    queue: Vec<(Hold, String)>,
}

async fn page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = centres::managed(&db, &who, path.into_inner(), STAFF).await?;
    let id = centre.id;
    let today = csc_core::time::today_paris();
    let (classes, items, people) = db
        .run(move |c| {
            let classes: Vec<ItemClass> = bc_item_classes::table
                .filter(bc_item_classes::centre_id.eq(id))
                .order(bc_item_classes::name)
                .select(ItemClass::as_select())
                .load(c)?;
            let list = members::list(c, id)?;
            let name = |m: i64| {
                list.iter()
                    .find(|r| r.member.id == m)
                    .map(|r| r.name.clone())
                    .unwrap_or_default()
            };
            let all: Vec<Item> = bc_items::table
                .filter(bc_items::centre_id.eq(id))
                .order(bc_items::name)
                .select(Item::as_select())
                .load(c)?;
            let mut items = Vec::new();
            for it in all {
                let loan = lending::current_loan(c, it.id)?;
                let queue = lending::queue(c, it.id)?
                    .into_iter()
                    .map(|h| {
                        let n = name(h.member_id);
                        (h, n)
                    })
                    .collect();
                items.push(ItemView {
                    class: classes
                        .iter()
                        .find(|k| k.id == it.class_id)
                        .map(|k| k.name.clone())
                        .unwrap_or_default(),
                    owner: it
                        .owner_member_id
                        .map_or_else(|| "le centre".to_string(), name),
                    borrower: loan.as_ref().map(|l| name(l.member_id)).unwrap_or_default(),
                    due: loan
                        .as_ref()
                        .map(|l| csc_core::time::format_date_long(l.due_on))
                        .unwrap_or_default(),
                    late: loan.as_ref().is_some_and(|l| l.due_on < today),
                    loan,
                    queue,
                    item: it,
                });
            }
            let people: Vec<_> = list
                .iter()
                .filter(|r| r.member.status == members::MemberStatus::Active)
                .map(|r| csc_web::forms::RowChoice::new(r.member.id, r.name.clone()))
                .collect();
            Ok((classes, items, people))
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Prêt de matériel");
    ctx.insert("managed", &centre);
    ctx.insert(
        "class_choices",
        &classes
            .iter()
            .map(|k| csc_web::forms::RowChoice::new(k.id, k.name.clone()))
            .collect::<Vec<_>>(),
    );
    ctx.insert("classes", &classes);
    ctx.insert("items", &items);
    ctx.insert("people", &people);
    render(&req, "biens_communs/staff_loans.html", ctx)
}

/// Ends on the lending page, with the message of what happened.
fn after(
    req: &HttpRequest,
    centre: i64,
    out: Result<Result<String, LendingError>, AppError>,
) -> Result<HttpResponse, AppError> {
    match out? {
        Ok(m) => flash::redirect_with(req, &here(centre), Level::Success, &m),
        Err(LendingError::Refused(r)) => {
            flash::redirect_with(req, &here(centre), Level::Error, &r.message())
        }
        Err(LendingError::Ledger(e)) => {
            let m = super::ledger_message(e)?;
            flash::redirect_with(req, &here(centre), Level::Error, &m)
        }
    }
}

async fn write<F>(db: &Db, f: F) -> Result<Result<String, LendingError>, AppError>
where
    F: FnOnce(&mut csc_db::DbConn) -> Result<String, LendingError> + Send + 'static,
{
    db.run(move |c| Ok(c.write_transaction(f))).await
}

#[derive(Debug, Deserialize)]
struct ClassForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    loan_days: String,
    #[serde(default)]
    renewals: String,
    #[serde(default)]
    max: String,
    #[serde(default)]
    hold_days: String,
    #[serde(default)]
    minutes: String,
}

async fn add_class(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<ClassForm>,
) -> Result<HttpResponse, AppError> {
    use csc_web::forms::{int_in, required};
    let centre = centres::managed(&db, &who, path.into_inner(), STAFF).await?;
    let f = form.into_inner();
    let parsed = (|| -> Result<ItemClass, String> {
        Ok(ItemClass {
            id: 0,
            centre_id: centre.id,
            name: required(&f.label, 80, "le nom de la catégorie")?,
            loan_days: int_in(&f.loan_days, 1..=365, "la durée du prêt (jours)")?,
            renewals_allowed: int_in(&f.renewals, 0..=10, "le nombre de prolongations")?,
            max_per_member: int_in(&f.max, 1..=50, "le maximum par membre")?,
            hold_days: int_in(&f.hold_days, 1..=60, "la durée de réservation (jours)")?,
            loan_minutes: if f.minutes.trim().is_empty() {
                0
            } else {
                crate::duration::parse(&f.minutes)?
            },
        })
    })();
    let k = match parsed {
        Ok(k) => k,
        Err(m) => return flash::redirect_with(&req, &here(centre.id), Level::Error, &m),
    };
    let out = write(&db, move |c| {
        lending::create_class(c, &k)?;
        Ok("La catégorie est ajoutée.".to_string())
    })
    .await;
    after(&req, centre.id, out)
}

#[derive(Debug, Deserialize)]
struct ItemForm {
    #[serde(default)]
    class: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    condition: String,
}

async fn add_item(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<ItemForm>,
) -> Result<HttpResponse, AppError> {
    let centre = centres::managed(&db, &who, path.into_inner(), STAFF).await?;
    let f = form.into_inner();
    let cid = centre.id;
    let (Ok(class), Ok(name)) = (
        f.class.parse::<i64>(),
        csc_web::forms::required(&f.name, 120, "le nom de l'objet"),
    ) else {
        return flash::redirect_with(
            &req,
            &here(cid),
            Level::Error,
            "Choisissez une catégorie et indiquez le nom de l'objet.",
        );
    };
    let owner = f.owner.parse::<i64>().ok();
    let condition: String = f.condition.chars().take(500).collect();
    let out = write(&db, move |c| {
        let k: i64 = bc_item_classes::table
            .find(class)
            .filter(bc_item_classes::centre_id.eq(cid))
            .select(bc_item_classes::id)
            .first(c)?;
        if let Some(o) = owner {
            members::get(c, cid, o)?;
        }
        lending::create_item(c, k, owner, &name, &condition)?;
        Ok("L'objet est ajouté.".to_string())
    })
    .await;
    after(&req, cid, out)
}

#[derive(Debug, Deserialize)]
struct MemberAction {
    #[serde(default)]
    member: String,
    #[serde(default)]
    condition: String,
}

/// The item `id`, when it is of the centre.
fn own_item(c: &mut csc_db::DbConn, centre: i64, id: i64) -> Result<Item, LendingError> {
    let it = lending::item(c, id)?;
    if it.centre_id != centre {
        return Err(LendingError::Ledger(crate::ledger::LedgerError::App(
            AppError::NotFound,
        )));
    }
    Ok(it)
}

async fn lend(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<MemberAction>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    centres::managed(&db, &who, centre_id, STAFF).await?;
    let f = form.into_inner();
    let Ok(member) = f.member.parse::<i64>() else {
        return flash::redirect_with(
            &req,
            &here(centre_id),
            Level::Error,
            "Choisissez le membre.",
        );
    };
    let by = who.user_id;
    let today = csc_core::time::today_paris();
    let out = write(&db, move |c| {
        own_item(c, centre_id, id)?;
        let loan = lending::lend(c, id, member, today, &f.condition, Some(by))?;
        let l = lending::loan(c, loan)?;
        Ok(format!(
            "Prêt enregistré : à rendre le {}.",
            csc_core::time::format_date_long(l.due_on)
        ))
    })
    .await;
    after(&req, centre_id, out)
}

async fn hold(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<MemberAction>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    centres::managed(&db, &who, centre_id, STAFF).await?;
    let Ok(member) = form.member.parse::<i64>() else {
        return flash::redirect_with(
            &req,
            &here(centre_id),
            Level::Error,
            "Choisissez le membre.",
        );
    };
    let today = csc_core::time::today_paris();
    let out = write(&db, move |c| {
        own_item(c, centre_id, id)?;
        lending::hold(c, id, member, today)?;
        Ok("Réservation enregistrée.".to_string())
    })
    .await;
    after(&req, centre_id, out)
}

/// The loan `id`, when its item is of the centre.
fn own_loan(c: &mut csc_db::DbConn, centre: i64, id: i64) -> Result<Loan, LendingError> {
    let l = lending::loan(c, id)?;
    own_item(c, centre, l.item_id)?;
    Ok(l)
}

async fn give_back(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<MemberAction>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    centres::managed(&db, &who, centre_id, STAFF).await?;
    let today = csc_core::time::today_paris();
    let condition: String = form.condition.chars().take(500).collect();
    let out = write(&db, move |c| {
        own_loan(c, centre_id, id)?;
        lending::give_back(c, id, today, &condition)?;
        Ok("Retour enregistré.".to_string())
    })
    .await;
    after(&req, centre_id, out)
}

async fn renew(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    centres::managed(&db, &who, centre_id, STAFF).await?;
    let today = csc_core::time::today_paris();
    let out = write(&db, move |c| {
        own_loan(c, centre_id, id)?;
        let due = lending::renew(c, id, today)?;
        Ok(format!(
            "Prêt prolongé : à rendre le {}.",
            csc_core::time::format_date_long(due)
        ))
    })
    .await;
    after(&req, centre_id, out)
}

async fn cancel_hold(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    centres::managed(&db, &who, centre_id, STAFF).await?;
    let today = csc_core::time::today_paris();
    let out = write(&db, move |c| {
        let h: Hold = bc_holds::table
            .find(id)
            .select(Hold::as_select())
            .first(c)?;
        own_item(c, centre_id, h.item_id)?;
        lending::cancel_hold(c, id, h.member_id, today)?;
        Ok("Réservation annulée.".to_string())
    })
    .await;
    after(&req, centre_id, out)
}
