//! Rendering pages in the shared layout: one helper injects the user, navigation, CSRF token and
//! flash message into every page.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use csc_core::{AppError, Identity};
use include_dir::Dir;
use serde::Serialize;
use tera::{Context, Tera};

use crate::services::ServiceInfo;
use crate::{csrf, flash};

/// Facts about the instance shown in the layout and legal pages.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    pub operator_name: String,
    pub operator_address: String,
    pub operator_email: String,
    pub public_url: String,
}

/// The mount of the app a request is for (`/kiosque`), registered in each app's scope: its
/// templates build their links from `{{ mount }}`.
#[derive(Debug, Clone, Copy)]
pub struct Mount(pub &'static str);

/// Everything the renderer needs, shared by all workers.
pub struct Ui {
    tera: Tera,
    services: Vec<ServiceInfo>,
    site: Site,
    /// Cookies get the `Secure` flag (HTTPS deployments).
    pub secure_cookies: bool,
}

/// Collects every file of the given folders as templates, named by their path.
pub fn load_templates(dirs: &[&'static Dir<'static>]) -> anyhow::Result<Tera> {
    fn walk(
        dir: &'static Dir<'static>,
        out: &mut Vec<(String, &'static str)>,
    ) -> anyhow::Result<()> {
        for file in dir.files() {
            let name = file.path().to_string_lossy().replace('\\', "/");
            let body = file
                .contents_utf8()
                .ok_or_else(|| anyhow::anyhow!("template {name} is not UTF-8"))?;
            out.push((name, body));
        }
        for sub in dir.dirs() {
            walk(sub, out)?;
        }
        Ok(())
    }
    let mut all = Vec::new();
    for d in dirs {
        walk(d, &mut all)?;
    }
    let mut tera = Tera::default();
    tera.register_filter("euros", euros);
    tera.add_raw_templates(all)
        .map_err(|e| anyhow::anyhow!("templates: {e:?}"))?;
    Ok(tera)
}

/// The `euros` filter: an amount in cents shown in French, `{{ 1050 | euros }}` -> `10,50 €`
/// (as [`csc_core::Cents`] shows it).
fn euros(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let cents = value.as_i64().ok_or_else(|| {
        tera::Error::msg(format!("euros: {value} is not a whole number of cents"))
    })?;
    Ok(tera::Value::String(csc_core::Cents(cents).to_string()))
}

impl Ui {
    /// Builds the renderer from the template folders of every crate and app.
    pub fn new(
        dirs: &[&'static Dir<'static>],
        services: Vec<ServiceInfo>,
        site: Site,
        secure_cookies: bool,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            tera: load_templates(dirs)?,
            services,
            site,
            secure_cookies,
        })
    }

    /// The services listed for this visitor.
    pub fn services_for(&self, who: Option<&Identity>) -> Vec<ServiceInfo> {
        self.services
            .iter()
            .filter(|s| (s.listed_for)(who))
            .copied()
            .collect()
    }

    /// The mail topics of every app that concern this user (by the roles they hold).
    pub fn topics_for(&self, who: &Identity) -> Vec<crate::services::Topic> {
        self.services
            .iter()
            .flat_map(|s| s.topics.iter().copied())
            .filter(|t| who.roles.iter().any(|r| t.roles.contains(&r.role)))
            .collect()
    }

    /// The staff entries of the apps for this user: (label, absolute path).
    pub fn staff_links(&self, who: Option<&Identity>) -> Vec<(&'static str, String)> {
        let Some(who) = who else {
            return Vec::new();
        };
        self.services
            .iter()
            .filter_map(|s| {
                let e = s.staff?;
                let holds = who.is_admin || who.roles.iter().any(|r| e.roles.contains(&r.role));
                holds.then(|| (e.label, format!("{}{}", s.mount, e.path)))
            })
            .collect()
    }

    /// Renders a template with a ready context (no layout variables added).
    pub fn render_raw(&self, name: &str, ctx: &Context) -> Result<String, AppError> {
        self.tera
            .render(name, ctx)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("template {name}: {e:?}")))
    }

    /// The layout variables for this request, merged under `ctx`.
    pub fn page_context(&self, req: &HttpRequest, ctx: Context) -> Context {
        let ext = req.extensions();
        let user = ext.get::<Identity>();
        let mut base = Context::new();
        base.insert("user", &user);
        base.insert(
            "can_administer",
            &user.is_some_and(|u| {
                u.is_admin || u.roles.iter().any(|r| r.role == csc_core::Role::Referent)
            }),
        );
        base.insert("services", &self.services_for(user));
        base.insert("staff_links", &self.staff_links(user));
        base.insert("site", &self.site);
        base.insert("current_path", req.path());
        if let Some(Mount(mount)) = req.app_data::<Mount>() {
            base.insert("mount", mount);
        }
        base.insert(
            "csrf_token",
            &ext.get::<csrf::CsrfToken>()
                .map(|t| t.0.clone())
                .unwrap_or_default(),
        );
        base.insert("flash", &flash::read(req));
        base.extend(ctx);
        base
    }
}

/// Renders `name` in the layout with status 200.
pub fn render(req: &HttpRequest, name: &str, ctx: Context) -> Result<HttpResponse, AppError> {
    render_status(req, StatusCode::OK, name, ctx)
}

/// Renders `name` in the layout with the given status (422 for a form with errors, say).
pub fn render_status(
    req: &HttpRequest,
    status: StatusCode,
    name: &str,
    ctx: Context,
) -> Result<HttpResponse, AppError> {
    let ui = ui(req)?;
    let body = ui.render_raw(name, &ui.page_context(req, ctx))?;
    let mut res = HttpResponse::build(status);
    res.content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"));
    if flash::read(req).is_some() {
        res.cookie(flash::removal(ui.secure_cookies));
    }
    Ok(res.body(body))
}

/// The renderer registered in the application.
pub fn ui(req: &HttpRequest) -> Result<Arc<Ui>, AppError> {
    req.app_data::<actix_web::web::Data<Ui>>()
        .map(|d| d.clone().into_inner())
        .ok_or_else(|| AppError::internal("Ui is not registered"))
}

#[cfg(test)]
mod tests {
    use super::*;

    static NONE: Dir<'static> = Dir::new("", &[]);

    fn euros_of(value: serde_json::Value) -> Result<String, String> {
        let mut tera = load_templates(&[&NONE]).map_err(|e| e.to_string())?;
        let mut ctx = Context::new();
        ctx.insert("v", &value);
        tera.render_str("{{ v | euros }}", &ctx)
            .map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn cents_are_shown_in_euros_the_french_way() {
        assert_eq!(euros_of(1050.into()), Ok("10,50\u{a0}€".into()));
        assert_eq!(euros_of(0.into()), Ok("0,00\u{a0}€".into()));
        assert_eq!(euros_of(5.into()), Ok("0,05\u{a0}€".into()));
        assert_eq!(euros_of((-305).into()), Ok("-3,05\u{a0}€".into()));
        assert_eq!(
            euros_of(124_050.into()),
            Ok("1\u{202f}240,50\u{a0}€".into())
        );
    }

    #[test]
    fn the_euros_filter_refuses_what_is_not_cents() {
        assert!(euros_of("10,50".into()).is_err());
        assert!(euros_of(10.5.into()).is_err());
        assert!(euros_of(serde_json::Value::Null).is_err());
    }

    fn macro_output(call: &str, ctx: &Context) -> Result<String, String> {
        let mut tera = load_templates(&[&crate::TEMPLATES]).map_err(|e| e.to_string())?;
        let body = format!("{{% import \"macros.html\" as m %}}{call}");
        tera.add_raw_template("t.html", &body)
            .map_err(|e| format!("{e:?}"))?;
        let html = tera.render("t.html", ctx).map_err(|e| format!("{e:?}"))?;
        Ok(html.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    #[test]
    fn the_csrf_macro_writes_the_hidden_token() {
        let mut ctx = Context::new();
        ctx.insert("csrf_token", "abc123");
        assert_eq!(
            macro_output("{{ m::csrf() }}", &ctx),
            Ok(r#"<input type="hidden" name="csrf_token" value="abc123">"#.into())
        );
    }

    #[test]
    fn the_select_macro_is_labelled_and_marks_the_choice_and_the_error() {
        let mut ctx = Context::new();
        let choices = [
            csc_core::Choice {
                code: "debutant",
                label: "Débutant",
            },
            csc_core::Choice {
                code: "avance",
                label: "Avancé",
            },
        ];
        ctx.insert("choices", &choices);
        let html = macro_output(
            r#"{{ m::select(name="level", label="Niveau", choices=choices, selected="avance", error="Choisissez un niveau.", required=true, hint="Pour qui", blank="Choisir…") }}"#,
            &ctx,
        )
        .unwrap_or_default();
        for part in [
            r#"<label for="f-level">Niveau <span class="required">(obligatoire)</span></label>"#,
            r#"<p class="hint" id="f-level-hint">Pour qui</p>"#,
            r#"id="f-level-error""#,
            r#"<select id="f-level" name="level" required aria-invalid="true" aria-describedby="f-level-hint f-level-error">"#,
            r#"<option value="">Choisir…</option>"#,
            r#"<option value="debutant">Débutant</option>"#,
            r#"<option value="avance" selected>Avancé</option>"#,
        ] {
            assert!(html.contains(part), "{part} in {html}");
        }
        let plain = macro_output(
            r#"{{ m::select(name="level", label="Niveau", choices=choices) }}"#,
            &ctx,
        )
        .unwrap_or_default();
        assert!(
            plain.contains(r#"<select id="f-level" name="level">"#),
            "{plain}"
        );
        assert!(!plain.contains("selected") && !plain.contains("aria-"));
        assert!(!plain.contains(r#"value="""#));
    }

    #[test]
    fn the_select_macro_matches_numeric_codes() {
        let mut ctx = Context::new();
        ctx.insert(
            "centres",
            &serde_json::json!([{ "code": 7, "label": "Centre A" }]),
        );
        let html = macro_output(
            r#"{{ m::select(name="centre", label="Centre", choices=centres, selected="7") }}"#,
            &ctx,
        )
        .unwrap_or_default();
        assert!(
            html.contains(r#"<option value="7" selected>Centre A</option>"#),
            "{html}"
        );
    }
}
