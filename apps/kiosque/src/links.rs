//! Link health: every address of the catalogue and of the centres' local links is checked with a
//! timeout; broken ones are shown to admins and referents.

use std::time::Duration;

use chrono::NaiveDateTime;
use csc_core::time;
use csc_db::{Db, DbConn};
use diesel::prelude::*;
use futures_util::StreamExt;
use serde::Serialize;

use crate::schema::{
    kiosque_link_checks as lc, kiosque_local_links as ll, kiosque_procedures as p,
};

/// How many addresses are checked at once.
const CONCURRENCY: usize = 8;

/// The result of checking one address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub ok: bool,
    pub status: Option<i32>,
    /// In French, for the report.
    pub detail: String,
}

/// A broken address and what uses it.
#[derive(Debug, Clone, Serialize)]
pub struct Broken {
    pub title: String,
    pub url: String,
    pub detail: String,
    pub checked_at: String,
    /// Set for a centre's local link.
    pub centre_id: Option<i64>,
    pub procedure_id: Option<i64>,
}

/// Figures of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub checked: usize,
    pub broken: usize,
}

/// The HTTP client of the checker: a timeout, at most 5 redirects, a clear user agent.
pub fn client(timeout: Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent("CentresSociauxConnectes-verification-des-liens/1.0")
        .build()
}

fn describe(status: reqwest::StatusCode) -> String {
    match status.as_u16() {
        404 | 410 => format!("Page introuvable (erreur {})", status.as_u16()),
        401 | 403 => format!("Accès refusé par le site (erreur {})", status.as_u16()),
        500..=599 => format!("Le site est en panne (erreur {})", status.as_u16()),
        n => format!("Réponse inattendue du site (code {n})"),
    }
}

/// Checks one address: `HEAD` first, `GET` when the site does not answer `HEAD` properly.
pub async fn check(client: &reqwest::Client, url: &str) -> Outcome {
    let mut res = client.head(url).send().await;
    if let Ok(r) = &res {
        if !r.status().is_success() {
            res = client.get(url).send().await;
        }
    }
    match res {
        Ok(r) if r.status().is_success() => Outcome {
            ok: true,
            status: Some(i32::from(r.status().as_u16())),
            detail: "Le site répond.".into(),
        },
        Ok(r) => Outcome {
            ok: false,
            status: Some(i32::from(r.status().as_u16())),
            detail: describe(r.status()),
        },
        Err(e) if e.is_timeout() => Outcome {
            ok: false,
            status: None,
            detail: "Le site n'a pas répondu à temps.".into(),
        },
        Err(e) if e.is_redirect() => Outcome {
            ok: false,
            status: None,
            detail: "Le site renvoie vers trop d'autres pages.".into(),
        },
        Err(_) => Outcome {
            ok: false,
            status: None,
            detail: "Le site est injoignable (adresse inconnue ou connexion refusée).".into(),
        },
    }
}

/// Every address in use: the active procedures and the local links.
fn addresses(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    let mut urls: Vec<String> = p::table
        .filter(p::active.eq(true))
        .select(p::url)
        .load(conn)?;
    urls.extend(ll::table.select(ll::url).load::<String>(conn)?);
    urls.sort();
    urls.dedup();
    Ok(urls)
}

fn store(conn: &mut DbConn, results: &[(String, Outcome)], in_use: &[String]) -> QueryResult<()> {
    let now = time::now();
    conn.write_transaction(|conn| {
        diesel::delete(lc::table.filter(lc::url.ne_all(in_use))).execute(conn)?;
        for (url, o) in results {
            diesel::delete(lc::table.find(url)).execute(conn)?;
            diesel::insert_into(lc::table)
                .values((
                    lc::url.eq(url),
                    lc::ok.eq(o.ok),
                    lc::status.eq(o.status),
                    lc::detail.eq(&o.detail),
                    lc::checked_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// Checks every address in use and records the results.
pub async fn check_all(db: &Db, timeout: Duration) -> anyhow::Result<Summary> {
    let urls = db.run(|c| Ok(addresses(c)?)).await?;
    let client = client(timeout)?;
    let results: Vec<(String, Outcome)> = futures_util::stream::iter(urls.clone())
        .map(|url| {
            let client = client.clone();
            async move {
                let outcome = check(&client, &url).await;
                (url, outcome)
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let summary = Summary {
        checked: results.len(),
        broken: results.iter().filter(|(_, o)| !o.ok).count(),
    };
    db.run(move |c| Ok(store(c, &results, &urls)?)).await?;
    Ok(summary)
}

/// When the last check ran, if ever.
pub fn last_run(conn: &mut DbConn) -> QueryResult<Option<NaiveDateTime>> {
    lc::table
        .select(diesel::dsl::max(lc::checked_at))
        .first(conn)
}

/// Broken addresses of the catalogue, and of one centre's local links (or of every centre's).
pub fn broken(conn: &mut DbConn, centre: Option<i64>) -> QueryResult<Vec<Broken>> {
    let bad: Vec<(String, String, NaiveDateTime)> = lc::table
        .filter(lc::ok.eq(false))
        .select((lc::url, lc::detail, lc::checked_at))
        .load(conn)?;
    let mut out = Vec::new();
    for (url, detail, at) in bad {
        let procs: Vec<(i64, String)> = p::table
            .filter(p::url.eq(&url))
            .filter(p::active.eq(true))
            .select((p::id, p::title))
            .load(conn)?;
        for (id, title) in procs {
            out.push(Broken {
                title,
                url: url.clone(),
                detail: detail.clone(),
                checked_at: time::format_paris(at),
                centre_id: None,
                procedure_id: Some(id),
            });
        }
        let mut q = ll::table.filter(ll::url.eq(&url)).into_boxed();
        if let Some(c) = centre {
            q = q.filter(ll::centre_id.eq(c));
        }
        for (centre_id, title) in q
            .select((ll::centre_id, ll::title))
            .load::<(i64, String)>(conn)?
        {
            out.push(Broken {
                title,
                url: url.clone(),
                detail: detail.clone(),
                checked_at: time::format_paris(at),
                centre_id: Some(centre_id),
                procedure_id: None,
            });
        }
    }
    out.sort_by(|a, b| a.title.cmp(&b.title));
    Ok(out)
}
