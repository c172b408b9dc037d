//! `GET /preinscription/calcul-qf`: families work out their quotient familial the CAF way.
//! Nothing is stored: the figures only travel in the page's address.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Cents};
use csc_pricing::qf::{self, QfInput};
use csc_web::routes::{Access, Routes};
use csc_web::{render_status, FieldErrors};
use tera::Context;

pub fn routes(r: &mut Routes) {
    r.get("/calcul-qf", Access::Public, page);
}

fn count(v: &str, field: &str, e: &mut FieldErrors) -> Option<u8> {
    let v = v.trim();
    if v.is_empty() {
        return Some(0);
    }
    e.check(
        field,
        v.parse::<u8>()
            .ok()
            .filter(|n| *n <= 20)
            .ok_or_else(|| "Indiquez un nombre d'enfants entre 0 et 20.".to_string()),
    )
}

async fn page(
    req: HttpRequest,
    query: web::Query<BTreeMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let values = query.into_inner();
    let get = |k: &str| values.get(k).map_or("", String::as_str);
    let mut errors = FieldErrors::new();
    let mut result = None;
    if values.contains_key("revenus") {
        let income = errors.check("revenus", Cents::parse(get("revenus")));
        let benefits = if get("prestations").trim().is_empty() {
            Some(Cents(0))
        } else {
            errors.check("prestations", Cents::parse(get("prestations")))
        };
        let children = count(get("enfants"), "enfants", &mut errors);
        let disabled = count(get("handicap"), "handicap", &mut errors);
        if let (Some(i), Some(b), Some(c), Some(d)) = (income, benefits, children, disabled) {
            match qf::compute(&QfInput {
                yearly_taxable_income_cents: i.0,
                monthly_benefits_cents: b.0,
                children: c,
                children_with_disability: d,
            }) {
                Ok(q) => result = Some((q.value, q.parts.to_string(), q.explanation)),
                Err(err) => errors.add("revenus", err.to_string()),
            }
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut ctx = Context::new();
    ctx.insert("title", "Calculer mon quotient familial");
    ctx.insert("values", &values);
    ctx.insert("errors", &errors);
    ctx.insert("result", &result);
    render_status(&req, status, "preinscription/qf.html", ctx)
}
