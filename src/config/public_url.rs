//! The `public_url` setting: the address readers reach Folio at, for the
//! absolute links of feeds, the sitemap and sharing tags.

use rocket::http::uri::Absolute;

use crate::error::{Error, Result};

/// `url` checked and written as an origin (`https://example.com`, a port
/// if any, no trailing slash), or why it cannot be one.
pub fn normalized(url: &str) -> Result<String> {
    let problem = |why: &str| {
        Error::Config(format!(
            "bad setting: public_url is {url:?}; {why} (for example \
             public_url = \"https://stories.example.com\")"
        ))
    };
    let trimmed = url.trim().trim_end_matches('/');
    let parsed = Absolute::parse(trimmed).map_err(|_| problem("it is not a URL"))?;
    let scheme = parsed.scheme().to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(problem("it must start with https:// or http://"));
    }
    let Some(authority) = parsed.authority() else {
        return Err(problem("it must name a host"));
    };
    if authority.host().is_empty() || authority.user_info().is_some() {
        return Err(problem("it must name a host, without a user name"));
    }
    // Folio's pages sit at the root of their host: a path would be a
    // promise the links could not keep.
    if !parsed.path().is_empty() || parsed.query().is_some() {
        return Err(problem(
            "it must be the site's origin alone, without a path",
        ));
    }
    Ok(format!("{scheme}://{authority}").to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::normalized;

    #[test]
    fn an_origin_is_kept_without_its_trailing_slash() {
        assert_eq!(
            normalized("https://Stories.example.com/").unwrap(),
            "https://stories.example.com"
        );
        assert_eq!(
            normalized("http://127.0.0.1:8000").unwrap(),
            "http://127.0.0.1:8000"
        );
    }

    #[test]
    fn anything_but_an_origin_is_refused() {
        for bad in [
            "stories.example.com",
            "ftp://example.com",
            "https://example.com/blog",
            "https://example.com?x=1",
            "https://user@example.com",
            "https://",
            "",
        ] {
            let message = normalized(bad).unwrap_err().to_string();
            assert!(message.contains("public_url"), "{bad}: {message}");
        }
    }
}
