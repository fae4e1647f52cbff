//! Properties of the live listener's request-head reader, which anyone
//! who can reach `live_port` talks to: over any bytes, arriving in any
//! pieces, it never panics, never reads more than a head may hold, and
//! answers a head, a 4xx, or nothing (the client went away).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use proptest::prelude::*;
use rocket::tokio::io::{AsyncRead, ReadBuf};

use super::http::{read_head, HeadError, RequestHead};

/// The most a request head may hold, as the live listener promises.
const HEAD_LIMIT: usize = 8 * 1024;

/// A client that sends `bytes` in pieces of the given sizes, then closes;
/// it counts what was read of it.
struct Client {
    bytes: Vec<u8>,
    sizes: Vec<usize>,
    piece: usize,
    sent: usize,
}

impl Client {
    fn new(bytes: Vec<u8>, sizes: Vec<usize>) -> Client {
        Client {
            bytes,
            sizes,
            piece: 0,
            sent: 0,
        }
    }
}

impl AsyncRead for Client {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let size = this.sizes.get(this.piece % this.sizes.len().max(1));
        let size = size.copied().unwrap_or(usize::MAX).max(1);
        let end = this.bytes.len().min(this.sent + size.min(buf.remaining()));
        buf.put_slice(&this.bytes[this.sent..end]);
        this.sent = end;
        this.piece += 1;
        Poll::Ready(Ok(()))
    }
}

/// What the reader made of `client`'s bytes, and how many it read.
fn read(mut client: Client) -> (Result<RequestHead, HeadError>, usize) {
    let runtime = rocket::tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let answer = runtime.block_on(read_head(&mut client));
    (answer, client.sent)
}

/// Fails unless `answer` is a head, a 4xx or a client gone, and at most
/// a head's worth was read.
fn well_behaved(answer: &Result<RequestHead, HeadError>, read: usize) -> Result<(), TestCaseError> {
    prop_assert!(read <= HEAD_LIMIT, "read {read} bytes");
    if let Err(HeadError::Bad(status, _)) = answer {
        prop_assert!((400..500).contains(status), "answered {status}");
    }
    Ok(())
}

fn piece_sizes() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..2_000, 1..16)
}

/// A request head that parses: a method, a path with a query, headers of
/// any printable text, cookies among them.
fn request_head() -> impl Strategy<Value = (String, String, Vec<String>)> {
    let path = "/[a-z0-9/._-]{0,40}";
    let query = prop::option::of("[a-z0-9=&%]{0,40}");
    let header = ("[A-Za-z][A-Za-z0-9-]{0,20}", "[ -~]{0,200}");
    let cookie = "[a-z]{1,10}=[A-Za-z0-9+/=._-]{0,100}";
    (
        prop_oneof!["GET", "POST", "HEAD"],
        path,
        query,
        prop::collection::vec(header, 0..20),
        prop::collection::vec(cookie, 0..3),
    )
        .prop_map(|(method, path, query, headers, cookies)| {
            let target = match query {
                Some(query) => format!("{path}?{query}"),
                None => path.clone(),
            };
            let mut head = format!("{method} {target} HTTP/1.1\r\nHost: folio\r\n");
            for (name, value) in headers {
                head.push_str(&format!("{name}: {}\r\n", value.trim()));
            }
            for cookie in &cookies {
                head.push_str(&format!("Cookie: {cookie}\r\n"));
            }
            head.push_str("\r\n");
            (head, path, cookies)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes_in_any_pieces_get_a_head_a_4xx_or_nothing(
        bytes in prop::collection::vec(any::<u8>(), 0..12_000),
        sizes in piece_sizes(),
    ) {
        let (answer, read) = read(Client::new(bytes, sizes));
        well_behaved(&answer, read)?;
    }

    #[test]
    fn a_head_too_large_is_refused_without_reading_past_the_limit(
        line in "[A-Za-z]{1,10}: [ -~]{0,300}\r\n",
        sizes in piece_sizes(),
    ) {
        let mut bytes = b"GET /live/stories HTTP/1.1\r\n".to_vec();
        while bytes.len() <= HEAD_LIMIT + 2_000 {
            bytes.extend_from_slice(line.as_bytes());
        }

        let (answer, read) = read(Client::new(bytes, sizes));

        well_behaved(&answer, read)?;
        let refused = matches!(answer, Err(HeadError::Bad(431, _)) | Err(HeadError::Bad(400, _)));
        prop_assert!(refused, "a head over the limit was not refused");
    }

    #[test]
    fn a_valid_head_in_any_pieces_is_read_as_sent(
        (head, path, cookies) in request_head(),
        sizes in piece_sizes(),
    ) {
        let fits = head.len() <= HEAD_LIMIT;

        let (answer, read) = read(Client::new(head.into_bytes(), sizes));

        well_behaved(&answer, read)?;
        match answer {
            Ok(parsed) => {
                prop_assert!(fits);
                prop_assert_eq!(parsed.path, path);
                prop_assert_eq!(parsed.cookies, cookies);
            }
            Err(HeadError::Bad(status, _)) => prop_assert!(!fits && status == 431),
            Err(HeadError::Gone) => prop_assert!(false, "a whole head was taken for a client gone"),
        }
    }
}
