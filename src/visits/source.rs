//! Where a story view came from, as the dashboards' sources table shows
//! it: the host of the referring site (the page's `?utm_source=` or
//! `?ref=` when it names one), "(internal)" for Folio's own pages and
//! "(direct)" when nothing says. Only the host is kept: never a path, a
//! query or anything about the visitor.

/// A view with no referrer: typed in, a bookmark, an app, a mail client.
pub const DIRECT: &str = "(direct)";
/// A view reached from another of Folio's own pages.
pub const INTERNAL: &str = "(internal)";
/// Sources past the per-day limit of distinct names.
pub const OTHER: &str = "(other)";

/// Longest source kept (a DNS name is at most 253 characters).
const MAX_LEN: usize = 253;
/// Longest campaign name (`utm_source`, `ref`) kept.
const MAX_CAMPAIGN: usize = 64;

/// The source of a view: `campaign` is the page's `utm_source` or `ref`
/// parameter, `referrer` its `Referer` header, `own_host` the `Host` the
/// request was made to.
pub fn source_of(campaign: Option<&str>, referrer: Option<&str>, own_host: Option<&str>) -> String {
    if let Some(name) = campaign.and_then(campaign_name) {
        return name;
    }
    let Some(host) = referrer.and_then(host_of) else {
        return DIRECT.to_string();
    };
    let own = own_host.map(|h| bare_host(&h.to_ascii_lowercase()).to_string());
    if own.as_deref() == Some(host.as_str()) {
        return INTERNAL.to_string();
    }
    host.strip_prefix("www.").unwrap_or(&host).to_string()
}

/// A campaign name as a source: lowercase letters, digits, `.`, `-`, `_`.
fn campaign_name(name: &str) -> Option<String> {
    let name = name.trim().to_ascii_lowercase();
    let fits = !name.is_empty()
        && name.len() <= MAX_CAMPAIGN
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    fits.then_some(name)
}

/// The host of an absolute URL, lowercased, without port or user; none
/// for anything else.
fn host_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let scheme_ok = !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = bare_host(&authority.to_ascii_lowercase()).to_string();
    let valid = !host.is_empty()
        && host.len() <= MAX_LEN
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    valid.then_some(host)
}

/// `host:port` without its port (IPv6 addresses in brackets keep theirs
/// out too).
fn bare_host(authority: &str) -> &str {
    if let Some(inner) = authority.strip_prefix('[') {
        return inner.split(']').next().unwrap_or(inner);
    }
    authority.split(':').next().unwrap_or(authority)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_referring_host_without_www_path_or_port() {
        let from = |r| source_of(None, Some(r), Some("folio.example:8000"));
        assert_eq!(from("https://www.Example.com/a/b?c=d"), "example.com");
        assert_eq!(
            from("https://news.ycombinator.com/item?id=1"),
            "news.ycombinator.com"
        );
        assert_eq!(
            from("http://user:pw@blog.example.org:8080/x"),
            "blog.example.org"
        );
        assert_eq!(from("android-app://com.slack/"), "com.slack");
    }

    #[test]
    fn own_pages_direct_and_garbage() {
        let own = Some("folio.example:8000");
        assert_eq!(
            source_of(None, Some("http://folio.example:8000/stories"), own),
            INTERNAL
        );
        assert_eq!(source_of(None, None, own), DIRECT);
        assert_eq!(source_of(None, Some("not a url"), own), DIRECT);
        assert_eq!(source_of(None, Some("https://<script>/"), own), DIRECT);
        assert_eq!(
            source_of(None, Some(&format!("https://{}/", "a".repeat(300))), own),
            DIRECT
        );
    }

    #[test]
    fn a_campaign_name_wins_when_it_is_one() {
        let referrer = Some("https://t.co/x");
        assert_eq!(source_of(Some("Newsletter"), referrer, None), "newsletter");
        assert_eq!(source_of(Some("no spaces please"), referrer, None), "t.co");
        assert_eq!(source_of(Some(""), None, None), DIRECT);
    }
}
