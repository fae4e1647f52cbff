//! Reading server-sent events from a live stream, as a browser would.

use std::time::Duration;

use rocket::http::Status;
use rocket::local::asynchronous::LocalResponse;
use rocket::tokio::io::AsyncReadExt;
use rocket::tokio::time::{timeout_at, Instant};
use serde_json::Value;

use crate::helpers::{Browser, TestApp};

/// How long a test waits for an event before failing.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// An open event stream.
pub struct Events<'c> {
    response: LocalResponse<'c>,
    buffer: String,
}

#[derive(PartialEq)]
enum Read {
    Data,
    End,
    TimedOut,
}

/// One event: its name and its JSON data.
#[derive(Debug, Clone)]
pub struct Received {
    pub name: String,
    pub data: Value,
}

impl Browser {
    /// Opens the event stream at `uri`; panics unless it is answered 200.
    pub async fn events<'c>(&self, app: &'c TestApp, uri: &str) -> Events<'c> {
        let response = self.dress(app.client.get(uri.to_string())).dispatch().await;
        assert_eq!(response.status(), Status::Ok, "opening {uri}");
        assert_eq!(
            response.content_type().map(|t| t.to_string()),
            Some("text/event-stream".to_string())
        );
        Events {
            response,
            buffer: String::new(),
        }
    }
}

impl Events<'_> {
    /// The next event, or `None` when the stream ends or nothing comes in time.
    pub async fn next(&mut self) -> Option<Received> {
        self.next_within(PATIENCE).await
    }

    /// The next event if one comes within `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Option<Received> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(event) = self.take_event() {
                return Some(event);
            }
            if self.read_more(deadline).await != Read::Data {
                return None;
            }
        }
    }

    /// Whether the server ends the stream in time (events before the end are skipped).
    pub async fn ended(&mut self) -> bool {
        let deadline = Instant::now() + PATIENCE;
        loop {
            match self.read_more(deadline).await {
                Read::Data => self.buffer.clear(),
                Read::End => return true,
                Read::TimedOut => return false,
            }
        }
    }

    async fn read_more(&mut self, deadline: Instant) -> Read {
        let mut chunk = [0u8; 4096];
        match timeout_at(deadline, self.response.read(&mut chunk)).await {
            Err(_) => Read::TimedOut,
            Ok(Ok(0)) | Ok(Err(_)) => Read::End,
            Ok(Ok(read)) => {
                self.buffer
                    .push_str(&String::from_utf8_lossy(&chunk[..read]));
                Read::Data
            }
        }
    }

    /// Reads events until one satisfies `wanted`, and returns it; panics if
    /// none does in time. The events passed over are returned too.
    pub async fn until(
        &mut self,
        what: &str,
        wanted: impl Fn(&Received) -> bool,
    ) -> (Received, Vec<Received>) {
        let mut passed = Vec::new();
        loop {
            match self.next().await {
                Some(event) if wanted(&event) => return (event, passed),
                Some(event) => passed.push(event),
                None => panic!("no event with {what}; saw {passed:?}"),
            }
        }
    }

    /// Waits for a story stream's figures to show `viewers` and `reads`.
    pub async fn until_figures(&mut self, viewers: i64, reads: i64) -> Vec<Received> {
        let what = format!("viewers {viewers} and reads {reads}");
        self.until(&what, |e| {
            e.data["viewers"] == viewers && e.data["reads"] == reads
        })
        .await
        .1
    }

    fn take_event(&mut self) -> Option<Received> {
        loop {
            let end = self.buffer.find("\n\n")?;
            let block: String = self.buffer.drain(..end + 2).collect();
            let mut name = String::from("message");
            let mut data = String::new();
            for line in block.lines() {
                if let Some(value) = line.strip_prefix("event:") {
                    name = value.trim().to_string();
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push_str(value.trim_start());
                }
            }
            // Comment-only blocks are heartbeats.
            if !data.is_empty() {
                let data = serde_json::from_str(&data).unwrap_or(Value::String(data));
                return Some(Received { name, data });
            }
        }
    }
}
