//! What the person wrote on the idea board and the server has not acknowledged
//! yet: kept on the device (localStorage) from the moment "post" is tapped, shown
//! as pending, sent when the connection is back, and forgotten only after the
//! server answered. Each item carries its idempotency key, so however often a send
//! is retried (a dropped connection, a reload mid-send) the server keeps one.
//!
//! Photos are scaled down in the browser before they are kept or sent.

use crate::{
    api::{self, ClientError},
    i18n::{Lang, use_lang},
    state,
};
use leptos::{prelude::*, task::spawn_local};
use moim_core::{ApiError, IdeaId, idea::*};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

const KEY: &str = "moim.outbox";

/// One thing waiting to be sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Pending {
    /// A new idea with its photos (`data:` URLs, already scaled down).
    Idea {
        idea: NewIdea,
        photos: Vec<String>,
        /// Why the server refused it (then it waits for the person, not the network).
        error: Option<String>,
    },
    /// A comment or reply.
    Comment {
        idea: IdeaId,
        comment: NewComment,
        error: Option<String>,
    },
}

impl Pending {
    pub fn key(&self) -> &str {
        match self {
            Pending::Idea { idea, .. } => &idea.idempotency_key,
            Pending::Comment { comment, .. } => &comment.idempotency_key,
        }
    }
    pub fn error(&self) -> Option<&str> {
        match self {
            Pending::Idea { error, .. } | Pending::Comment { error, .. } => error.as_deref(),
        }
    }
    fn set_error(&mut self, e: Option<String>) {
        match self {
            Pending::Idea { error, .. } | Pending::Comment { error, .. } => *error = e,
        }
    }
}

/// The outbox, shared by the idea pages.
#[derive(Clone, Copy)]
pub struct Outbox {
    pub items: RwSignal<Vec<Pending>>,
    /// A send is under way.
    pub sending: RwSignal<bool>,
    /// Bumped whenever something was delivered (pages refetch on it).
    pub delivered: RwSignal<u32>,
    lang: RwSignal<Lang>,
}

/// The outbox, made on the first idea page visited and kept while the app runs
/// (under the app's owner, so moving between pages never drops a send under way).
pub fn use_outbox() -> Outbox {
    if let Some(o) = use_context::<Outbox>() {
        return o;
    }
    match use_context::<state::AppOwner>() {
        Some(app) => app.0.with(Outbox::provide),
        None => Outbox::provide(),
    }
}

/// Whether the browser believes it is online.
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

impl Outbox {
    /// Loads what waits on this device and sends it whenever the connection returns.
    fn provide() -> Outbox {
        let items: Vec<Pending> = state::load(KEY).unwrap_or_default();
        let outbox = Outbox {
            items: RwSignal::new(items),
            sending: RwSignal::new(false),
            delivered: RwSignal::new(0),
            lang: use_lang(),
        };
        provide_context(outbox);
        let online = window_event_listener(leptos::ev::online, move |_| outbox.flush(None));
        on_cleanup(move || online.remove());
        outbox.flush(None);
        outbox
    }

    /// Writes the outbox to the device; false when the browser refused (full).
    fn persist(self) -> bool {
        self.items
            .try_with_untracked(|i| {
                if i.is_empty() {
                    state::forget(KEY);
                    true
                } else {
                    state::save(KEY, i)
                }
            })
            .unwrap_or(false)
    }

    /// Keeps `p` on the device, then tries to send it. `done` hears of the new idea
    /// once the server has it. False when the device could not keep it (storage
    /// full, usually photos): it is still sent while the page stays open.
    pub fn push(self, p: Pending, done: Option<Box<dyn FnOnce(Option<IdeaId>)>>) -> bool {
        self.items.update(|i| i.push(p));
        let kept = self.persist();
        self.flush(done);
        kept
    }

    /// Drops an item the server refused and the person gave up on.
    pub fn discard(self, key: &str) {
        self.items.update(|i| i.retain(|p| p.key() != key));
        let _ = self.persist();
    }

    /// Sends what waits, in order, one at a time; stops at the first network
    /// failure (still offline). An item is removed only after the server answered.
    pub fn flush(self, done: Option<Box<dyn FnOnce(Option<IdeaId>)>>) {
        if self.sending.get_untracked() || !online() {
            if let Some(d) = done {
                d(None);
            }
            return;
        }
        if self
            .items
            .with_untracked(|i| i.iter().all(|p| p.error().is_some()))
        {
            if let Some(d) = done {
                d(None);
            }
            return;
        }
        self.sending.set(true);
        spawn_local(async move {
            let first_idea = deliver(self).await;
            self.sending.try_set(false);
            if let Some(d) = done {
                d(first_idea);
            }
        });
    }
}

/// Sends what waits, in order, one at a time (a module of its own: pages load it
/// only when there is something to send). Returns the first new idea.
#[leptos::lazy]
async fn deliver(outbox: Outbox) -> Option<IdeaId> {
    let mut first_idea = None;
    loop {
        // The pages may have been left meanwhile: then stop; the rest waits on
        // the device for the next visit.
        let next = outbox
            .items
            .try_with_untracked(|i| i.iter().find(|p| p.error().is_none()).cloned())
            .flatten();
        let Some(item) = next else { break };
        let result = match &item {
            Pending::Idea { idea, photos, .. } => {
                api::ideas::create(idea, photos).await.map(|c| Some(c.id))
            }
            Pending::Comment { idea, comment, .. } => {
                api::ideas::comment(*idea, comment).await.map(|_| None)
            }
        };
        match result {
            Ok(id) => {
                first_idea = first_idea.or(id);
                // Off the device first (even if the page was left meanwhile).
                let mut kept: Vec<Pending> = state::load(KEY).unwrap_or_default();
                kept.retain(|p| p.key() != item.key());
                if kept.is_empty() {
                    state::forget(KEY);
                } else {
                    state::save(KEY, &kept);
                }
                outbox
                    .items
                    .try_update(|i| i.retain(|p| p.key() != item.key()));
                outbox.delivered.try_update(|n| *n += 1);
            }
            // Offline, the server unreachable, failing or out of storage,
            // signed out, or a policy to agree to first: try later.
            Err(ClientError::Network)
            | Err(ClientError::Api(
                ApiError::Internal
                | ApiError::Unavailable { .. }
                | ApiError::StorageFull { .. }
                | ApiError::Unauthenticated
                | ApiError::ConsentRequired
                | ApiError::TooManyRequests { .. },
            )) => break,
            Err(e) => {
                let text =
                    state::error_text(&e, outbox.lang.try_get_untracked().unwrap_or(Lang::Ko));
                outbox.items.try_update(|i| {
                    if let Some(p) = i.iter_mut().find(|p| p.key() == item.key()) {
                        p.set_error(Some(text.clone()));
                    }
                });
                let _ = outbox.persist();
            }
        }
    }
    first_idea
}

/// Longest side of a photo after scaling, in pixels.
const PHOTO_SIDE: f64 = 1280.0;
/// Largest original the browser is asked to open.
const ORIGINAL_MAX: f64 = 30.0 * 1024.0 * 1024.0;

/// Why a chosen file cannot become a photo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PhotoError {
    NotAnImage,
    TooLarge,
}

/// Scales a chosen photo down to at most 1280 px on its longer side and re-encodes
/// it as JPEG (which also drops its metadata); returns a `data:` URL.
pub async fn scale_photo(file: web_sys::File) -> Result<String, PhotoError> {
    if file.size() > ORIGINAL_MAX {
        return Err(PhotoError::TooLarge);
    }
    if !file.type_().starts_with("image/") && !file.type_().is_empty() {
        return Err(PhotoError::NotAnImage);
    }
    let window = web_sys::window().ok_or(PhotoError::NotAnImage)?;
    let promise = window
        .create_image_bitmap_with_blob(&file)
        .map_err(|_| PhotoError::NotAnImage)?;
    let bitmap: web_sys::ImageBitmap = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| PhotoError::NotAnImage)?
        .dyn_into()
        .map_err(|_| PhotoError::NotAnImage)?;
    let (w, h) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    if w < 1.0 || h < 1.0 {
        return Err(PhotoError::NotAnImage);
    }
    let scale = (PHOTO_SIDE / w.max(h)).min(1.0);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let (tw, th) = ((w * scale).round() as u32, (h * scale).round() as u32);
    let canvas: web_sys::HtmlCanvasElement = window
        .document()
        .and_then(|d| d.create_element("canvas").ok())
        .and_then(|e| e.dyn_into().ok())
        .ok_or(PhotoError::NotAnImage)?;
    canvas.set_width(tw.max(1));
    canvas.set_height(th.max(1));
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or(PhotoError::NotAnImage)?;
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, f64::from(tw), f64::from(th))
        .map_err(|_| PhotoError::NotAnImage)?;
    bitmap.close();
    canvas
        .to_data_url_with_type_and_encoder_options(
            "image/jpeg",
            &wasm_bindgen::JsValue::from_f64(0.8),
        )
        .map_err(|_| PhotoError::NotAnImage)
}
