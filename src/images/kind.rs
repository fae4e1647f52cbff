//! What an uploaded file is, told by its content, never by its name: a
//! PNG, JPEG, WebP or GIF whose header gives its size in pixels.

use serde::Serialize;

/// The kinds of image Folio keeps. SVG is not one: it can hold scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Png,
    Jpeg,
    Webp,
    Gif,
}

/// What the upload form says Folio takes.
pub const ACCEPTED: &str = "PNG, JPEG, WebP or GIF";

impl Kind {
    /// Its name in the database: `png`, `jpeg`, `webp` or `gif`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Png => "png",
            Kind::Jpeg => "jpeg",
            Kind::Webp => "webp",
            Kind::Gif => "gif",
        }
    }

    /// The kind a database name names.
    pub fn from_name(name: &str) -> Option<Kind> {
        [Kind::Png, Kind::Jpeg, Kind::Webp, Kind::Gif]
            .into_iter()
            .find(|kind| kind.name() == name)
    }
    /// The file name extension of its address.
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Png => "png",
            Kind::Jpeg => "jpg",
            Kind::Webp => "webp",
            Kind::Gif => "gif",
        }
    }

    /// The kind an address's extension names (`jpeg` as well as `jpg`).
    pub fn from_extension(extension: &str) -> Option<Kind> {
        match extension {
            "png" => Some(Kind::Png),
            "jpg" | "jpeg" => Some(Kind::Jpeg),
            "webp" => Some(Kind::Webp),
            "gif" => Some(Kind::Gif),
            _ => None,
        }
    }

    /// Its content type, as served.
    pub fn content_type(self) -> rocket::http::ContentType {
        use rocket::http::ContentType;
        match self {
            Kind::Png => ContentType::PNG,
            Kind::Jpeg => ContentType::JPEG,
            Kind::Webp => ContentType::WEBP,
            Kind::Gif => ContentType::GIF,
        }
    }

    /// Its media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Webp => "image/webp",
            Kind::Gif => "image/gif",
        }
    }
}

/// An image's kind and size in pixels, read from its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    pub kind: Kind,
    pub width: u32,
    pub height: u32,
}

/// Largest width or height taken: a larger image is a mistake or a trap.
pub const MAX_SIDE: usize = 20_000;

/// What `bytes` are, or why Folio does not take them, in words for the
/// admin who uploaded them.
pub fn sniff(bytes: &[u8]) -> Result<Sniffed, String> {
    let refused = || format!("That file is not an image Folio takes: send a {ACCEPTED} file.");
    let kind = match imagesize::image_type(bytes).map_err(|_| refused())? {
        imagesize::ImageType::Png => Kind::Png,
        imagesize::ImageType::Jpeg => Kind::Jpeg,
        imagesize::ImageType::Webp => Kind::Webp,
        imagesize::ImageType::Gif => Kind::Gif,
        _ => return Err(refused()),
    };
    let size = imagesize::blob_size(bytes)
        .map_err(|_| "That image is damaged or cut short: its size cannot be read.".to_string())?;
    if size.width == 0 || size.height == 0 {
        return Err("That image has no pixels.".into());
    }
    if size.width > MAX_SIDE || size.height > MAX_SIDE {
        return Err(format!(
            "That image is {} × {} pixels: Folio takes at most {MAX_SIDE} on a side.",
            size.width, size.height
        ));
    }
    Ok(Sniffed {
        kind,
        width: size.width as u32,
        height: size.height as u32,
    })
}

impl sqlx::Type<sqlx::Any> for Kind {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <str as sqlx::Type<sqlx::Any>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Any> for Kind {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Any as sqlx::database::HasArguments<'q>>::ArgumentBuffer,
    ) -> sqlx::encode::IsNull {
        <&str as sqlx::Encode<sqlx::Any>>::encode(self.name(), buf)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for Kind {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let name = <&str as sqlx::Decode<sqlx::Any>>::decode(value)?;
        Kind::from_name(name).ok_or_else(|| format!("{name} is not a kind of image").into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2 × 3 PNG's signature and header chunk: enough to be told apart.
    fn png_header() -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(2u32.to_be_bytes());
        png.extend(3u32.to_be_bytes());
        png.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        png
    }

    #[test]
    fn a_png_is_told_by_its_bytes_with_its_size() {
        let sniffed = sniff(&png_header()).expect("a PNG");
        assert_eq!(
            (sniffed.kind, sniffed.width, sniffed.height),
            (Kind::Png, 2, 3)
        );
    }

    #[test]
    fn text_and_svg_are_refused_whatever_their_name() {
        assert!(sniff(b"hello, this is not an image").is_err());
        assert!(sniff(b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>").is_err());
        assert!(sniff(b"").is_err());
    }

    #[test]
    fn a_cut_short_png_is_refused() {
        assert!(sniff(&png_header()[..12]).is_err());
    }

    #[test]
    fn extensions_name_kinds() {
        for kind in [Kind::Png, Kind::Jpeg, Kind::Webp, Kind::Gif] {
            assert_eq!(Kind::from_extension(kind.extension()), Some(kind));
            assert_eq!(kind.content_type().to_string(), kind.media_type());
        }
        assert_eq!(Kind::from_extension("jpeg"), Some(Kind::Jpeg));
        assert_eq!(Kind::from_extension("svg"), None);
    }
}
