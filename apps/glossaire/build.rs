//! Template folders are embedded with include_dir, which cargo does not watch: rebuild when they change.
fn main() {
    for dir in ["templates", "static", "mail"] {
        if std::path::Path::new(dir).exists() {
            println!("cargo:rerun-if-changed={dir}");
        }
    }
}
