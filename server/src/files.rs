//! Uploaded files (problem attachments, idea and activity photos): what a file
//! is by its content, the storage that keeps it (a directory or an object
//! store) and writes it whole before anything refers to it, stripping location
//! metadata from photos, and serving it back, streamed, so no browser ever runs
//! it.

use crate::error::AppError;
use axum::{
    body::{Body, Bytes},
    extract::multipart::MultipartError,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use moim_core::ApiError;
use object_store::{
    BackoffConfig, ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig,
    aws::{AmazonS3Builder, AmazonS3ConfigKey},
    local::LocalFileSystem,
    path::Path,
    prefix::PrefixStore,
};
use std::{
    collections::HashSet,
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::Duration,
};

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

/// The part named `file` of a multipart upload of at most `max` bytes: its
/// cleaned name and its bytes. Not a multipart body is 415, a larger file 413,
/// a body without the part 422 (`file` required).
pub async fn file_part(
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
    max: usize,
) -> Result<(String, Bytes), AppError> {
    let mut multipart = multipart.map_err(|_| ApiError::UnsupportedMediaType)?;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(&e, max))?
    {
        if field.name() == Some("file") {
            let name = clean_name(field.file_name().unwrap_or("file"));
            let bytes = field.bytes().await.map_err(|e| multipart_error(&e, max))?;
            if bytes.len() > max {
                return Err(ApiError::PayloadTooLarge { limit: max as u64 }.into());
            }
            return Ok((name, bytes));
        }
    }
    Err(ApiError::invalid("file", moim_core::ErrorCode::Required).into())
}

/// A document as it is kept: an image (its location metadata stripped: a
/// photo of a machine can say where the factory is) or a PDF (as sent), with
/// its type read from the content; anything else is 415.
pub fn document(bytes: Bytes) -> Result<(&'static str, Bytes), AppError> {
    let Some(content_type) = sniff(&bytes) else {
        return Err(ApiError::UnsupportedMediaType.into());
    };
    let bytes = if content_type.starts_with("image/") {
        strip_metadata(content_type, bytes).ok_or(ApiError::UnsupportedMediaType)?
    } else {
        bytes
    };
    Ok((content_type, bytes))
}

/// Where uploaded files live: one interface, two backends chosen by a URL like
/// the database's. A directory of this machine (the default,
/// `<data-dir>/attachments`, or `file:///path`) or any S3-compatible object
/// store (`s3://bucket[/prefix]`, with the endpoint and credentials in the
/// usual `AWS_*` variables), which instances behind a load balancer share.
/// A file is written whole under a new random key before any row names it;
/// one a failed or interrupted transaction left behind is removed by
/// [`sweep`].
#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// When a readiness probe last wrote a file (Unix milliseconds).
    probed_ok: Arc<AtomicI64>,
    /// What the log and `/api/ready` name (no credentials).
    pub describe: String,
}

/// A stored file opened for reading: its length and its bytes as they stream.
pub struct Opened {
    pub size: u64,
    pub body: Body,
}

impl Storage {
    /// The files of the directory `dir` (created when missing).
    pub fn local(dir: &std::path::Path) -> Result<Storage, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let store = LocalFileSystem::new_with_prefix(dir).map_err(|e| e.to_string())?;
        Ok(Storage {
            store: Arc::new(store),
            probed_ok: Arc::default(),
            describe: format!("directory {}", dir.display()),
        })
    }

    /// The storage a URL names: `s3://bucket[/prefix]`, `file:///dir`, or
    /// nothing for `<data_dir>/attachments`.
    pub fn from_url(url: Option<&str>, data_dir: &std::path::Path) -> Result<Storage, String> {
        let Some(url) = url.filter(|u| !u.trim().is_empty()) else {
            return Storage::local(&data_dir.join("attachments"));
        };
        if let Some(dir) = url.strip_prefix("file://") {
            return Storage::local(std::path::Path::new(dir));
        }
        Storage::s3(url, &[])
    }

    /// An S3-compatible store at `s3://bucket[/prefix]`, configured by the
    /// `AWS_*` variables and then by `options` (`aws_endpoint`,
    /// `aws_access_key_id`, …: object_store's configuration keys).
    pub fn s3(url: &str, options: &[(&str, &str)]) -> Result<Storage, String> {
        let Some(rest) = url.strip_prefix("s3://") else {
            return Err(format!(
                "file storage {url:?}: expected s3://bucket[/prefix] or file:///directory"
            ));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(format!("file storage {url:?}: no bucket"));
        }
        // A store that does not answer fails the request within STORE_TIMEOUT
        // (503), not after the client's default three minutes of retries. No
        // timeout covers a whole request: a download's body streams at the
        // pace of the person's connection. The `AWS_*` variables and `options`
        // come after, so they can change any of it.
        let mut builder = AmazonS3Builder::new()
            .with_retry(RetryConfig {
                backoff: BackoffConfig::default(),
                max_retries: 3,
                retry_timeout: Duration::from_secs(10),
            })
            .with_client_options(
                ClientOptions::new()
                    .with_connect_timeout(Duration::from_secs(3))
                    .with_timeout_disabled(),
            );
        // (A variable that is not Unicode is not the store's: skipped.)
        let env: Vec<(String, String)> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .filter(|(k, _)| k.starts_with("AWS_"))
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        let given = options
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()));
        for (key, value) in env.into_iter().chain(given) {
            // Variables of other AWS tools that are not the store's are skipped.
            if let Ok(key) = key.parse::<AmazonS3ConfigKey>() {
                builder = builder.with_config(key, value);
            }
        }
        let s3 = builder
            .with_bucket_name(bucket)
            .build()
            .map_err(|e| format!("file storage {url:?}: {e}"))?;
        let prefix = prefix.trim_matches('/');
        let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(s3)
        } else {
            Arc::new(PrefixStore::new(s3, prefix))
        };
        Ok(Storage {
            store,
            probed_ok: Arc::default(),
            describe: format!("object store {url}"),
        })
    }

    /// Where a key lives: under a two-character shard, as the data directory
    /// always kept them.
    fn path(key: &str) -> Path {
        let shard = key.get(..2).unwrap_or("00");
        Path::from(format!("{shard}/{key}"))
    }

    /// Writes `bytes` whole under a new random key and returns the key.
    pub async fn put(&self, bytes: Bytes) -> Result<String, AppError> {
        let key = crate::auth::random_token();
        bounded(
            "storing file",
            self.store.put(&Self::path(&key), PutPayload::from(bytes)),
        )
        .await?;
        Ok(key)
    }

    /// Opens a stored file to stream it (the store's answer within
    /// STORE_TIMEOUT; its body then at the reader's pace).
    pub async fn open(&self, key: &str) -> Result<Opened, AppError> {
        let got = bounded("reading file", self.store.get(&Self::path(key))).await?;
        Ok(Opened {
            size: got.meta.size,
            body: Body::from_stream(got.into_stream()),
        })
    }

    /// A stored file's bytes, whole (for checks and moves, not for answers).
    pub async fn read(&self, key: &str) -> Result<Bytes, AppError> {
        let got = bounded("reading file", self.store.get(&Self::path(key))).await?;
        got.bytes()
            .await
            .map_err(|e| store_error("reading file", e))
    }

    /// Whether a file is stored under `key`, and its size.
    pub async fn size(&self, key: &str) -> Result<Option<u64>, AppError> {
        match within("looking up file", self.store.head(&Self::path(key))).await? {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(store_error("looking up file", e)),
        }
    }

    /// Removes stored files (after a failed insert, or with what they belonged
    /// to); a file that cannot be removed now is left to [`sweep`].
    pub async fn remove(&self, keys: &[String]) {
        for key in keys {
            match within("removing file", self.store.delete(&Self::path(key))).await {
                Ok(Ok(()) | Err(object_store::Error::NotFound { .. })) => {}
                Ok(Err(e)) => {
                    tracing::warn!("removing file {key} failed (the sweep retries): {e}")
                }
                Err(e) => tracing::warn!("{e}: {key} (the sweep retries)"),
            }
        }
    }

    /// [`Storage::remove`] after the answer: what a request deleted goes from
    /// the store without the person waiting on it.
    pub fn remove_later(&self, keys: Vec<String>) {
        if keys.is_empty() {
            return;
        }
        let storage = self.clone();
        tokio::spawn(async move { storage.remove(&keys).await });
    }

    /// Writes and removes a small file: whether a file can be stored now
    /// (readiness). A success is trusted for PROBE_FRESH_MS, so a load
    /// balancer checking every second does not write to the store every second.
    pub async fn probe(&self) -> Result<(), AppError> {
        let now = chrono::Utc::now().timestamp_millis();
        let last = self.probed_ok.load(Ordering::Relaxed);
        if now - last < PROBE_FRESH_MS {
            return Ok(());
        }
        let path = Path::from(format!("ready/{}", crate::auth::random_token()));
        let written = bounded(
            "probing file storage",
            self.store.put(&path, PutPayload::from_static(b"ok")),
        )
        .await;
        let _ = within("removing the probe", self.store.delete(&path)).await;
        if written.is_ok() {
            self.probed_ok.store(now, Ordering::Relaxed);
        }
        written.map(|_| ())
    }

    /// Whether any file is stored (a restore goes only into an empty storage).
    pub async fn has_files(&self) -> Result<bool, AppError> {
        let mut list = self.store.list(None);
        while let Some(meta) = list.next().await {
            let meta = meta.map_err(|e| store_error("listing files", e))?;
            if Self::key_of(&meta.location).is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Every stored file's key with when it was written.
    async fn listing(&self) -> Result<Vec<(String, DateTime<Utc>)>, AppError> {
        let mut files = Vec::new();
        let mut list = self.store.list(None);
        while let Some(meta) = list.next().await {
            let meta = meta.map_err(|e| store_error("listing files", e))?;
            if let Some(key) = Self::key_of(&meta.location) {
                files.push((key, meta.last_modified));
            }
        }
        Ok(files)
    }

    /// The key of a path that is one of Moim's files (`ab/ab…`: 64 hex
    /// characters under their first two), and nothing else: a bucket shared with
    /// other things, or a probe's leftover, is never swept or counted.
    fn key_of(path: &Path) -> Option<String> {
        let parts: Vec<_> = path.parts().collect();
        let [shard, key] = parts.as_slice() else {
            return None;
        };
        let (shard, key) = (shard.as_ref(), key.as_ref());
        (key.len() == 64
            && key.bytes().all(|b| b.is_ascii_hexdigit())
            && key.get(..2) == Some(shard))
        .then(|| key.to_owned())
    }
}

/// How long a call to the store may take before the request gives up (503).
pub const STORE_TIMEOUT: Duration = Duration::from_secs(15);

/// How long a successful readiness probe of the store is trusted.
const PROBE_FRESH_MS: i64 = 10_000;

/// A call to the store, given up after [`STORE_TIMEOUT`] (503); the store's
/// own answer, error or not, is the caller's to read.
async fn within<T>(
    what: &str,
    call: impl std::future::Future<Output = object_store::Result<T>>,
) -> Result<object_store::Result<T>, AppError> {
    tokio::time::timeout(STORE_TIMEOUT, call)
        .await
        .map_err(|_| AppError::Unavailable(format!("{what}: no answer within {STORE_TIMEOUT:?}")))
}

/// A call to the store within [`STORE_TIMEOUT`], its error as the client
/// will see it.
async fn bounded<T>(
    what: &str,
    call: impl std::future::Future<Output = object_store::Result<T>>,
) -> Result<T, AppError> {
    within(what, call).await?.map_err(|e| store_error(what, e))
}

/// An object store's failure as the client will see it: a full disk is 507, a
/// store that does not answer 503, a file the database names but the store
/// lacks (or anything else) 500.
fn store_error(what: &str, e: object_store::Error) -> AppError {
    // The whole chain of causes, for the log: "builder error" alone says little.
    let mut text = format!("{what}: {e}");
    let mut next = std::error::Error::source(&e);
    while let Some(cause) = next {
        text.push_str(&format!(": {cause}"));
        next = cause.source();
    }
    match &e {
        // The local directory: its disk full is 507, any other fault 500.
        object_store::Error::Generic {
            store: "LocalFileSystem",
            source,
        } => {
            let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(source.as_ref());
            while let Some(c) = cause {
                if let Some(io) = c.downcast_ref::<std::io::Error>() {
                    return AppError::from_io(&text, io);
                }
                cause = c.source();
            }
            AppError::Internal(text)
        }
        // A remote store: refused, timed out, answering 5xx.
        object_store::Error::Generic { .. } => AppError::Unavailable(text),
        _ => AppError::Internal(text),
    }
}

/// How long a stored file no row names may be an upload still committing.
pub const SWEEP_GRACE: chrono::Duration = chrono::Duration::hours(1);

/// Removes stored files that no row names and that are older than
/// `written_before`: left by a transaction that failed after the file was
/// written, or by a removal that failed. Safe to run on every instance at once.
pub async fn sweep(
    db: &crate::Db,
    storage: &Storage,
    written_before: DateTime<Utc>,
) -> Result<usize, AppError> {
    // The listing comes first: a file older than the grace whose row committed
    // is then certainly among the keys read next.
    let listed = storage.listing().await?;
    let named: HashSet<String> = crate::db::files::keys(db).await?.into_iter().collect();
    let orphans: Vec<String> = listed
        .into_iter()
        .filter(|(key, at)| *at < written_before && !named.contains(key))
        .map(|(key, _)| key)
        .collect();
    storage.remove(&orphans).await;
    Ok(orphans.len())
}

/// What moving the files of a directory into another storage did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Moved {
    /// Copied and read back equal.
    pub copied: usize,
    /// Already there with the same bytes (a run again after an interruption).
    pub present: usize,
    /// Named by a row but in neither storage.
    pub missing: Vec<String>,
    /// Read back different, or not written.
    pub failed: Vec<String>,
}

/// Copies every file the database names from `from` into `to` and reads each
/// back to compare its SHA-256; idempotent (a file already there whole is
/// checked, not copied again). Nothing is removed from `from`.
pub async fn copy_all(db: &crate::Db, from: &Storage, to: &Storage) -> Result<Moved, AppError> {
    use sha2::{Digest, Sha256};
    let mut moved = Moved::default();
    for key in crate::db::files::keys(db).await? {
        let source = match from.size(&key).await? {
            Some(_) => from.read(&key).await?,
            None => {
                if to.size(&key).await?.is_some() {
                    moved.present += 1;
                } else {
                    moved.missing.push(key);
                }
                continue;
            }
        };
        let want = Sha256::digest(&source);
        // Already there whole (a run again after an interruption): checked.
        if to.size(&key).await? == Some(source.len() as u64)
            && to
                .read(&key)
                .await
                .is_ok_and(|b| Sha256::digest(&b) == want)
        {
            moved.present += 1;
            continue;
        }
        bounded(
            "copying file",
            to.store
                .put(&Storage::path(&key), PutPayload::from(source.clone())),
        )
        .await?;
        match to.read(&key).await {
            Ok(back) if Sha256::digest(&back) == want => moved.copied += 1,
            _ => moved.failed.push(key),
        }
    }
    Ok(moved)
}

/// A stored file as a response: its checked type, `nosniff` (set for every
/// response), a sandboxing CSP, and inline only for images.
pub fn respond(file: Opened, content_type: &str, name: &str, cache: &'static str) -> Response {
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
    let mut res = file.body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(file.size));
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
/// XMP, IPTC and text chunks; a GIF's comments and application blocks other than
/// the loop count); the picture itself is untouched. `None` when the bytes are not
/// a readable JPEG, PNG, WebP or GIF.
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
        "image/gif" => strip_gif(&bytes).map(Bytes::from),
        _ => None,
    }
}

/// A GIF's blocks, copied except comments (`21 FE`) and application extensions
/// (`21 FF`, where XMP lives) other than the animation loop (`NETSCAPE2.0`,
/// `ANIMEXTS1.0`). `None` when the structure is broken (a block cut short, or one
/// that is none of a GIF's).
fn strip_gif(b: &[u8]) -> Option<Vec<u8>> {
    /// The end of the data sub-blocks starting at `i` (past their zero terminator).
    fn sub_blocks(b: &[u8], mut i: usize) -> Option<usize> {
        loop {
            let n = usize::from(*b.get(i)?);
            i += 1 + n;
            if n == 0 {
                return Some(i);
            }
        }
    }
    /// Bytes of a colour table announced by a packed field.
    fn table(packed: u8) -> usize {
        if packed & 0x80 == 0 {
            0
        } else {
            3 << ((packed & 0x07) + 1)
        }
    }
    let mut i = 13 + table(*b.get(10)?);
    let mut out = b.get(..i)?.to_vec();
    loop {
        // A file that stops after a whole block, without its trailer, is shown by
        // browsers: it gets its trailer.
        let Some(&block) = b.get(i) else {
            out.push(0x3B);
            return Some(out);
        };
        match block {
            0x3B => {
                out.push(0x3B);
                return Some(out);
            }
            0x2C => {
                let packed = *b.get(i + 9)?;
                // Descriptor, local table, the LZW code size, then the data.
                let end = sub_blocks(b, i + 10 + table(packed) + 1)?;
                out.extend_from_slice(b.get(i..end)?);
                i = end;
            }
            0x21 => {
                let label = *b.get(i + 1)?;
                let end = sub_blocks(b, i + 2)?;
                let loop_count = label == 0xFF
                    && matches!(b.get(i + 3..i + 14), Some(b"NETSCAPE2.0" | b"ANIMEXTS1.0"));
                if !matches!(label, 0xFE | 0xFF) || loop_count {
                    out.extend_from_slice(b.get(i..end)?);
                }
                i = end;
            }
            _ => return None,
        }
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
    fn only_moims_own_paths_are_files() {
        let key = "ab".to_owned() + &"0".repeat(62);
        assert_eq!(
            Storage::key_of(&Path::from(format!("ab/{key}"))),
            Some(key.clone())
        );
        for other in [
            format!("cd/{key}"),
            format!("x/ab/{key}"),
            "ready/1234".to_owned(),
            "ab/readme.txt".to_owned(),
            format!("ab/{}", "g".repeat(64)),
        ] {
            assert_eq!(Storage::key_of(&Path::from(other.clone())), None, "{other}");
        }
    }

    /// A 1×1 GIF with a comment, an XMP block and the loop count.
    fn gif_with_comment() -> Vec<u8> {
        let mut v = b"GIF89a\x01\x00\x01\x00\x80\x00\x00".to_vec();
        v.extend([0, 0, 0, 255, 255, 255]); // global table of two colours
        v.extend(b"\x21\xFE\x0Elat 35.2,128.6\x00"); // comment
        v.extend(b"\x21\xFF\x0BXMP DataXMP\x05<x:/>\x00");
        v.extend(b"\x21\xFF\x0BNETSCAPE2.0\x03\x01\x00\x00\x00");
        v.extend(b"\x21\xF9\x04\x00\x00\x00\x00\x00"); // graphic control
        v.extend(b"\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00");
        v.push(0x3B);
        v
    }

    #[test]
    fn a_gif_loses_its_comments_and_xmp_but_keeps_the_picture_and_loop() {
        let gif = gif_with_comment();
        let out = strip_metadata("image/gif", Bytes::from(gif.clone())).unwrap();
        let has = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
        assert!(!has(&out, b"lat 35.2") && !has(&out, b"XMP DataXMP"));
        assert!(has(&out, b"NETSCAPE2.0"));
        assert!(out.ends_with(b"\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3B"));
        assert_eq!(out.len(), gif.len() - 18 - 21);
        // Without its trailer it gets one; cut short, or a block that is none of
        // the GIF's: refused.
        let open = strip_metadata("image/gif", Bytes::from(gif[..gif.len() - 1].to_vec())).unwrap();
        assert_eq!(open, out);
        assert!(strip_metadata("image/gif", Bytes::from(gif[..gif.len() - 3].to_vec())).is_none());
        let mut odd = gif.clone();
        odd[19] = 0x99;
        assert!(strip_metadata("image/gif", Bytes::from(odd)).is_none());
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
