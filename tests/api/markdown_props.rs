//! Properties of story rendering: whatever Markdown (and raw HTML) an
//! admin writes, or pastes from elsewhere, rendering never panics and the
//! page gets no script: no script element, no `on…` event attribute, no
//! `javascript:` link.

use folio::stories::markdown::render;
use proptest::prelude::*;

/// Pieces that attackers and Markdown's corners are made of.
const PIECES: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<div onclick=\"alert(1)\">x</div>",
    "<a href=x title=t onmouseover=alert(1)>x</a>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=x></iframe>",
    "<style>body{}</style>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "![x](javascript:alert(1))",
    "[x](/ \"<script>\")",
    "[x](/ 'onload=alert(1)')",
    "<javascript:alert(1)>",
    "<http://example.com>",
    "<!-- <script> -->",
    "<![CDATA[<script>]]>",
    "`<script>`",
    "```\n<script>\n```\n",
    "    <script>\n",
    "| a | b |\n|---|---|\n| <script> | c |\n",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "<",
    ">",
    "\"",
    "'",
    "=",
    "on",
    "onerror=",
    "<p ",
    "<img ",
    " src=",
    "\n",
    "\n\n",
    "*",
    "**",
    "_",
    "~~",
    "> ",
    "- ",
    "1. ",
    "# ",
    "\\",
    "[",
    "](",
    ")",
];

fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => "[ -~\n]{0,12}",
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// An element of the rendered HTML: its name and its attributes.
#[derive(Debug)]
struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

/// The tags of serialised HTML, read as a browser would: text never holds
/// a raw `<` (it is escaped), and quoted attribute values may hold anything
/// but their quote.
fn tags(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut chars = html.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '<' {
            continue;
        }
        let closing = chars.next_if_eq(&'/').is_some();
        let name = take_while(&mut chars, |c| !c.is_whitespace() && c != '>' && c != '/');
        let name = if closing { format!("/{name}") } else { name };
        let mut tag = Tag {
            name: name.to_ascii_lowercase(),
            attributes: Vec::new(),
        };
        loop {
            take_while(&mut chars, |c| c.is_whitespace() || c == '/');
            match chars.peek() {
                None => break,
                Some('>') => {
                    chars.next();
                    break;
                }
                Some(_) => {}
            }
            let attribute = take_while(&mut chars, |c| {
                !c.is_whitespace() && c != '=' && c != '>' && c != '/'
            });
            take_while(&mut chars, char::is_whitespace);
            let mut value = String::new();
            if chars.peek() == Some(&'=') {
                chars.next();
                take_while(&mut chars, char::is_whitespace);
                value = match chars.peek().copied() {
                    Some(quote @ ('"' | '\'')) => {
                        chars.next();
                        let value = take_while(&mut chars, |c| c != quote);
                        chars.next();
                        value
                    }
                    _ => take_while(&mut chars, |c| !c.is_whitespace() && c != '>'),
                };
            }
            tag.attributes.push((attribute.to_ascii_lowercase(), value));
        }
        tags.push(tag);
    }
    tags
}

fn take_while(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    keep: impl Fn(char) -> bool,
) -> String {
    let mut taken = String::new();
    while let Some(&c) = chars.peek() {
        if !keep(c) {
            break;
        }
        taken.push(c);
        chars.next();
    }
    taken
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn rendered_markdown_never_carries_a_script(source in markdown()) {
        let html = render(&source);
        prop_assert!(!html.to_ascii_lowercase().contains("<script"), "{html:?}");

        for tag in tags(&html) {
            let name = tag.name.trim_start_matches('/');
            prop_assert!(name != "script", "a script element in {html:?}");
            for (attribute, value) in &tag.attributes {
                prop_assert!(!attribute.starts_with("on"), "{attribute} in {html:?}");
                let squeezed: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_ascii_lowercase();
                prop_assert!(!squeezed.contains("javascript:"), "{value} in {html:?}");
            }
        }
    }
}

#[test]
fn the_tag_reader_sees_what_a_browser_would() {
    let html = r#"<p title="a > onclick=x">t &lt;script&gt;</p><img src='y' onerror=z/>"#;

    let tags = tags(html);

    let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["p", "/p", "img"]);
    assert_eq!(
        tags[0].attributes,
        [("title".into(), "a > onclick=x".into())]
    );
    assert_eq!(tags[2].attributes[1], ("onerror".into(), "z/".into()));
}
