//! The kind of device and the browser of a story view, from its
//! User-Agent by the `woothee` parser, for the dashboards' devices and
//! browsers tables. Only these two names are kept. A returning reader's
//! User-Agent is parsed once: the answers are remembered.

use moka::sync::Cache;

/// User-Agents whose answers are remembered.
const REMEMBERED: u64 = 4_096;
/// Longest User-Agent parsed; longer ones are "Other".
const MAX_AGENT: usize = 1_024;

/// A view's device and browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// "Desktop", "Phone", "Tablet", "TV or console" or "Other".
    pub kind: &'static str,
    /// "Chrome", "Firefox", "Safari", … or "Other".
    pub browser: String,
}

/// Parses User-Agents, remembering recent ones.
pub struct Devices {
    parser: woothee::parser::Parser,
    seen: Cache<String, Device>,
}

impl Default for Devices {
    fn default() -> Self {
        Devices {
            parser: woothee::parser::Parser::new(),
            seen: Cache::new(REMEMBERED),
        }
    }
}

impl Devices {
    pub fn of(&self, user_agent: &str) -> Device {
        if user_agent.len() > MAX_AGENT {
            return other();
        }
        if let Some(device) = self.seen.get(user_agent) {
            return device;
        }
        let device = self.parse(user_agent);
        self.seen.insert(user_agent.to_string(), device.clone());
        device
    }

    fn parse(&self, user_agent: &str) -> Device {
        let Some(found) = self.parser.parse(user_agent) else {
            return other();
        };
        let kind = match found.category {
            "pc" => "Desktop",
            "smartphone" if found.os.contains("iPad") || is_tablet(user_agent) => "Tablet",
            "smartphone" | "mobilephone" => "Phone",
            "appliance" => "TV or console",
            _ => "Other",
        };
        let browser = match found.name {
            "UNKNOWN" | "" => "Other".to_string(),
            name => name.to_string(),
        };
        Device { kind, browser }
    }
}

/// An Android tablet says "Android" without "Mobile".
fn is_tablet(user_agent: &str) -> bool {
    user_agent.contains("Android") && !user_agent.contains("Mobile")
}

fn other() -> Device {
    Device {
        kind: "Other",
        browser: "Other".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_devices_and_browsers() {
        let devices = Devices::default();
        for (agent, kind, browser) in [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/120.0.0.0 Safari/537.36",
                "Desktop",
                "Chrome",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
                "Desktop",
                "Firefox",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 \
                 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
                "Phone",
                "Safari",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/120.0.0.0 Mobile Safari/537.36",
                "Phone",
                "Chrome",
            ),
            ("", "Other", "Other"),
            ("something odd", "Other", "Other"),
        ] {
            let device = devices.of(agent);
            assert_eq!(
                (device.kind, device.browser.as_str()),
                (kind, browser),
                "{agent}"
            );
            assert_eq!(devices.of(agent), device, "remembered the same");
        }
    }
}
