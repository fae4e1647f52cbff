//! Telling robots from people by their User-Agent: crawlers, monitors,
//! link previews and command-line tools are not visitors.

/// Lowercase fragments that only robots' User-Agents contain.
const MARKS: &[&str] = &[
    "bot",
    "crawl",
    "spider",
    "slurp",
    "archiver",
    "fetcher",
    "scraper",
    "monitor",
    "uptime",
    "pingdom",
    "headless",
    "lighthouse",
    "preview",
    "facebookexternalhit",
    "embedly",
    "curl/",
    "wget/",
    "python-",
    "python/",
    "go-http-client",
    "java/",
    "okhttp",
    "libwww",
    "httpclient",
    "node-fetch",
    "axios/",
    "apachebench",
    "folio-healthcheck",
];

/// Whether `user_agent` is a robot's. A request without one counts as a robot.
pub fn is_bot(user_agent: Option<&str>) -> bool {
    let Some(agent) = user_agent.map(str::trim).filter(|a| !a.is_empty()) else {
        return true;
    };
    let agent = agent.to_ascii_lowercase();
    MARKS.iter().any(|mark| agent.contains(mark))
}

#[cfg(test)]
mod tests {
    use super::is_bot;

    #[test]
    fn people_and_robots() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert!(!is_bot(Some(firefox)));
        assert!(is_bot(Some("Mozilla/5.0 (compatible; Googlebot/2.1)")));
        assert!(is_bot(Some("curl/8.5.0")));
        assert!(is_bot(Some("folio-healthcheck/0.1")));
        assert!(is_bot(Some("  ")));
        assert!(is_bot(None));
    }
}
