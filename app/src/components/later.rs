//! Drawing a page in more than one task. On a first visit most of the cost of
//! drawing is the browser compiling each wasm function the first time it runs;
//! a page drawn in one go keeps a phone busy (and deaf to taps) for hundreds of
//! milliseconds. What is not needed for the first look — sections further down,
//! panels beside the content — is drawn after the browser had a turn.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, closure::Closure};

/// Resolves after the browser has run its other work (a zero-delay timeout).
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let f = Closure::once_into_js(move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        });
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback(f.unchecked_ref());
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// `view()`, drawn in a task of its own after the rest of the page.
pub fn later<V: IntoView + 'static>(view: impl FnOnce() -> V + Send + 'static) -> AnyView {
    drawn_later(Box::new(move || view().into_any()))
}

/// One copy of the machinery, whatever is drawn.
#[inline(never)]
fn drawn_later(view: Box<dyn FnOnce() -> AnyView + Send>) -> AnyView {
    Suspend::new(async move {
        send_wrapper::SendWrapper::new(next_task()).await;
        view()
    })
    .into_any()
}
