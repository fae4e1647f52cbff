//! The stream budgets' sizes: from the settings, and the ceiling on all
//! streams together from the process's open-file limit.

use super::budget::StreamLimits;
use crate::config::Settings;

/// Open files kept out of the streams' reach at the least: the database
/// (three files per connection), the listening sockets, pages being served
/// and the health check.
const RESERVED_AT_LEAST: u64 = 256;

/// The budgets `settings` ask for; the ceilings that are not set follow
/// from `open_files`, the process's open-file limit.
pub fn stream_limits(settings: &Settings, open_files: u64) -> StreamLimits {
    let reserved = RESERVED_AT_LEAST.max(open_files / 4);
    let derived = open_files.saturating_sub(reserved).max(1);
    let total = settings
        .max_streams
        .unwrap_or(usize::try_from(derived).unwrap_or(usize::MAX));
    StreamLimits {
        per_session: settings.streams_per_session,
        per_address: settings.streams_per_address,
        anonymous: settings.anonymous_streams.unwrap_or(total / 2).max(1),
        total,
    }
}

/// Raises the process's soft open-file limit to its hard limit (as servers
/// commonly do: the soft default of 1,024 is far below what the system
/// allows) and returns the limit in force.
#[cfg(unix)]
pub fn raise_open_file_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1_024;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    // "Unlimited" is a very large number: the derived ceiling is then
    // bounded by memory, which a setting (`max_streams`) should say.
    limit.rlim_cur.min(1 << 20)
}

#[cfg(not(unix))]
pub fn raise_open_file_limit() -> u64 {
    1_024
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ceiling_leaves_a_quarter_of_the_open_files_and_at_least_256() {
        let settings = Settings::default();
        let small = stream_limits(&settings, 2_048);
        assert_eq!((small.total, small.anonymous), (1_536, 768));
        assert_eq!(stream_limits(&settings, 512).total, 256);
        assert_eq!(stream_limits(&settings, 20_000).total, 15_000);
        assert_eq!(stream_limits(&settings, 100).total, 1);
    }

    #[test]
    fn settings_override_the_derived_ceilings() {
        let settings = Settings {
            max_streams: Some(50),
            anonymous_streams: Some(5),
            ..Settings::default()
        };
        let limits = stream_limits(&settings, 2_048);
        assert_eq!((limits.total, limits.anonymous), (50, 5));
        assert_eq!(limits.per_session, settings.streams_per_session);
    }
}
