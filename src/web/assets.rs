//! Templates and static files, embedded in the binary so that it runs
//! alone from an empty directory. (In debug builds rust-embed reads them
//! from disk, so edits show without a rebuild.)

use std::path::PathBuf;

use rocket::fairing::Fairing;
use rocket::http::{ContentType, Header, Status};
use rocket::request::Request;
use rocket::response::{self, Responder, Response};
use rocket::Route;
use rocket_dyn_templates::Template;
use rust_embed::{EmbeddedFile, RustEmbed};

use crate::build_info::BUILD;
use crate::error::Error;

#[derive(RustEmbed)]
#[folder = "templates/"]
struct TemplateFiles;

#[derive(RustEmbed)]
#[folder = "static/"]
struct StaticFiles;

/// The folder given to rocket_dyn_templates, which refuses to start unless it
/// exists. Debug builds watch the source templates and reload them on change;
/// release builds point at the data directory, which is created at start and
/// holds no templates of its own.
pub fn template_dir(data_dir: &std::path::Path) -> PathBuf {
    if cfg!(debug_assertions) {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/templates"))
    } else {
        data_dir.to_path_buf()
    }
}

/// Where `base.html` names the running build.
const BUILD_MARK: &str = "@@folio_build@@";

/// `text` escaped for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
        // Written into template source: keep Tera's delimiters out.
        .replace('{', "&#123;")
        .replace('}', "&#125;")
}

/// Template source without the indentation of its lines: a page is sent
/// smaller, and no template indents text that shows (every textarea's
/// value sits on its tag's line).
fn unindented(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for line in source.lines() {
        out.push_str(line.trim_start_matches([' ', '\t']));
        out.push('\n');
    }
    out
}

/// The Tera engine, loaded with every embedded template at once (a child
/// template added before the base it extends would be refused).
pub fn templates() -> impl Fairing {
    Template::try_custom(|engines| {
        let mut sources = Vec::new();
        for name in TemplateFiles::iter() {
            if let Some(file) = TemplateFiles::get(&name) {
                let text = String::from_utf8(file.data.into_owned())?;
                // The build is fixed at compile time: written into the
                // footer once rather than looked up on every page.
                let text = text.replace(BUILD_MARK, &escape(&BUILD.label()));
                let text = unindented(&text);
                // The name keeps its `.html`: it sets the response's Content-Type
                // and turns on Tera's auto-escaping.
                sources.push((name.into_owned(), text));
            }
        }
        engines.tera.add_raw_templates(sources)?;
        super::times::register(&mut engines.tera);
        Ok(())
    })
}

/// An embedded static file, answered with its type, an ETag and caching
/// headers, or with 304 when the browser already has it.
pub struct Asset {
    name: PathBuf,
    file: EmbeddedFile,
}

impl<'r> Responder<'r, 'static> for Asset {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let etag = format!(
            "\"{}\"",
            hex::encode(&self.file.metadata.sha256_hash()[..16])
        );
        let mut response = Response::build();
        response
            .raw_header("ETag", etag.clone())
            .raw_header("Cache-Control", "public, max-age=3600, must-revalidate");
        let fresh = req
            .headers()
            .get("If-None-Match")
            .any(|value| value.split(',').any(|tag| tag.trim() == etag));
        if fresh {
            return response.status(Status::NotModified).ok();
        }
        let content_type = self
            .name
            .extension()
            .and_then(|ext| ext.to_str())
            .and_then(ContentType::from_extension)
            .unwrap_or(ContentType::Binary);
        let body = self.file.data.into_owned();
        response
            .header(content_type)
            .header(Header::new("X-Content-Type-Options", "nosniff"))
            .sized_body(body.len(), std::io::Cursor::new(body))
            .ok()
    }
}

#[rocket::get("/static/<path..>")]
fn asset(path: PathBuf) -> Result<Asset, Error> {
    let name = path.to_string_lossy().replace('\\', "/");
    let file = StaticFiles::get(&name).ok_or(Error::NotFound)?;
    Ok(Asset { name: path, file })
}

pub fn routes() -> Vec<Route> {
    rocket::routes![asset]
}
