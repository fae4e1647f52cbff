//! The log at `log_level = "normal"` and `"critical"`: Folio's own lines,
//! Rocket's start-up and shutdown lines, warnings and errors — without
//! Rocket's per-request elaborations ("Request guard failed", "No matching
//! routes for <the whole URI>"), which it logs as indented lines. At
//! `normal` [`super::requests`] adds one line per request.

use std::io::Write;

use log::{Level, LevelFilter, Log, Metadata, Record};

struct Logger;

impl Log for Logger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= Level::Warn
            || (metadata.level() == Level::Info && metadata.target().starts_with("folio"))
    }

    fn log(&self, record: &Record<'_>) {
        let target = record.target();
        // Rocket marks a line that elaborates on the one before with a
        // target ending in `_`; keep those only for errors.
        let elaboration = target.ends_with('_');
        if !self.enabled(record.metadata()) {
            return;
        }
        let line = match record.level() {
            Level::Error if elaboration => {
                let text = record.args().to_string();
                // A 404 is in the request's own line already.
                if text.starts_with("No matching routes") {
                    return;
                }
                format!("   >> {text}\n")
            }
            Level::Error => format!("Error: {}\n", record.args()),
            _ if elaboration => return,
            // Rocket's launch lines are warnings only so that they show.
            Level::Warn if target.contains("rocket::launch") => format!("{}\n", record.args()),
            Level::Warn => format!("Warning: {}\n", record.args()),
            // Folio's own news: the first admin created, the live port.
            Level::Info if target.starts_with("folio") => format!("{}\n", record.args()),
            _ => return,
        };
        let _ = std::io::stdout().lock().write_all(line.as_bytes());
    }

    fn flush(&self) {
        let _ = std::io::stdout().flush();
    }
}

/// Installs the logger unless one is installed already (Rocket then keeps
/// its own, as in tests).
pub fn install() {
    if log::set_boxed_logger(Box::new(Logger)).is_ok() {
        log::set_max_level(LevelFilter::Info);
    }
}
