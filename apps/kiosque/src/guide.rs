//! Guides written in Markdown by admins and referents, shown as sanitised HTML.

use std::collections::HashSet;

use pulldown_cmark::{html, Options, Parser};

/// Markdown to HTML that is safe to show: raw HTML, scripts, `javascript:` links and styles are
/// removed; links get `rel="noopener noreferrer"`.
pub fn to_html(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH);
    let mut out = String::new();
    html::push_html(&mut out, parser);
    ammonia::Builder::default()
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .link_rel(Some("noopener noreferrer"))
        .clean(&out)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn markdown_becomes_html() {
        let h = to_html("- Carte **Vitale**\n- Avis d'impôt\n\n1. Ouvrir\n2. Valider\n");
        assert!(
            h.contains("<ul>") && h.contains("<strong>Vitale</strong>"),
            "{h}"
        );
        assert!(h.contains("<ol>") && h.contains("<li>Valider</li>"), "{h}");
    }

    #[test]
    fn scripts_and_dangerous_links_are_removed() {
        let h = to_html(
            "<script>alert(1)</script>\n\n[clic](javascript:alert(2)) <img src=x onerror=alert(3)>\n\n[CAF](https://www.caf.fr/)",
        );
        assert!(
            !h.contains("<script") && !h.contains("javascript:") && !h.contains("onerror"),
            "{h}"
        );
        assert!(h.contains(r#"href="https://www.caf.fr/""#), "{h}");
        assert!(h.contains("noopener"), "{h}");
    }
}
