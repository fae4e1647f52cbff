//! The web layer under every page: the frame ([`Layout`]), how errors are
//! shown and caught, form answers, paging, the embedded templates and
//! static files, and the security headers. It knows who is logged in
//! ([`crate::auth`]) and nothing of stories or notifications: the unread
//! badge reaches it through [`UnreadCounts`].

mod assets;
mod bodies;
mod errors;
pub mod forms;
mod headers;
mod layout;
pub mod marked;
mod origin;
pub mod paging;
mod resume;
pub mod shells;
pub mod times;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rocket::Route;

pub use assets::{template_dir, templates};
pub use bodies::WholeBodies;
pub use errors::catchers;
pub use forms::{local_path, said, Back, Done, FormReply};
pub use headers::{shield, ContentSecurityPolicy};
pub use layout::{Badges, Layout, LayoutUser, UnreadCounts, LAYOUT_SLOTS};
pub use origin::PublicOrigin;
pub use resume::{is_resumable, resumed_page, Resumer, Resumers};

/// Characters left as they are in a query value: the unreserved ones, and
/// `/` so that paths stay readable in `?next=/stories/1`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes a query parameter value.
pub fn query_encode(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// The static files.
pub fn routes() -> Vec<Route> {
    assets::routes()
}
