//! Which Folio this is: the crate version, and the build number and git
//! commit given at compile time (`FOLIO_BUILD`, `FOLIO_COMMIT`; the Docker
//! image's build arguments). A build without them says "dev".

use serde::Serialize;

/// The running build.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Build {
    pub version: &'static str,
    pub build: &'static str,
    pub commit: &'static str,
}

/// `value`, or "dev" when it is missing or empty.
const fn or_dev(value: Option<&'static str>) -> &'static str {
    match value {
        Some(text) if !text.is_empty() => text,
        _ => "dev",
    }
}

/// This binary's build, fixed at compile time.
pub const BUILD: Build = Build {
    version: env!("CARGO_PKG_VERSION"),
    build: or_dev(option_env!("FOLIO_BUILD")),
    commit: or_dev(option_env!("FOLIO_COMMIT")),
};

impl Build {
    /// How pages' footers name the build: "0.1.0 (build 42, commit 1a2b3c4)",
    /// or "0.1.0 (development build)".
    pub fn label(&self) -> String {
        match (self.build, self.commit) {
            ("dev", "dev") => format!("{} (development build)", self.version),
            (build, "dev") => format!("{} (build {build})", self.version),
            ("dev", commit) => format!("{} (commit {commit})", self.version),
            (build, commit) => format!("{} (build {build}, commit {commit})", self.version),
        }
    }
}
