//! Calling the activity-log API as a script would: with an API token made
//! through the admin area, or as a logged-in reader's own pages.

use rocket::http::{ContentType, Header, Status};

use crate::client::Page;
use crate::helpers::{Browser, TestApp};

/// The seed's own example body, exactly as its README gives it.
pub const SEED_BODY: &str = r#"{
        "userId": "ABC123XYZ",
        "sessionId": "XYZ456ABC",
        "actions": [
            {
            "time": "2018-10-18T21:37:30-06:00",
            "type": "NAVIGATE",
            "properties": {
                "pageFrom": "communities",
                "pageTo": "inventory"
            }
            }
        ]  }"#;

impl TestApp {
    /// An API token, created by a new admin `username` in the admin area.
    pub async fn api_token(&self, username: &str) -> String {
        let admin = self.admin(username).await;
        let page = admin
            .post_form(self, "/admin/tokens", &[("name", "test script")])
            .await;
        assert_eq!(page.status, Status::Created, "{}", page.body);
        token_on(&page)
    }

    /// How many actions are stored.
    pub async fn actions(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM actions").await
    }
}

/// The new token shown on the admin's page.
pub fn token_on(page: &Page) -> String {
    let marker = "<code id=\"new-token\">";
    let start = page.body.find(marker).expect("a new token") + marker.len();
    let end = start + page.body[start..].find('<').expect("its end");
    page.body[start..end].to_string()
}

pub fn bearer(token: &str) -> Header<'static> {
    Header::new("Authorization", format!("Bearer {token}"))
}

impl Browser {
    /// Posts a JSON body, with extra headers.
    pub async fn post_json(
        &self,
        app: &TestApp,
        uri: &str,
        body: &str,
        headers: Vec<Header<'static>>,
    ) -> Page {
        let mut request = self
            .dress(app.client.post(uri.to_string()))
            .header(ContentType::JSON)
            .body(body);
        for header in headers {
            request = request.header(header);
        }
        self.keep_response(request.dispatch().await).await
    }
}

/// A batch of `count` actions of `user`, one a second from `first` (Unix
/// seconds), in UTC.
pub fn batch(user: &str, kind: &str, first: i64, count: usize) -> String {
    let actions: Vec<serde_json::Value> = (0..count as i64)
        .map(|n| {
            let time = rocket::time::OffsetDateTime::from_unix_timestamp(first + n)
                .expect("a time")
                .format(&rocket::time::format_description::well_known::Rfc3339)
                .expect("formatted");
            serde_json::json!({"time": time, "type": kind, "properties": {"n": n}})
        })
        .collect();
    serde_json::json!({"userId": user, "sessionId": "s1", "actions": actions}).to_string()
}
