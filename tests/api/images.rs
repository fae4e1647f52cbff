//! Images: uploaded by admins (checked by content, not name, and by size)
//! and served back at an address made of their hash, for good.

use base64::Engine as _;
use rocket::http::{Accept, Header, Status};
use sha2::{Digest, Sha256};

use crate::client::{Browser, Page};
use crate::helpers::{spawn_app, spawn_app_with, TestApp};

/// A real 1 × 1 PNG.
pub fn png() -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
        .expect("base64")
}

fn json() -> Vec<Header<'static>> {
    vec![Accept::JSON.into()]
}

/// Uploads `bytes` as `name` (sent as image/png whatever they are), as the
/// editor's script does.
pub async fn upload(app: &TestApp, admin: &Browser, name: &str, bytes: &[u8]) -> Page {
    let token = admin.csrf_token(app).await;
    let file = ("image", name, "image/png", bytes);
    let fields = [("csrf_token", token.as_str())];
    admin
        .post_multipart(app, "/admin/images", &fields, file, json())
        .await
}

/// A page's text with Tera's escaping of `/` undone, as a browser reads it.
pub fn text(page: &Page) -> String {
    page.body.replace("&#x2F;", "/")
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> &'h str {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map_or("", |(_, v)| v.as_str())
}

#[rocket::async_test]
async fn an_uploaded_png_is_served_back_as_png_for_good() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let bytes = png();

    let page = upload(&app, &admin, "harbour at dusk.png", &bytes).await;

    assert_eq!(page.status, Status::Created, "{}", page.body);
    let answer = page.json();
    let url = format!("/images/{}.png", hex::encode(Sha256::digest(&bytes)));
    assert_eq!(answer["url"], url.as_str());
    assert_eq!(
        answer["markdown"],
        format!("![harbour at dusk]({url})").as_str()
    );
    assert_eq!(
        (answer["width"].as_i64(), answer["height"].as_i64()),
        (Some(1), Some(1))
    );

    // Anyone may fetch it, logged in or not.
    let (status, headers, served) = Browser::new().get_bytes(&app, &url).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(header(&headers, "Content-Type"), "image/png");
    assert!(header(&headers, "Cache-Control").contains("immutable"));
    assert_eq!(served, bytes);

    // The same file again is kept once, at the same address.
    let again = upload(&app, &admin, "copy.png", &bytes).await;
    assert_eq!(again.json()["url"], url.as_str());
    assert_eq!(app.count("SELECT COUNT(*) FROM images").await, 1);
    // Another extension, or another hash, is no image.
    let jpeg = url.replace(".png", ".jpg");
    assert_eq!(
        Browser::new().get(&app, &jpeg).await.status,
        Status::NotFound
    );
    let other = format!("/images/{}.png", "0".repeat(64));
    assert_eq!(
        Browser::new().get(&app, &other).await.status,
        Status::NotFound
    );
}

#[rocket::async_test]
async fn a_file_named_png_with_other_content_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;

    for fake in [
        &b"just some text, named like a picture"[..],
        b"<svg><script>alert(1)</script></svg>",
    ] {
        let page = upload(&app, &admin, "photo.png", fake).await;
        assert_eq!(page.status, Status::UnsupportedMediaType, "{}", page.body);
        assert!(page.json()["error"]
            .as_str()
            .unwrap_or_default()
            .contains("PNG, JPEG, WebP or GIF"));
    }
    // A cut-short PNG: the right first bytes, no size.
    let page = upload(&app, &admin, "half.png", &png()[..10]).await;
    assert_eq!(page.status, Status::UnsupportedMediaType, "{}", page.body);

    // From the Images page's form (no script), the page comes back saying why.
    let token = admin.csrf_token(&app).await;
    let file = ("image", "photo.png", "image/png", &b"not an image"[..]);
    let page = admin
        .post_multipart(
            &app,
            "/admin/images",
            &[("csrf_token", &token)],
            file,
            vec![],
        )
        .await;
    assert_eq!(page.status, Status::UnsupportedMediaType);
    assert!(
        page.body.contains("not an image Folio takes"),
        "{}",
        page.body
    );
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    assert_eq!(app.count("SELECT COUNT(*) FROM images").await, 0);
}

#[rocket::async_test]
async fn an_image_over_the_limit_is_refused_saying_the_limit() {
    let app = spawn_app_with(|figment| figment.merge(("limits.image", "2 KiB"))).await;
    let admin = app.admin("editor").await;
    let mut big = png();
    big.resize(8 * 1024, 0);

    let page = upload(&app, &admin, "big.png", &big).await;

    assert_eq!(page.status, Status::PayloadTooLarge, "{}", page.body);
    assert!(page.json()["error"]
        .as_str()
        .unwrap_or_default()
        .contains("up to 2 KiB"));
    assert_eq!(app.count("SELECT COUNT(*) FROM images").await, 0);
    // Under the limit it is taken.
    assert_eq!(
        upload(&app, &admin, "small.png", &png()).await.status,
        Status::Created
    );
}

#[rocket::async_test]
async fn an_upload_without_the_form_token_is_refused() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let file = ("image", "a.png", "image/png", &png()[..]);
    let page = admin
        .post_multipart(
            &app,
            "/admin/images",
            &[("csrf_token", "forged")],
            file,
            json(),
        )
        .await;
    assert_eq!(page.status, Status::Forbidden);
    assert_eq!(app.count("SELECT COUNT(*) FROM images").await, 0);
}

#[rocket::async_test]
async fn a_form_upload_goes_back_to_its_page_with_the_markdown() {
    let app = spawn_app().await;
    let admin = app.admin("editor").await;
    let token = admin.csrf_token(&app).await;
    let file = ("image", "gull.png", "image/png", &png()[..]);
    let fields = [("csrf_token", token.as_str()), ("next", "/admin/images")];

    let page = admin
        .post_multipart(&app, "/admin/images", &fields, file, vec![])
        .await;

    assert_eq!(page.status, Status::SeeOther);
    assert_eq!(page.location(), Some("/admin/images"));
    let library = admin.get(&app, "/admin/images").await;
    let url = format!("/images/{}.png", hex::encode(Sha256::digest(png())));
    assert!(
        text(&library).contains(&format!("![gull]({url})")),
        "{}",
        library.body
    );
    assert!(text(&library).contains(&format!("src=\"{url}\"")));
}
