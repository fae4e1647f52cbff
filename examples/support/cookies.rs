//! Login cookies for tools that log readers in without a browser (the
//! benchmarks' data, the tests that run Folio as a process): Rocket's own
//! private cookies, made by Rocket itself on a throwaway instance with the
//! same secret key, and Folio's stream tickets.

use folio::auth::Tickets;
use folio::ids::SessionId;
use rocket::figment::Figment;
use rocket::http::{Cookie, CookieJar};
use rocket::local::asynchronous::Client;
use sha2::Digest;

#[rocket::get("/mint?<name>&<value>")]
fn mint(name: String, value: String, jar: &CookieJar<'_>) {
    jar.add_private(Cookie::new(name, value));
}

/// Makes the cookies a Folio with `secret_key` accepts.
pub struct CookieMint {
    client: Client,
    tickets: Tickets,
}

impl CookieMint {
    pub async fn new(secret_key: &str) -> CookieMint {
        let figment = Figment::from(rocket::Config::default())
            .merge(("secret_key", secret_key))
            .merge(("log_level", "off"));
        let rocket = rocket::custom(figment).mount("/", rocket::routes![mint]);
        CookieMint {
            client: Client::untracked(rocket).await.expect("a cookie mint"),
            tickets: Tickets::from_secret(secret_key),
        }
    }

    /// `value` in a private cookie named `name`, as Rocket sends it.
    pub async fn private(&self, name: &str, value: &str) -> String {
        let uri = format!(
            "/mint?name={}&value={}",
            folio::web::query_encode(name),
            folio::web::query_encode(value)
        );
        let response = self.client.get(uri).dispatch().await;
        let set = response
            .headers()
            .get_one("Set-Cookie")
            .expect("a Set-Cookie header");
        let pair = set.split(';').next().unwrap_or_default();
        pair.split_once('=')
            .map(|(_, v)| v.to_string())
            .unwrap_or_default()
    }

    /// The `Cookie` header of a reader whose session `session` has `token`,
    /// valid until `expires_at`: their session and stream ticket.
    pub async fn reader(&self, token: &str, session: i64, expires_at: i64) -> String {
        let hash = sha2::Sha256::digest(token.as_bytes());
        let ticket = self.tickets.issue(SessionId(session), expires_at, &hash);
        format!(
            "session={}; live={ticket}",
            self.private("session", token).await
        )
    }
}
