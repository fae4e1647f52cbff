//! Why a stream was refused, and what the client is told.

use super::StreamLimits;
use crate::error::Error;

/// Why a stream was refused; the label of the refusal counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Session,
    Address,
    Anonymous,
    Total,
}

impl Refusal {
    pub const ALL: [Refusal; 4] = [
        Refusal::Session,
        Refusal::Address,
        Refusal::Anonymous,
        Refusal::Total,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Refusal::Session => "session",
            Refusal::Address => "address",
            Refusal::Anonymous => "anonymous",
            Refusal::Total => "total",
        }
    }

    pub(super) fn error(self, limits: &StreamLimits) -> Error {
        match self {
            Refusal::Session => Error::Limited {
                retry_after: 10,
                message: format!(
                    "This login already has {} live streams open. Close some tabs and reload.",
                    limits.per_session
                ),
            },
            Refusal::Address => Error::Limited {
                retry_after: 10,
                message: format!(
                    "Your address already has {} live streams open. Try again later.",
                    limits.per_address
                ),
            },
            Refusal::Anonymous | Refusal::Total => Error::Busy {
                retry_after: 30,
                message: "Folio has as many live streams open as it can take. \
                          The page works without one; try again in a moment."
                    .into(),
            },
        }
    }
}
