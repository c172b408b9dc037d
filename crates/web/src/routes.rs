//! The route registry: every route is declared with who may use it, and registered through the
//! same call, so no route exists without a declared access. The declarations are what the
//! authorization-matrix test requests, as every role, and checks against the answers.

use actix_web::web::{self, ServiceConfig};
use actix_web::{FromRequest, Handler, Responder};
use csc_core::Role;

/// Who may use a route. The handler enforces it; the matrix test proves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Anyone holding the secret in the path (a family's link, a kiosk's address): without it,
    /// the page is not found.
    Secret,
    /// Any signed-in account.
    SignedIn,
    /// The staff holding one of these roles in the centre named by the path's `{centre}`
    /// (federation admins hold every role); a route without `{centre}` lists what the user's
    /// centres hold, so any of these roles in any centre opens it.
    Staff(&'static [Role]),
    /// Federation administrators only.
    Admin,
}

/// An HTTP method of a declared route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verb {
    Get,
    Post,
    Delete,
}

impl Verb {
    fn route(self) -> actix_web::Route {
        use actix_web::guard;
        match self {
            // A HEAD is answered as the GET, without its body (link checkers, monitors).
            Verb::Get => web::route().guard(guard::Any(guard::Get()).or(guard::Head())),
            Verb::Post => web::post(),
            Verb::Delete => web::delete(),
        }
    }

    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Delete => "DELETE",
        }
    }
}

/// One declared route, relative to its app's mount (or to `/` for the shared pages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub verb: Verb,
    pub path: String,
    pub access: Access,
}

/// Declares routes and, when built over a `ServiceConfig`, registers them.
pub struct Routes<'a> {
    cfg: Option<&'a mut ServiceConfig>,
    declared: Vec<Declared>,
}

impl<'a> Routes<'a> {
    /// Registers every route declared on it in `cfg`.
    pub fn new(cfg: &'a mut ServiceConfig) -> Self {
        Self {
            cfg: Some(cfg),
            declared: Vec::new(),
        }
    }

    /// The declarations of `routes`, without registering anything (the matrix test).
    pub fn declared(routes: impl FnOnce(&mut Routes)) -> Vec<Declared> {
        let mut r = Routes {
            cfg: None,
            declared: Vec::new(),
        };
        routes(&mut r);
        r.declared
    }

    /// A route with its access.
    pub fn route<F, Args>(
        &mut self,
        verb: Verb,
        path: impl Into<String>,
        access: Access,
        handler: F,
    ) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let path = path.into();
        if let Some(cfg) = self.cfg.as_deref_mut() {
            cfg.route(&path, verb.route().to(handler));
        }
        self.declared.push(Declared { verb, path, access });
        self
    }

    /// `GET path`.
    pub fn get<F, Args>(&mut self, path: impl Into<String>, access: Access, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.route(Verb::Get, path, access, handler)
    }

    /// `POST path`.
    pub fn post<F, Args>(
        &mut self,
        path: impl Into<String>,
        access: Access,
        handler: F,
    ) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.route(Verb::Post, path, access, handler)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(r: &mut Routes) {
        r.get("/a", Access::Public, || async { "a" }).post(
            "/b/{centre}",
            Access::Staff(&[Role::Referent]),
            || async { "b" },
        );
    }

    #[test]
    fn declarations_are_read_without_registering() {
        let d = Routes::declared(sample);
        assert_eq!(d.len(), 2);
        assert_eq!(d[1].verb.as_str(), "POST");
        assert_eq!(d[1].path, "/b/{centre}");
        assert_eq!(d[1].access, Access::Staff(&[Role::Referent]));
    }
}
