//! Uploaded files (problem attachments, idea photos): what a file is by its
//! content, writing it completely under the data directory before anything
//! refers to it, stripping location metadata from photos, and serving it back
//! so no browser ever runs it.

use crate::{AppState, error::AppError};
use axum::{
    body::{Body, Bytes},
    extract::multipart::MultipartError,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use moim_core::ApiError;

/// What a file is, from its first bytes; only images and PDF are taken.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// A file name safe to store and to put in a header: no path, no control or
/// quoting characters, at most 120 characters.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>'))
        .take(120)
        .collect();
    if cleaned.trim().is_empty() {
        "file".to_owned()
    } else {
        cleaned.trim().to_owned()
    }
}

/// The API error for a multipart body that could not be read: 413 past `limit`.
pub fn multipart_error(e: &MultipartError, limit: usize) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge {
            limit: limit as u64,
        }
    } else {
        ApiError::BadRequest {
            message: e.body_text(),
        }
    }
}

/// Writes `bytes` under a new random key (to a temporary name, then renamed, so
/// a file either exists whole or not at all) and returns the key.
pub async fn store(state: &AppState, bytes: &[u8]) -> Result<String, AppError> {
    let key = crate::auth::random_token();
    let path = state.config.attachment_path(&key);
    let tmp = path.with_extension("part");
    let write = async {
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &path).await
    };
    if let Err(e) = write.await {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(AppError::from_io("storing file", &e));
    }
    Ok(key)
}

/// Writes and removes a small file where uploads go: whether a file can be
/// stored now (readiness).
pub async fn probe(state: &AppState) -> Result<(), AppError> {
    let path = state
        .config
        .attachment_path(&format!("ready-{}", crate::auth::random_token()));
    let write = async {
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        tokio::fs::write(&path, b"ok").await
    };
    let written = write.await;
    let _ = tokio::fs::remove_file(&path).await;
    written.map_err(|e| AppError::from_io("probing the data directory", &e))
}

/// Removes stored files (after a failed insert, or with what they belonged to).
pub async fn remove(state: &AppState, keys: &[String]) {
    for key in keys {
        let _ = tokio::fs::remove_file(state.config.attachment_path(key)).await;
    }
}

/// Reads a stored file.
pub async fn read(state: &AppState, key: &str) -> Result<Vec<u8>, AppError> {
    tokio::fs::read(state.config.attachment_path(key))
        .await
        .map_err(|e| AppError::Internal(format!("reading file: {e}")))
}

/// A stored file as a response: its checked type, `nosniff` (set for every
/// response), a sandboxing CSP, and inline only for images.
pub fn respond(bytes: Vec<u8>, content_type: &str, name: &str, cache: &'static str) -> Response {
    let disposition = if content_type.starts_with("image/") {
        "inline"
    } else {
        "attachment"
    };
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let mut res = Body::from(bytes).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{disposition}; filename=\"file\"; filename*=UTF-8''{encoded}"
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

/// A photo without the metadata that can say where and when it was taken (EXIF,
/// XMP, IPTC and text chunks); the picture itself is untouched. `None` when the
/// bytes are not a readable JPEG, PNG or WebP.
pub fn strip_metadata(content_type: &str, bytes: Bytes) -> Option<Bytes> {
    use img_parts::{ImageEXIF, jpeg, png, webp};
    match content_type {
        "image/jpeg" => {
            let mut img = jpeg::Jpeg::from_bytes(bytes).ok()?;
            // APP1 holds EXIF and XMP, APP13 Photoshop/IPTC, COM free text.
            img.segments_mut().retain(|s| {
                !matches!(
                    s.marker(),
                    jpeg::markers::APP1 | jpeg::markers::APP13 | jpeg::markers::COM
                )
            });
            Some(img.encoder().bytes())
        }
        "image/png" => {
            let mut img = png::Png::from_bytes(bytes).ok()?;
            img.chunks_mut()
                .retain(|c| !matches!(&c.kind(), b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME"));
            Some(img.encoder().bytes())
        }
        "image/webp" => {
            let mut img = webp::WebP::from_bytes(bytes).ok()?;
            img.set_exif(None);
            img.remove_chunks_by_id(webp::CHUNK_XMP);
            Some(img.encoder().bytes())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG with an EXIF segment holding GPS tags, a comment and a tiny image.
    fn jpeg_with_exif() -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        v.extend([0xFF, 0xE0, 0x00, 0x10]);
        v.extend(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let exif = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude37.5665";
        v.extend([0xFF, 0xE1]);
        v.extend(u16::try_from(exif.len() + 2).unwrap_or(0).to_be_bytes());
        v.extend(exif);
        let com = b"Seoul City Hall";
        v.extend([0xFF, 0xFE]);
        v.extend(u16::try_from(com.len() + 2).unwrap_or(0).to_be_bytes());
        v.extend(com);
        v.extend([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
        v.extend([0x12, 0x34, 0x56]);
        v.extend([0xFF, 0xD9]);
        v
    }

    #[test]
    fn location_metadata_is_stripped_from_jpeg() {
        let input = jpeg_with_exif();
        assert!(input.windows(11).any(|w| w == b"GPSLatitude"));
        let out = strip_metadata("image/jpeg", Bytes::from(input)).unwrap_or_default();
        assert!(!out.is_empty());
        assert!(!out.windows(11).any(|w| w == b"GPSLatitude"));
        assert!(!out.windows(15).any(|w| w == b"Seoul City Hall"));
        assert!(out.windows(4).any(|w| w == b"JFIF"));
        assert_eq!(sniff(&out), Some("image/jpeg"));
        assert!(
            strip_metadata("image/jpeg", Bytes::from_static(b"\xFF\xD8\xFFnot really")).is_none()
        );
    }
}
