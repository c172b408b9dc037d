//! Mails to families when their request changes.

use csc_core::{AppError, Email};
use csc_db::DbConn;
use csc_mail::Mailer;
use tera::Context;

use crate::requests::{self, Request};
use crate::summary;

fn send(
    conn: &mut DbConn,
    mailer: &Mailer,
    request: Request,
    template: &str,
) -> Result<(), AppError> {
    let doc = summary::load(conn, request, false)?;
    let Some(to) = doc
        .family
        .contact()
        .and_then(|a| Email::parse(&a.email).ok())
    else {
        return Ok(());
    };
    let mut ctx = Context::new();
    ctx.insert("doc", &doc);
    ctx.insert("centre", &doc.centre);
    mailer.enqueue(conn, &to, template, &ctx, &[])?;
    Ok(())
}

/// Tells each family whose waiting child got a freed place.
pub fn place_freed(
    conn: &mut DbConn,
    mailer: &Mailer,
    request_ids: &[i64],
) -> Result<(), AppError> {
    for id in request_ids {
        let request: Request = requests::get_any(conn, *id)?;
        send(conn, mailer, request, "preinscription/place")?;
    }
    Ok(())
}

/// Tells the family the reception's decision.
pub fn status_changed(
    conn: &mut DbConn,
    mailer: &Mailer,
    request: Request,
) -> Result<(), AppError> {
    send(conn, mailer, request, "preinscription/statut")
}
