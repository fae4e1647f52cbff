//! Finishing, once logged in, the form a reader sent without a login (see
//! [`crate::web::is_resumable`]): the login and signup forms carry it as
//! `then`, and it is done as the new session starts.

use crate::ids::UserId;
use crate::web::{is_resumable, Resumers};

/// Does `then` for `user` if it is a form a login may finish.
pub async fn finish(resumers: &Resumers, user: UserId, then: &str) {
    if is_resumable(then) {
        resumers.resume(user, then).await;
    }
}
