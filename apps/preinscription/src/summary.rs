//! A request as one document: the family's and the reception's page, its PDF summary and mails.

use actix_web::HttpResponse;
use csc_auth::centres::{self, Centre};
use csc_core::{time, AppError};
use csc_db::DbConn;
use csc_members::{household, Family};
use serde::Serialize;

use crate::activities::{self, Activity};
use crate::requests::{self, LineView, Request};

/// A child as the document shows them (health only in the staff's version).
#[derive(Debug, Clone, Serialize)]
pub struct ChildView {
    pub id: i64,
    pub name: String,
    pub birth: String,
    pub health: String,
}

/// A membership with its fee in euros, and whether the reception may still validate it.
#[derive(Debug, Clone, Serialize)]
pub struct MembershipView {
    #[serde(flatten)]
    pub membership: csc_members::Membership,
    pub fee: String,
    pub to_validate: bool,
}

/// A request with everything needed to show it.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub request: Request,
    pub centre: Centre,
    pub activity: Activity,
    pub family: Family,
    pub family_name: String,
    pub children: Vec<ChildView>,
    pub lines: Vec<LineView>,
    /// The household's memberships with their fee in euros.
    pub memberships: Vec<MembershipView>,
    /// How each child's prices were found, once per child and explanation.
    pub explanations: Vec<String>,
    pub status_label: &'static str,
    /// The reception may still validate it (sent, not yet decided).
    pub can_validate: bool,
    /// The reception may still decide on it (refuse, wait-list).
    pub can_decide: bool,
    /// Refused: the family can no longer change it.
    pub refused: bool,
    pub placed: usize,
    pub waiting: usize,
    pub total: String,
    pub sent: String,
    /// The staff's version (health information shown).
    pub for_staff: bool,
}

/// Loads a request's document; `for_staff` adds the children's health information.
pub fn load(conn: &mut DbConn, request: Request, for_staff: bool) -> Result<Summary, AppError> {
    let centre = centres::get(conn, request.centre_id)?;
    let activity = activities::get(conn, request.centre_id, request.activity_id)?;
    let groups = activities::groups(conn, activity.id)?;
    let h = household::get(conn, request.centre_id, request.household_id)?;
    let family = household::family(conn, h)?;
    let lines = requests::lines(conn, request.id)?;
    let views = requests::line_views(&lines, &family.children, &groups);
    let children = family
        .children
        .iter()
        .filter(|c| lines.iter().any(|l| l.child_id == c.id))
        .map(|c| ChildView {
            id: c.id,
            name: format!("{} {}", c.first_name, c.last_name),
            birth: c.birth_date.format("%d/%m/%Y").to_string(),
            health: if for_staff {
                c.health.clone()
            } else {
                String::new()
            },
        })
        .collect();
    let mut explanations: Vec<String> = Vec::new();
    for l in views.iter().filter(|l| l.active) {
        let text = format!("{} : {}", l.child, l.explanation);
        if !explanations.contains(&text) {
            explanations.push(text);
        }
    }
    let memberships = family
        .memberships
        .iter()
        .map(|m| MembershipView {
            membership: m.clone(),
            fee: requests::euros(m.fee_cents),
            to_validate: m.status == csc_members::MembershipStatus::Asked,
        })
        .collect();
    Ok(Summary {
        memberships,
        explanations,
        status_label: request.status.label(),
        can_validate: request.status == requests::RequestStatus::Sent,
        can_decide: request.status.is_open(),
        refused: request.status == requests::RequestStatus::Refused,
        placed: lines
            .iter()
            .filter(|l| l.state == requests::DayState::Placed)
            .count(),
        waiting: lines
            .iter()
            .filter(|l| l.state == requests::DayState::Waiting)
            .count(),
        total: requests::euros(request.total_cents),
        sent: time::format_paris(request.created_at),
        family_name: family.name(),
        centre,
        activity,
        family,
        children,
        lines: views,
        request,
        for_staff,
    })
}

/// The PDF summary (A4): the family's copy, or the reception's with health information.
pub fn pdf(s: &Summary) -> Result<Vec<u8>, AppError> {
    use csc_documents::pdf::{Align, Document};
    let mut doc = Document::new(format!("Demande de pré-inscription n° {}", s.request.id));
    doc.subtitle(format!(
        "{} — {} {} {}",
        s.centre.name, s.centre.address, s.centre.postcode, s.centre.city
    ));
    doc.key_values(&[
        ("Activité", s.activity.title.as_str()),
        ("Famille", s.family_name.as_str()),
        ("Envoyée le", s.sent.as_str()),
        ("État", s.status_label),
        ("Total des jours demandés", s.total.as_str()),
    ]);
    doc.heading("Enfants");
    for c in &s.children {
        let mut line = format!("{}, né(e) le {}", c.name, c.birth);
        if s.for_staff && !c.health.is_empty() {
            line.push_str(&format!(" — Santé : {}", c.health));
        }
        doc.paragraph(&line);
    }
    doc.heading("Jours demandés");
    let rows: Vec<Vec<String>> = s
        .lines
        .iter()
        .map(|l| {
            vec![
                l.child.clone(),
                l.day.clone(),
                l.unit.to_string(),
                l.state.label().to_string(),
                l.price.clone(),
            ]
        })
        .collect();
    doc.table(
        &["Enfant", "Jour", "Formule", "État", "Prix"],
        &rows,
        &[
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
        ],
    );
    doc.heading("Comment le prix est calculé");
    for text in &s.explanations {
        doc.paragraph(text);
    }
    doc.small(format!(
        "Vos données sont traitées par {} pour gérer l'adhésion et les inscriptions de vos enfants. \
         Elles sont effacées au plus tard deux ans après votre dernière demande. Vous pouvez les \
         consulter, les corriger ou demander leur effacement auprès de l'accueil du centre.",
        s.centre.name
    ));
    doc.render()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("summary PDF: {e}")))
}

/// A PDF download.
pub fn pdf_response(id: i64, pdf: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"preinscription-{id}.pdf\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(pdf)
}
