//! The family's side of a request as whole actions: sending it (places, price, mail with the
//! PDF) and cancelling days of it (freed places handed on, families told). Each runs inside the
//! caller's write transaction, so the rows and the mails are saved together or not at all.

use csc_auth::centres::Centre;
use csc_core::{AppError, Email};
use csc_db::DbConn;
use csc_mail::{Attachment, Mailer};
use csc_members::Family;
use tera::Context;

use super::{by_secret, cancel_days, lines, send, DayState, Priced, Sent};
use crate::activities::Activity;
use crate::{notify, summary};

/// Sends the family's request: each day takes a place or joins the waiting list, and the family
/// gets the mail with its private link and the PDF summary.
pub fn submit(
    conn: &mut DbConn,
    mailer: &Mailer,
    centre: &Centre,
    family: &Family,
    activity: &Activity,
    priced: &Priced,
) -> Result<Sent, AppError> {
    let sent = send(conn, &family.household, activity, priced)?;
    let request = by_secret(conn, &sent.secret)?;
    let doc = summary::load(conn, request, false)?;
    let pdf = summary::pdf(&doc)?;
    let link = format!(
        "{}{}/demande/{}",
        mailer.base_url(),
        crate::MOUNT,
        sent.secret
    );
    notify::reception(conn, mailer, &doc)?;
    if let Some(to) = family.contact().and_then(|a| Email::parse(&a.email).ok()) {
        let mut ctx = Context::new();
        ctx.insert("centre", centre);
        ctx.insert("doc", &doc);
        ctx.insert("link", &link);
        mailer.enqueue(
            conn,
            &to,
            "preinscription/demande",
            &ctx,
            &[Attachment {
                filename: format!("preinscription-{}.pdf", doc.request.id),
                content_type: "application/pdf".into(),
                data: pdf,
            }],
        )?;
    }
    Ok(sent)
}

/// The family cancels one day of its request (`line`), or all of it: the places go to the
/// children waiting, whose families are told. Returns whether the request is still open.
pub fn cancel_by_family(
    conn: &mut DbConn,
    mailer: &Mailer,
    secret: &str,
    line: Option<i64>,
) -> Result<bool, AppError> {
    let request = by_secret(conn, secret)?;
    let only = line.map(|l| vec![l]);
    if let Some(ids) = &only {
        let mine = lines(conn, request.id)?
            .iter()
            .any(|x| x.id == ids[0] && x.state != DayState::Cancelled);
        if !mine {
            return Err(AppError::NotFound);
        }
    }
    let promoted = cancel_days(conn, request.id, only.as_deref())?;
    notify::seat_freed(conn, mailer, &promoted)?;
    Ok(by_secret(conn, secret).is_ok())
}
