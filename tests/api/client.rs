//! A browser without a browser: it keeps its cookies between requests,
//! sends forms with its CSRF token, and remembers what each response said.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use rocket::http::{ContentType, Cookie, Header, Status};
use rocket::local::asynchronous::{LocalRequest, LocalResponse};

use crate::helpers::TestApp;

/// What a response said, kept after the response itself is gone.
#[derive(Debug)]
pub struct Page {
    pub status: Status,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn location(&self) -> Option<&str> {
        self.header("Location")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The value of the hidden CSRF field of the page's forms.
    pub fn csrf_token(&self) -> Option<String> {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self.body.find(marker)? + marker.len();
        let end = self.body[start..].find('"')? + start;
        Some(self.body[start..end].to_string())
    }
}

/// A browser: it keeps its cookies between requests, and has an address.
pub struct Browser {
    cookies: Mutex<HashMap<String, String>>,
    pub address: SocketAddr,
}

impl Browser {
    /// A browser at an address of its own.
    pub fn new() -> Browser {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        Browser::at(&format!(
            "10.{}.{}.{}:40000",
            (n >> 16) & 255,
            (n >> 8) & 255,
            n & 255
        ))
    }

    pub fn at(address: &str) -> Browser {
        Browser {
            cookies: Mutex::new(HashMap::new()),
            address: address.parse().expect("an address"),
        }
    }

    /// The raw value of one of this browser's cookies.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .lock()
            .unwrap()
            .insert(name.to_string(), value.to_string());
    }

    pub fn dress<'c>(&self, request: LocalRequest<'c>) -> LocalRequest<'c> {
        let cookies: Vec<Cookie<'static>> = self
            .cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(n, v)| Cookie::new(n.clone(), v.clone()))
            .collect();
        request.cookies(cookies).remote(self.address)
    }

    pub async fn keep_response(&self, response: LocalResponse<'_>) -> Page {
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|h| (h.name().to_string(), h.value().to_string()))
            .collect();
        for (name, value) in &headers {
            if name.eq_ignore_ascii_case("Set-Cookie") {
                let cookie = Cookie::parse_encoded(value.clone()).expect("a valid cookie");
                let mut jar = self.cookies.lock().unwrap();
                if cookie.max_age().is_some_and(|age| age.is_zero()) || cookie.value().is_empty() {
                    jar.remove(cookie.name());
                } else {
                    jar.insert(cookie.name().to_string(), cookie.value().to_string());
                }
            }
        }
        let status = response.status();
        let body = response.into_string().await.unwrap_or_default();
        Page {
            status,
            body,
            headers,
        }
    }

    pub async fn get(&self, app: &TestApp, uri: &str) -> Page {
        let request = self.dress(app.client.get(uri.to_string()));
        self.keep_response(request.dispatch().await).await
    }

    pub async fn get_with(&self, app: &TestApp, uri: &str, header: Header<'static>) -> Page {
        self.get_with_all(app, uri, vec![header]).await
    }

    /// A GET with extra headers (a User-Agent and a Referer, say).
    pub async fn get_with_all(
        &self,
        app: &TestApp,
        uri: &str,
        headers: Vec<Header<'static>>,
    ) -> Page {
        let mut request = self.dress(app.client.get(uri.to_string()));
        for header in headers {
            request = request.header(header);
        }
        self.keep_response(request.dispatch().await).await
    }

    /// Posts an empty body with one extra header (a page script's request).
    pub async fn post_with(&self, app: &TestApp, uri: &str, header: Header<'static>) -> Page {
        let request = self.dress(app.client.post(uri.to_string())).header(header);
        self.keep_response(request.dispatch().await).await
    }

    /// Posts `multipart/form-data`: `fields` as text, then the file
    /// `(field, file name, media type, bytes)`, with extra `headers`.
    pub async fn post_multipart(
        &self,
        app: &TestApp,
        uri: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &str, &[u8]),
        headers: Vec<Header<'static>>,
    ) -> Page {
        const BOUNDARY: &str = "folio-test-boundary-7d1f";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend(
                format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
                .bytes(),
            );
        }
        let (field, file_name, media_type, bytes) = file;
        body.extend(format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: {media_type}\r\n\r\n"
        ).bytes());
        body.extend_from_slice(bytes);
        body.extend(format!("\r\n--{BOUNDARY}--\r\n").bytes());
        let kind =
            ContentType::parse_flexible(&format!("multipart/form-data; boundary={BOUNDARY}"))
                .expect("a media type");
        let mut request = self
            .dress(app.client.post(uri.to_string()))
            .header(kind)
            .body(body);
        for header in headers {
            request = request.header(header);
        }
        self.keep_response(request.dispatch().await).await
    }

    /// A GET whose body is bytes (an image): status, headers and bytes.
    pub async fn get_bytes(
        &self,
        app: &TestApp,
        uri: &str,
    ) -> (Status, Vec<(String, String)>, Vec<u8>) {
        let response = self.dress(app.client.get(uri.to_string())).dispatch().await;
        let headers = response
            .headers()
            .iter()
            .map(|h| (h.name().to_string(), h.value().to_string()))
            .collect();
        let status = response.status();
        (
            status,
            headers,
            response.into_bytes().await.unwrap_or_default(),
        )
    }

    /// Posts a form exactly as given (no CSRF token added).
    pub async fn post_raw(&self, app: &TestApp, uri: &str, body: String) -> Page {
        let request = self
            .dress(app.client.post(uri.to_string()))
            .header(ContentType::Form)
            .body(body);
        self.keep_response(request.dispatch().await).await
    }

    /// Posts a form the way its page would: with this browser's CSRF token.
    pub async fn post_form(&self, app: &TestApp, uri: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf_token(app).await;
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(app, uri, encode(&all)).await
    }

    /// This browser's CSRF token, as its pages' forms carry it.
    pub async fn csrf_token(&self, app: &TestApp) -> String {
        for uri in ["/login", "/"] {
            if let Some(token) = self.get(app, uri).await.csrf_token() {
                return token;
            }
        }
        panic!("no page carried a CSRF token");
    }

    pub async fn signup(&self, app: &TestApp, username: &str, password: &str) -> Page {
        self.post_form(
            app,
            "/signup",
            &[("username", username), ("password", password)],
        )
        .await
    }

    pub async fn login(&self, app: &TestApp, username: &str, password: &str) -> Page {
        self.post_form(
            app,
            "/login",
            &[("username", username), ("password", password)],
        )
        .await
    }

    pub async fn logout(&self, app: &TestApp) -> Page {
        self.post_form(app, "/logout", &[]).await
    }
}

impl Default for Browser {
    fn default() -> Self {
        Browser::new()
    }
}

/// `application/x-www-form-urlencoded` for `fields`.
pub fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                folio::web::query_encode(k),
                folio::web::query_encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}
