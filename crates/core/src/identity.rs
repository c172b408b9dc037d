//! Who is making a request: the signed-in user, their roles per centre, and access checks.

use serde::Serialize;

use crate::AppError;

/// A role a user holds in one centre. Federation administrators are flagged on the user instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Runs the centre's services and reads its statistics.
    Referent,
    /// Reception staff.
    Accueil,
    /// Activity leader.
    Animateur,
    /// Resident or parent.
    Habitant,
    /// Child or young contributor to the glossary (first name only).
    Contributeur,
    /// Adult who accompanies and validates contributions.
    Accompagnateur,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 6] = [
        Role::Referent,
        Role::Accueil,
        Role::Animateur,
        Role::Habitant,
        Role::Contributeur,
        Role::Accompagnateur,
    ];

    /// The stored code of the role.
    pub fn code(self) -> &'static str {
        match self {
            Role::Referent => "referent",
            Role::Accueil => "accueil",
            Role::Animateur => "animateur",
            Role::Habitant => "habitant",
            Role::Contributeur => "contributeur",
            Role::Accompagnateur => "accompagnateur",
        }
    }

    /// The French label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Role::Referent => "Référent·e du centre",
            Role::Accueil => "Accueil",
            Role::Animateur => "Animateur·rice",
            Role::Habitant => "Habitant·e ou parent",
            Role::Contributeur => "Jeune contributeur·rice",
            Role::Accompagnateur => "Accompagnateur·rice",
        }
    }

    /// Reads a stored code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
}

impl crate::Coded for Role {
    const ALL: &'static [Self] = &Role::ALL;

    fn code(self) -> &'static str {
        Role::code(self)
    }

    fn label(self) -> &'static str {
        Role::label(self)
    }
}

/// One role in one centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CentreRole {
    pub centre_id: i64,
    pub centre_slug: String,
    pub centre_name: String,
    pub role: Role,
}

impl Serialize for CentreRole {
    /// Templates get the role's code and its French label.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("CentreRole", 5)?;
        st.serialize_field("centre_id", &self.centre_id)?;
        st.serialize_field("centre_slug", &self.centre_slug)?;
        st.serialize_field("centre_name", &self.centre_name)?;
        st.serialize_field("role", &self.role)?;
        st.serialize_field("role_label", self.role.label())?;
        st.end()
    }
}

/// The signed-in user, as the session middleware puts it in the request.
#[derive(Debug, Clone, Serialize)]
pub struct Identity {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub roles: Vec<CentreRole>,
    /// The id (`jti`) of the session token this request came with.
    #[serde(skip)]
    pub session_id: String,
}

impl Identity {
    /// True when the user holds `role` in `centre_id`, or is a federation administrator.
    pub fn has_role(&self, centre_id: i64, role: Role) -> bool {
        self.is_admin
            || self
                .roles
                .iter()
                .any(|r| r.centre_id == centre_id && r.role == role)
    }

    /// True when the user holds any of `roles` in `centre_id` (administrators always do).
    pub fn has_any_role(&self, centre_id: i64, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has_role(centre_id, *r))
    }

    /// Forbidden unless the user holds one of `roles` in `centre_id`.
    pub fn require_role(&self, centre_id: i64, roles: &[Role]) -> Result<(), AppError> {
        if self.has_any_role(centre_id, roles) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Forbidden unless the user is a federation administrator.
    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.is_admin {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The centres where the user holds one of `roles`, as (id, name), each once (not expanded
    /// for administrators).
    pub fn centres_with_any(&self, roles: &[Role]) -> Vec<(i64, &str)> {
        let mut out: Vec<(i64, &str)> = Vec::new();
        for r in self.roles.iter().filter(|r| roles.contains(&r.role)) {
            if !out.iter().any(|(id, _)| *id == r.centre_id) {
                out.push((r.centre_id, r.centre_name.as_str()));
            }
        }
        out
    }

    /// The centres where the user holds `role` (not expanded for administrators).
    pub fn centres_with(&self, role: Role) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .roles
            .iter()
            .filter(|r| r.role == role)
            .map(|r| r.centre_id)
            .collect();
        ids.dedup();
        ids
    }

    /// The first centre the user belongs to, used as their home centre.
    pub fn home_centre(&self) -> Option<&CentreRole> {
        self.roles.first()
    }
}

/// Extracting an `Identity` is the "signed in" check: a visitor without a valid session gets
/// 401 (a redirect to the sign-in page for pages, JSON under `/api`).
#[cfg(feature = "http")]
impl actix_web::FromRequest for Identity {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        use actix_web::HttpMessage;
        std::future::ready(
            req.extensions()
                .get::<Identity>()
                .cloned()
                .ok_or(AppError::Unauthorized),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn referent_of(centre_id: i64) -> Identity {
        Identity {
            user_id: 1,
            email: "r@exemple.fr".into(),
            display_name: "R".into(),
            is_admin: false,
            roles: vec![CentreRole {
                centre_id,
                centre_slug: "a".into(),
                centre_name: "A".into(),
                role: Role::Referent,
            }],
            session_id: String::new(),
        }
    }

    #[test]
    fn roles_are_per_centre() {
        let id = referent_of(1);
        assert!(id.require_role(1, &[Role::Referent]).is_ok());
        assert!(id.require_role(2, &[Role::Referent]).is_err());
        assert!(id.require_role(1, &[Role::Accueil]).is_err());
        assert!(id.require_admin().is_err());
    }

    #[test]
    fn admins_hold_every_role_everywhere() {
        let mut id = referent_of(1);
        id.is_admin = true;
        assert!(id.has_role(42, Role::Accueil));
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert_eq!(Role::from_code("admin"), None);
    }
}
