//! Mails to families when their request changes.

use csc_core::{AppError, Email};
use csc_db::DbConn;
use csc_mail::Mailer;
use tera::Context;

use crate::requests::{self, Request};
use crate::summary::{self, Summary};

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
pub fn seat_freed(conn: &mut DbConn, mailer: &Mailer, request_ids: &[i64]) -> Result<(), AppError> {
    for id in request_ids {
        let request: Request = requests::get_any(conn, *id)?;
        send(conn, mailer, request, "preinscription/place")?;
    }
    Ok(())
}

/// Tells the centre's reception of a new request (those who did not turn it off), with the
/// link to its page.
pub fn reception(conn: &mut DbConn, mailer: &Mailer, doc: &Summary) -> Result<(), AppError> {
    let to = csc_auth::notifications::recipients(
        conn,
        doc.centre.id,
        &crate::RECEPTION,
        crate::NEW_REQUEST.key,
    )?;
    let link = format!(
        "{}{}/gestion/{}/demandes/{}",
        mailer.base_url(),
        crate::MOUNT,
        doc.centre.id,
        doc.request.id
    );
    for (email, name) in to {
        let mut ctx = Context::new();
        ctx.insert("name", &name);
        ctx.insert("doc", doc);
        ctx.insert("link", &link);
        ctx.insert("account", &format!("{}/mon-compte", mailer.base_url()));
        mailer.enqueue(conn, &email, "preinscription/nouvelle", &ctx, &[])?;
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
