//! The real-browser harness: headless Chromium (Debian's `chromium` and
//! `chromium-driver`) driven over WebDriver, against Folio served on a real
//! port (`crate::server`). Each `Chrome` is a separate browser with its own profile, as
//! separate people would have. Tests that use it are marked
//! `#[ignore = "needs chromium"]`; `.ci/run` runs them with `--include-ignored`.

use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use rocket::tokio::time::{sleep, Instant};
use serde_json::json;
use tempfile::TempDir;

use crate::helpers::PASSWORD;
pub use crate::server::{add_reads, Server};

/// A chromedriver process, stopped when dropped.
struct Driver {
    process: Child,
    port: u16,
}

impl Driver {
    fn start() -> Driver {
        let port = free_port();
        let process = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            // Its own process group, so the browsers it starts end with it.
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs (install Debian's chromium-driver)");
        Driver { process, port }
    }

    async fn ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        crate::helpers::kill_group(&mut self.process);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// One person's browser.
pub struct Chrome {
    pub client: Client,
    _driver: Driver,
    _profile: TempDir,
}

/// How long waits for the page last before a test fails.
pub const PATIENCE: Duration = Duration::from_secs(10);

impl Chrome {
    /// A desktop browser, 1200 × 900.
    pub async fn open() -> Chrome {
        Chrome::start(json!({})).await
    }

    /// A phone's browser: a touch screen `width` CSS pixels wide (390 is an
    /// iPhone's), honouring the pages' viewport tag as phones do.
    pub async fn phone(width: u32) -> Chrome {
        Chrome::start(json!({
            "mobileEmulation": {
                "deviceMetrics": { "width": width, "height": 844, "pixelRatio": 3.0, "touch": true, "mobile": true },
                "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"
            }
        }))
        .await
    }

    async fn start(extra: serde_json::Value) -> Chrome {
        let driver = Driver::start();
        driver.ready().await;
        let profile = tempfile::tempdir().expect("a profile directory");
        let args = [
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--window-size=1200,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut options = json!({ "binary": "/usr/bin/chromium", "args": args });
        if let (Some(options), Some(extra)) = (options.as_object_mut(), extra.as_object()) {
            options.extend(extra.clone());
        }
        let capabilities = json!({ "goog:chromeOptions": options });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .expect("a Chromium session");
        Chrome {
            client,
            _driver: driver,
            _profile: profile,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("the page loads");
    }

    /// The element `css`, once there is one.
    async fn element(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    /// The text of the element `css`, once there is one. An element that
    /// goes away as it is read (the page changed meanwhile) is found again.
    pub async fn text(&self, css: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            match self.element(css).await.text().await {
                Ok(text) => return text,
                Err(e) if Instant::now() < deadline => {
                    println!("reading {css} again: {e}");
                    sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("the text of {css}: {e}"),
            }
        }
    }

    pub async fn fill(&self, css: &str, value: &str) {
        self.element(css)
            .await
            .send_keys(value)
            .await
            .expect("typing");
    }

    pub async fn click(&self, css: &str) {
        self.element(css).await.click().await.expect("a click");
    }

    /// Waits until the element's text is `expected`; returns how long it
    /// took, or panics after `within`.
    pub async fn wait_for_text(&self, css: &str, expected: &str, within: Duration) -> Duration {
        let start = Instant::now();
        loop {
            let text = self.text(css).await;
            if text == expected {
                return start.elapsed();
            }
            assert!(
                start.elapsed() < within,
                "{css} shows {text:?}, not {expected:?}, after {within:?}"
            );
            sleep(Duration::from_millis(50)).await;
        }
    }

    /// Signs up through the form, starting from the page `next`, and waits
    /// to be back on it.
    pub async fn sign_up(&self, server: &Server, username: &str, next: &str) {
        self.goto(&server.url(next)).await;
        // Not logged in: a story shows its preview, other pages send us to
        // log in; both offer to sign up instead.
        self.click("main a[href^='/signup']").await;
        self.fill("#username", username).await;
        self.fill("#password", PASSWORD).await;
        self.click("form.stacked button[type=submit]").await;
        self.wait_for_url(&server.url(next)).await;
    }

    /// Logs in through the form, from the page `next`, and waits to be on it.
    pub async fn log_in(&self, server: &Server, username: &str, next: &str) {
        self.goto(&server.url(&format!("/login?next={next}"))).await;
        self.fill("#username", username).await;
        self.fill("#password", PASSWORD).await;
        self.click("form.stacked button[type=submit]").await;
        self.wait_for_url(&server.url(next)).await;
    }

    /// Waits until the browser shows `wanted`.
    pub async fn wait_for_url(&self, wanted: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let url = self.client.current_url().await.map(|u| u.to_string());
            if url.as_deref().ok() == Some(wanted) {
                return;
            }
            assert!(Instant::now() < deadline, "not on {wanted} but {url:?}");
            sleep(Duration::from_millis(50)).await;
        }
    }

    /// Runs `script` in the page and returns its result.
    pub async fn run(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    /// Marks the page, so a test can tell later that it was not reloaded.
    pub async fn mark_page(&self) {
        self.client
            .execute("window.folioMark = 42;", vec![])
            .await
            .expect("a script runs");
    }

    pub async fn page_is_marked(&self) -> bool {
        let mark = self
            .client
            .execute("return window.folioMark;", vec![])
            .await
            .expect("a script runs");
        mark == json!(42)
    }

    /// Closes the browser, as a reader closing their window.
    pub async fn close(self) {
        self.client.close().await.expect("the browser closes");
    }
}
