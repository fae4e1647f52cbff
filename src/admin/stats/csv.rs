//! The data of each table and chart as a CSV download.

use rocket::http::{ContentType, Header};
use rocket::response::Responder;

/// A CSV file, sent as a download.
#[derive(Responder)]
pub struct Csv {
    body: (ContentType, String),
    disposition: Header<'static>,
}

impl Csv {
    /// A file named `filename` with a header row and the given rows.
    pub fn new(
        filename: &str,
        header: &[&str],
        rows: impl IntoIterator<Item = Vec<String>>,
    ) -> Csv {
        let mut body = line(header.iter().map(|h| h.to_string()));
        for row in rows {
            body.push_str(&line(row));
        }
        Csv {
            body: (
                ContentType::new("text", "csv").with_params(("charset", "utf-8")),
                body,
            ),
            disposition: Header::new(
                "Content-Disposition",
                format!("attachment; filename=\"{filename}\""),
            ),
        }
    }
}

fn line(fields: impl IntoIterator<Item = String>) -> String {
    let fields: Vec<String> = fields.into_iter().map(|f| field(&f)).collect();
    format!("{}\r\n", fields.join(","))
}

/// A field, quoted when it holds a separator, a quote or a line break. Text
/// that a spreadsheet would run as a formula is kept as text.
fn field(value: &str) -> String {
    let formula =
        value.starts_with(['=', '+', '-', '@', '\t', '\r']) && value.parse::<f64>().is_err();
    let value = if formula {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_never_formulas() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=1+1"), "'=1+1");
        assert_eq!(field("-3"), "-3");
    }
}
