//! Mails to a centre's team about new work (« une nouvelle demande de pré-inscription »): who
//! gets them, and each member's choice to turn a topic off (on by default).

use csc_core::{time, AppError, Email, Role};
use csc_db::DbConn;
use diesel::prelude::*;

use crate::schema::{notification_optouts as o, user_roles as r, users as u};

/// The active accounts holding one of `roles` in the centre that have not turned `topic` off.
pub fn recipients(
    conn: &mut DbConn,
    centre_id: i64,
    roles: &[Role],
    topic: &str,
) -> Result<Vec<(Email, String)>, AppError> {
    let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    let off = o::table
        .filter(o::topic.eq(topic.to_string()))
        .select(o::user_id);
    let rows: Vec<(String, String)> = u::table
        .inner_join(r::table)
        .filter(r::centre_id.eq(centre_id))
        .filter(r::role.eq_any(codes))
        .filter(u::active.eq(true))
        .filter(u::id.ne_all(off))
        .select((u::email, u::display_name))
        .distinct()
        .order(u::email)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(email, name)| Email::parse(&email).ok().map(|e| (e, name)))
        .collect())
}

/// The topics the user turned off.
pub fn turned_off(conn: &mut DbConn, user_id: i64) -> QueryResult<Vec<String>> {
    o::table
        .filter(o::user_id.eq(user_id))
        .select(o::topic)
        .load(conn)
}

/// Turns `topic` on (`wanted`) or off for the user.
pub fn set(conn: &mut DbConn, user_id: i64, topic: &str, wanted: bool) -> QueryResult<()> {
    let mine = o::table
        .filter(o::user_id.eq(user_id))
        .filter(o::topic.eq(topic.to_string()));
    diesel::delete(mine).execute(conn)?;
    if !wanted {
        diesel::insert_into(o::table)
            .values((
                o::user_id.eq(user_id),
                o::topic.eq(topic),
                o::created_at.eq(time::now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}
