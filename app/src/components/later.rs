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

/// Lets the browser handle input before going on, continuing ahead of other
/// tasks (`scheduler.yield()`, where the browser has it; else a new task).
pub async fn yield_now() {
    let yielded = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into())
        .ok()
        .filter(|s| !s.is_undefined())
        .and_then(|s| {
            let f: js_sys::Function = js_sys::Reflect::get(&s, &"yield".into())
                .ok()?
                .dyn_into()
                .ok()?;
            f.call0(&s).ok()?.dyn_into::<js_sys::Promise>().ok()
        });
    match yielded {
        Some(p) => {
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        }
        None => next_task().await,
    }
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

/// `view()`, drawn in a task of its own after the rest of the page, without
/// suspending: a `Suspense` around it shows what it has meanwhile, not its
/// fallback. For the part of a page below its heading, so that drawing the page
/// for the first time (the browser compiling each function it runs) is two
/// shorter tasks rather than one long one.
pub fn deferred<V: IntoView + 'static>(view: impl FnOnce() -> V + Send + 'static) -> AnyView {
    deferred_any(Box::new(move || view().into_any()))
}

/// One copy of the machinery, whatever is drawn.
#[inline(never)]
fn deferred_any(view: Box<dyn FnOnce() -> AnyView + Send>) -> AnyView {
    let ready = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        yield_now().await;
        ready.try_set(true);
    });
    let view = std::sync::Mutex::new(Some(view));
    (move || {
        if !ready.get() {
            return None;
        }
        view.lock().ok()?.take().map(|f| f())
    })
    .into_any()
}
