//! What Folio logs, from the `log_level` setting.

use rocket::figment::Figment;

/// What Folio logs, from `log_level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logging {
    /// `off` (or a bad value, which Rocket reports at launch): nothing.
    Off,
    /// `critical`: start-up lines, warnings and errors.
    Critical,
    /// `normal`: those, and one line per request.
    Requests,
    /// `debug`: request lines and Rocket's detailed trace, headers and
    /// cookies included (for debugging only).
    Debug,
}

/// What Folio logs, and the figment with the log level Rocket itself should
/// use: at `normal`, Folio's own logger keeps Rocket's start-up lines,
/// warnings and errors, and drops its multi-line account of each request.
pub fn logging(figment: Figment) -> (Logging, Figment) {
    use rocket::config::LogLevel;
    match figment.extract_inner::<LogLevel>("log_level") {
        Ok(LogLevel::Normal) => (Logging::Requests, figment.merge(("log_level", "critical"))),
        Ok(LogLevel::Critical) => (Logging::Critical, figment),
        Ok(LogLevel::Debug) => (Logging::Debug, figment),
        _ => (Logging::Off, figment),
    }
}
