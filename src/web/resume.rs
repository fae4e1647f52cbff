//! Forms a login may finish: a follow button pressed on a page whose login
//! had ended leads to the login form, which carries the form's action
//! (`then`) through the login or a signup. The stories, above this layer,
//! do the finishing ([`Resumer`]); `lib.rs` manages it as [`Resumers`].

use std::sync::Arc;

use crate::ids::UserId;

/// What finishes a resumable form for a reader who just logged in.
#[rocket::async_trait]
pub trait Resumer: Send + Sync {
    /// Does `action` (a path for which [`is_resumable`] holds) for `user`.
    /// The login stands whatever happens: a story unpublished meanwhile is
    /// simply not followed.
    async fn resume(&self, user: UserId, action: &str);
}

/// The finisher, as Rocket manages it.
pub type Resumers = Arc<dyn Resumer>;

/// Whether `action` is a form a login may finish on the reader's behalf:
/// following or unfollowing a story, which the reader asked for and which
/// is harmless to do once more.
pub fn is_resumable(action: &str) -> bool {
    resumed_page(action).is_some()
}

/// The page of a resumable form: the story of a follow button.
pub fn resumed_page(action: &str) -> Option<&str> {
    let page = action
        .strip_suffix("/follow")
        .or_else(|| action.strip_suffix("/unfollow"))?;
    let key = page.strip_prefix("/stories/")?;
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plain.then_some(page)
}
