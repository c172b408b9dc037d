//! HTTP handlers of the auth pages and API.

pub mod account;
pub mod admin_centres;
pub mod admin_users;
pub mod api;
pub mod login;
pub mod password;

/// A local path to go back to after sign-in; anything else (other sites, `//host`) becomes `/`.
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if ok {
        next.to_string()
    } else {
        "/".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/admin?x=1"), "/admin?x=1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad}");
        }
    }
}
