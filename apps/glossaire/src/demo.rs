//! Demo data of `csc demo`: two structures (the demo centre and another one), a workshop of
//! three young contributors whose ~60 digital words are validated and published, the Boussole's
//! lexicon « parentalité » of 30 acronyms, and a few words asked for.

use csc_core::AppError;
use csc_db::DbConn;

use crate::search::Query;
use crate::workshops::{self, AgeBand, CheckedDraft, NewContributor};
use crate::{entries, import, requests};

const DIGITAL: &str = include_str!("../data/numerique.csv");
const PARENTING: &str = include_str!("../data/parentalite.csv");

/// Adds the glossary's demo data when missing.
pub fn load(conn: &mut DbConn, centre_id: i64) -> Result<Vec<(String, String)>, AppError> {
    let shown = vec![
        (
            "Glossaire du numérique".to_string(),
            crate::MOUNT.to_string(),
        ),
        (
            "Ateliers du glossaire (accompagnateur)".to_string(),
            format!("{}/atelier/{centre_id}", crate::MOUNT),
        ),
    ];
    if entries::lexicon_named(conn, "numérique")?.is_some() {
        return Ok(shown);
    }
    let a = workshops::reference(conn, centre_id, "Atelier du mercredi des jeunes du centre")?;
    let other = csc_auth::centres::list(conn)?
        .into_iter()
        .find(|c| c.id != centre_id);
    let b = match other {
        Some(c) => Some(workshops::reference(
            conn,
            c.id,
            "Collège partenaire, club numérique",
        )?),
        None => None,
    };
    let (digital, _) = entries::ensure_lexicon(conn, "numérique", Some(a.id))?;
    entries::ensure_lexicon(conn, "parentalité", b.as_ref().map(|s| s.id))?;
    let parenting = import::parse(PARENTING.as_bytes())
        .map_err(|e| AppError::internal(format!("demo parentalite.csv: {e:?}")))?;
    import::apply(conn, &parenting, false, None)?;

    let w = diesel_workshop(conn, a.id)?;
    let kids = [
        ("Inès", "K", AgeBand::From11To14, true),
        ("Yanis", "B", AgeBand::From11To14, false),
        ("Maëlle", "D", AgeBand::From15To17, false),
    ]
    .into_iter()
    .map(|(first_name, initial, age_band, authorised)| {
        workshops::add_contributor(
            conn,
            w,
            &NewContributor {
                first_name: first_name.into(),
                initial: initial.into(),
                age_band,
                authorised,
            },
        )
        .map(|c| c.id)
    })
    .collect::<Result<Vec<_>, _>>()?;
    let lines = import::parse(DIGITAL.as_bytes())
        .map_err(|e| AppError::internal(format!("demo numerique.csv: {e:?}")))?;
    for (i, line) in lines.iter().enumerate() {
        let draft = workshops::create_draft(
            conn,
            w,
            &CheckedDraft {
                lexicon_id: digital.id,
                request_id: None,
                term: line.term.clone(),
                aliases: line.aliases.join(", "),
                word_class: line.word_class.clone(),
                definition: line.definition.clone(),
                example: line.example.clone(),
                related: String::new(),
                category: line.category.clone(),
                authors: vec![kids[i % 3], kids[(i + 1) % 3]],
            },
        )?;
        workshops::validate(conn, &a, w, draft.id, None)?;
    }
    for word in ["streaming", "bidouille", "Bidouillé", "podcast"] {
        if let Ok(q) = Query::parse(word) {
            requests::ask(conn, digital.id, &q)?;
        }
    }
    Ok(shown)
}

fn diesel_workshop(conn: &mut DbConn, structure: i64) -> Result<i64, AppError> {
    use crate::schema::glossaire_workshops as ws;
    use diesel::prelude::*;
    diesel::insert_into(ws::table)
        .values((
            ws::structure_id.eq(structure),
            ws::title.eq("Les profs du mercredi"),
            ws::leader_id.eq(None::<i64>),
            ws::created_at.eq(csc_core::time::now()),
        ))
        .execute(conn)?;
    Ok(ws::table
        .filter(ws::structure_id.eq(structure))
        .select(ws::id)
        .order(ws::id.desc())
        .first(conn)?)
}
