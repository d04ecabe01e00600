//! The built app (`target/site`, written by `.ci/build-app`): embedded in release
//! builds, read from disk in debug builds or from `--site-dir`.
//!
//! Every file of one build lives under `/b/<version>/` and never changes, so it
//! is cached for a year and a page can never mix files of two builds; a request
//! for another build's file is a 404, which tells an old page to reload. The
//! page itself is `index.html` with what the address needs written into it: the
//! hints for the route's module and stylesheets (so the browser asks for all of
//! it at once, beside the main module) and the API answers the page reads first,
//! made by calling the API in-process with the visitor's cookie. Nothing of the
//! app is rendered here; the answers are the same JSON the page would fetch.

use axum::{
    Router,
    body::Body,
    extract::{ConnectInfo, Request},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use http_body_util::BodyExt;
use moim_core::{account::Me, paths, routes};
use rust_embed::RustEmbed;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::{
    borrow::Cow, collections::HashMap, fmt::Write, net::SocketAddr, path::PathBuf, sync::Arc,
    time::Duration,
};
use tower::ServiceExt;

#[derive(RustEmbed)]
#[folder = "../target/site/"]
struct Embedded;

/// How long a page waits for its API answers before it leaves them to the app.
const DATA_TIMEOUT: Duration = Duration::from_secs(2);
/// The largest API answer written into a page; a bigger one the app fetches.
const DATA_MAX: usize = 256 * 1024;

/// What `.ci/build-app` writes into `site.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    /// The build's version (a hash of its files).
    pub version: String,
    /// Where the build's files are served: `/b/<version>/`.
    pub base: String,
    /// Every split module of the app by page name (`ideas_route`).
    pub modules: HashMap<String, ModuleFiles>,
    /// A page with a signed-in person's panel as one module, by
    /// `<page>+<panel>`: named instead of the two when a page needs both.
    #[serde(default)]
    pub combined: HashMap<String, Combined>,
}

/// A page and one of its panels as one module.
#[derive(Debug, Clone, Deserialize)]
pub struct Combined {
    /// Its pack, relative to the build's base.
    pub pack: String,
    /// The names of the two modules it is, as the wasm calls their loaders.
    pub modules: Vec<String>,
}

/// One split module as the browser loads it.
#[derive(Debug, Clone, Deserialize)]
pub struct ModuleFiles {
    /// The module's name as the wasm calls its loader.
    pub name: String,
    /// Its pack (the module and every shared chunk it needs, in one file),
    /// relative to the build's base; none when the module turned out empty.
    pub pack: Option<String>,
}

enum Source {
    Embedded,
    Dir(PathBuf),
}

/// The built app: its files and its manifest.
pub struct Site {
    source: Source,
    manifest: Option<Manifest>,
    template: Option<String>,
}

impl Site {
    /// The app embedded in the binary (release) or in `target/site` (debug).
    pub fn embedded() -> Site {
        Site::load(Source::Embedded)
    }

    /// The app in a directory (`--site-dir`).
    pub fn from_dir(dir: PathBuf) -> Site {
        Site::load(Source::Dir(dir))
    }

    fn load(source: Source) -> Site {
        let mut site = Site {
            source,
            manifest: None,
            template: None,
        };
        site.manifest =
            site.read("site.json")
                .and_then(|b| match serde_json::from_slice::<Manifest>(&b) {
                    Ok(m) => Some(m),
                    Err(e) => {
                        tracing::error!("site.json of the built app does not parse: {e}");
                        None
                    }
                });
        if let Some(m) = &site.manifest {
            site.template = site
                .read(&format!("{}index.html", m.base.trim_start_matches('/')))
                .and_then(|b| String::from_utf8(b.into_owned()).ok());
            for r in routes::ROUTES {
                for module in std::iter::once(&r.page)
                    .chain(r.staff)
                    .chain(r.members)
                    .chain(r.later.iter().map(|(m, _)| m))
                {
                    if !m.modules.contains_key(*module) {
                        tracing::error!(
                            "the built app has no module {module} for {}: its page will load without that hint",
                            r.path
                        );
                    }
                }
            }
        }
        site
    }

    /// The build's manifest, once the app is built.
    pub fn manifest(&self) -> Option<&Manifest> {
        self.manifest.as_ref()
    }

    fn read(&self, path: &str) -> Option<Cow<'static, [u8]>> {
        self.read_hashed(path).map(|(data, _)| data)
    }

    /// A file and the SHA-256 of its content (its ETag): built into the binary
    /// with the file when embedded, so a request does not hash it again.
    fn read_hashed(&self, path: &str) -> Option<(Cow<'static, [u8]>, [u8; 32])> {
        match &self.source {
            Source::Embedded => Embedded::get(path).map(|f| (f.data, f.metadata.sha256_hash())),
            Source::Dir(dir) => {
                // Only plain relative paths inside the directory.
                if path
                    .split('/')
                    .any(|s| s.is_empty() || s == "." || s == "..")
                {
                    return None;
                }
                let data = std::fs::read(dir.join(path)).ok()?;
                let hash = Sha256::digest(&data).into();
                Some((Cow::Owned(data), hash))
            }
        }
    }
}

/// Everything that is not the API: the build's files, the few root files (the
/// service worker, the web manifest, icons) and the pages.
pub async fn serve(site: Arc<Site>, api: Router, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    let Some(manifest) = site.manifest() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "The app is not built yet: run `bash .ci/build-app`.",
        )
            .into_response();
    };
    if let Some(rest) = path.strip_prefix("/b/") {
        // Only this build's files; another build's are gone (or not here yet).
        return match rest.strip_prefix(manifest.base.trim_start_matches("/b/")) {
            Some(_) => file(&site, path.trim_start_matches('/'), req.headers(), true),
            None => not_found(),
        };
    }
    let last = path.rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        return file(&site, path.trim_start_matches('/'), req.headers(), false);
    }
    page(&site, manifest, api, req).await
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

/// A file as built, compressed when the client accepts it; `immutable` for the
/// build's own files, revalidated for the root ones.
fn file(site: &Site, path: &str, headers: &HeaderMap, immutable: bool) -> Response {
    let Some((original, hash)) = site.read_hashed(path) else {
        return not_found();
    };
    let etag = format!("\"{}\"", hex(&hash));
    if !immutable
        && headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            == Some(etag.as_str())
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let accepts = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let (body, encoding) = [("br", "br"), ("gzip", "gz")]
        .into_iter()
        .filter(|(e, _)| accepts.contains(e))
        .find_map(|(e, ext)| site.read(&format!("{path}.{ext}")).map(|f| (f, Some(e))))
        .unwrap_or((original, None));
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let mut response = Response::new(Body::from(body.into_owned()));
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(mime.as_ref()) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        }),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Some(e) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
    }
    response
}

/// A page: `index.html` with the route's hints and first API answers. An address
/// no page has is the same shell with a 404 (the app shows its "not found").
async fn page(site: &Site, manifest: &Manifest, api: Router, req: Request) -> Response {
    let Some(template) = site.template.as_deref() else {
        return not_found();
    };
    let (parts, _) = req.into_parts();
    let query = parts.uri.query().unwrap_or_default();
    let found = routes::find(parts.uri.path(), query);
    let mut requests = vec![paths::SESSION.to_owned()];
    if let Some((route, params)) = &found {
        requests.extend(routes::first_requests(route, params));
    }
    let answers = futures_util::future::join_all(
        requests
            .iter()
            .map(|path| answer(api.clone(), &parts.headers, &parts.extensions, path)),
    )
    .await;
    // The session's answer says whether the visitor is signed in, and a CM or an admin.
    let me = answers
        .first()
        .and_then(|a| a.as_ref())
        .and_then(|(_, body)| serde_json::from_str::<Option<Me>>(body).ok().flatten());
    let staff = me
        .as_ref()
        .is_some_and(|me| me.is_admin() || !me.managed_consortia.is_empty());
    let mut hints = String::new();
    if let Some((route, _)) = &found {
        let staff_modules = if staff { route.staff } else { &[] };
        // A signed-in visitor's panels, unless the page's own answers failed (a
        // problem that is not there, or not theirs to see, draws none).
        let answered = answers.iter().skip(1).all(|a| {
            a.as_ref()
                .is_some_and(|(status, _)| (200..300).contains(status))
        });
        let member_modules = match (&me, answers.get(1).and_then(|a| a.as_ref())) {
            (Some(me), Some((_, first))) if answered => {
                routes::members_drawn(route, first, me.is_expert)
            }
            (Some(_), None) if answered => route.members.to_vec(),
            _ => Vec::new(),
        };
        // The page with the one panel drawn with it, as one module, when the
        // build has that.
        let combined = member_modules.iter().find_map(|m| {
            manifest
                .combined
                .get(&format!("{}+{m}", route.page))
                .map(|c| (*m, c))
        });
        if let Some((_, c)) = combined {
            let _ = write!(
                hints,
                r#"<link rel="preload" href="{}" as="fetch" crossorigin data-module="{}">"#,
                attr(&format!("{}{}", manifest.base, c.pack)),
                attr(&c.modules.join(" "))
            );
        }
        let in_combined =
            |m: &str| combined.is_some_and(|(panel, _)| m == route.page || m == panel);
        for module in std::iter::once(&route.page)
            .chain(staff_modules)
            .chain(&member_modules)
            .filter(|m| !in_combined(m))
        {
            let Some((name, pack)) = manifest.modules.get(*module).and_then(|m| {
                m.pack
                    .as_deref()
                    .map(|p| (m.name.as_str(), format!("{}{p}", manifest.base)))
            }) else {
                continue;
            };
            let _ = write!(
                hints,
                r#"<link rel="preload" href="{}" as="fetch" crossorigin data-module="{}">"#,
                attr(&pack),
                attr(name)
            );
        }
        for css in route.styles {
            let _ = write!(
                hints,
                r#"<link rel="stylesheet" href="{}{}">"#,
                manifest.base,
                attr(css)
            );
        }
    }
    let mut data = String::new();
    for (path, answer) in requests.iter().zip(answers) {
        if let Some((status, body)) = answer {
            let _ = write!(
                data,
                r#"<script type="application/json" data-api="{}" data-status="{status}">{}</script>"#,
                attr(path),
                // Inside a script element only `</script` could end it early; JSON
                // has `<` only in strings, where `\u003c` means the same.
                body.replace('<', "\\u003c")
            );
        }
    }
    let html = template
        .replacen("</head>", &format!("{hints}</head>"), 1)
        .replacen("</body>", &format!("{data}</body>"), 1);
    let status = if found.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let mut response = (status, html).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // The page carries the visitor's own answers: never shared, always asked anew.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    response
}

/// The API's answer to a GET of `path` as the visitor would get it (their cookie,
/// their address): its status and JSON body, or nothing when it fails, is slow or
/// is too big, in which case the page asks for it itself.
async fn answer(
    api: Router,
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
    path: &str,
) -> Option<(u16, String)> {
    let mut req = Request::builder().method(Method::GET).uri(path);
    for name in [
        header::COOKIE,
        header::HOST,
        header::ACCEPT_LANGUAGE,
        header::USER_AGENT,
        header::HeaderName::from_static("x-forwarded-for"),
        header::HeaderName::from_static("x-forwarded-proto"),
    ] {
        if let Some(v) = headers.get(&name) {
            req = req.header(name, v);
        }
    }
    let mut req = req.body(Body::empty()).ok()?;
    if let Some(c) = extensions.get::<ConnectInfo<SocketAddr>>() {
        req.extensions_mut().insert(*c);
    }
    let response = tokio::time::timeout(DATA_TIMEOUT, api.oneshot(req))
        .await
        .ok()?
        .ok()?;
    let status = response.status().as_u16();
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !json || status >= 500 {
        return None;
    }
    let body = tokio::time::timeout(DATA_TIMEOUT, response.into_body().collect())
        .await
        .ok()?
        .ok()?
        .to_bytes();
    if body.len() > DATA_MAX {
        return None;
    }
    String::from_utf8(body.to_vec()).ok().map(|b| (status, b))
}

/// Text for a double-quoted attribute.
fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn attr(s: &str) -> Cow<'_, str> {
    if s.contains(['&', '"', '<']) {
        Cow::Owned(
            s.replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('<', "&lt;"),
        )
    } else {
        Cow::Borrowed(s)
    }
}
