//! The daily digest: once a day, the accompagnateurs of every referenced structure get one mail
//! listing the words asked for since the last digest (never a mail per request).

use chrono::NaiveDateTime;
use csc_core::{time, AppError, Role};
use csc_db::DbConn;
use csc_mail::Mailer;
use diesel::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::requests::{Request, RequestStatus};
use crate::schema::{glossaire_digests as g, glossaire_requests as r};

/// The mail's topic, that each accompagnateur may turn off on « Mon compte ».
pub const TOPIC: csc_web::services::Topic = csc_web::services::Topic {
    key: "glossaire.demandes-du-jour",
    label: "Les mots demandés au glossaire (un résumé par jour au plus)",
    roles: &[Role::Accompagnateur],
};

#[derive(Serialize)]
struct Line {
    text: String,
    times: i64,
    lexicon: String,
}

/// Sends the digest of `now`'s day (Paris time) unless one was sent that day or nothing new was
/// asked; returns how many mails were queued.
pub fn send(conn: &mut DbConn, mailer: &Mailer, now: NaiveDateTime) -> Result<usize, AppError> {
    let day = time::to_paris(now).date();
    let done: Option<chrono::NaiveDate> =
        g::table.find(day).select(g::day).first(conn).optional()?;
    if done.is_some() {
        return Ok(0);
    }
    let fresh: Vec<Request> = r::table
        .filter(r::digested_at.is_null())
        .filter(r::status.ne(RequestStatus::Answered))
        .select(Request::as_select())
        .order((r::times.desc(), r::text))
        .load(conn)?;
    if fresh.is_empty() {
        return Ok(0);
    }
    let lexicons = crate::entries::lexicons(conn)?;
    let lines: Vec<Line> = fresh
        .iter()
        .map(|q| Line {
            text: q.text.clone(),
            times: q.times,
            lexicon: lexicons
                .iter()
                .find(|x| x.id == q.lexicon_id)
                .map(|x| x.name.clone())
                .unwrap_or_default(),
        })
        .collect();
    let mut to: Vec<(csc_core::Email, String)> = Vec::new();
    for s in crate::workshops::structures(conn)? {
        for (email, name) in
            csc_auth::notifications::recipients(conn, s.centre_id, TOPIC.roles, TOPIC.key)?
        {
            if !to.iter().any(|(e, _)| e == &email) {
                to.push((email, name));
            }
        }
    }
    let link = format!("{}{}/atelier", mailer.base_url(), crate::MOUNT);
    for (email, name) in &to {
        let mut ctx = Context::new();
        ctx.insert("name", name);
        ctx.insert("lines", &lines);
        ctx.insert("link", &link);
        ctx.insert("account", &format!("{}/mon-compte", mailer.base_url()));
        mailer.enqueue(conn, email, "glossaire/demandes", &ctx, &[])?;
    }
    let ids: Vec<i64> = fresh.iter().map(|q| q.id).collect();
    diesel::update(r::table.filter(r::id.eq_any(&ids)))
        .set(r::digested_at.eq(Some(now)))
        .execute(conn)?;
    diesel::insert_into(g::table)
        .values((
            g::day.eq(day),
            g::requests.eq(i64::try_from(ids.len()).unwrap_or(i64::MAX)),
            g::sent_at.eq(now),
        ))
        .execute(conn)?;
    Ok(to.len())
}
