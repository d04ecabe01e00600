//! Form fields with labels, hints, live validation from `core` and the server's
//! per-field errors, wired for screen readers (`aria-invalid`, `aria-describedby`).

use crate::{
    api::ClientError,
    i18n::{M, field_error, use_lang},
    state::error_text,
};
use leptos::prelude::*;
use moim_core::{ErrorCode, FieldErrors};

/// Validation state of one form: `core`'s live errors, the server's last 422, and
/// which fields the person has left (errors show after that, or after submitting).
#[derive(Clone, Copy)]
pub struct FormState {
    live: Signal<FieldErrors>,
    server: RwSignal<FieldErrors>,
    submitted: RwSignal<bool>,
    touched: RwSignal<Vec<String>>,
}

impl FormState {
    pub fn new(live: impl Fn() -> FieldErrors + Send + Sync + 'static) -> Self {
        FormState {
            live: Signal::derive(live),
            server: RwSignal::new(FieldErrors::default()),
            submitted: RwSignal::new(false),
            touched: RwSignal::new(Vec::new()),
        }
    }

    /// The error to show beside `field` now.
    pub fn error(self, field: &str) -> Option<ErrorCode> {
        if let Some(e) = self.server.with(|s| s.get(field).cloned()) {
            return Some(e);
        }
        let shown = self.submitted.get() || self.touched.with(|t| t.iter().any(|f| f == field));
        if shown {
            self.live.with(|l| l.get(field).cloned())
        } else {
            None
        }
    }

    pub fn touch(self, field: &str) {
        if self
            .touched
            .with_untracked(|t| !t.iter().any(|f| f == field))
        {
            self.touched.update(|t| t.push(field.to_owned()));
        }
    }

    /// The person edited `field`: the server's verdict on it is stale.
    pub fn edited(self, field: &str) {
        if self.server.with_untracked(|s| s.get(field).is_some()) {
            self.server.update(|s| s.0.retain(|e| e.field != field));
        }
    }

    /// Fields starting with `prefix` moved or went (a list's rows): the server's
    /// verdicts on them are stale.
    pub fn forget(self, prefix: &str) {
        if self
            .server
            .with_untracked(|s| s.0.iter().any(|e| e.field.starts_with(prefix)))
        {
            self.server
                .update(|s| s.0.retain(|e| !e.field.starts_with(prefix)));
        }
    }

    /// Marks the form submitted; true when `core` finds nothing wrong. Otherwise
    /// focus moves to the first invalid field once it is drawn.
    pub fn submit(self) -> bool {
        self.submitted.set(true);
        self.server.set(FieldErrors::default());
        let ok = self.live.with_untracked(FieldErrors::is_empty);
        if !ok {
            focus_first_invalid();
        }
        ok
    }

    /// Back to a fresh form (after it was sent and its fields emptied): no
    /// error shows until the person submits or leaves a field again.
    pub fn reset(self) {
        self.submitted.set(false);
        self.touched.set(Vec::new());
        self.server.set(FieldErrors::default());
    }

    /// Shows the server's per-field errors of a failed call.
    pub fn server_errors(self, e: &ClientError) {
        self.server.set(e.fields());
        if !self.server.with_untracked(FieldErrors::is_empty) {
            focus_first_invalid();
        }
    }

    /// True when any error is shown.
    pub fn has_errors(self) -> bool {
        self.submitted.get()
            && (!self.live.with(FieldErrors::is_empty) || !self.server.with(FieldErrors::is_empty))
    }
}

fn focus_first_invalid() {
    focus_soon("[aria-invalid=\"true\"]");
}

/// Moves focus to the first element `selector` finds once the page has drawn
/// it (after a row is added or removed, or a form is refused).
pub fn focus_soon(selector: impl Into<String>) {
    let selector = selector.into();
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let field = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&selector).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(field) = field {
            let _ = field.focus();
        }
    });
}

/// A field's label or hint: a shared message, or a page's own (Korean, English)
/// pair, which stays in that page's chunk. Plain data, so nothing reactive is
/// created for it in the parent.
#[derive(Clone, Copy)]
pub enum Label {
    Shared(M),
    Own(&'static str, &'static str),
}

impl Label {
    pub fn text(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Label::Shared(m) => m.text(lang),
            Label::Own(ko, en) => crate::i18n::pick(lang, ko, en),
        }
    }
}

impl From<M> for Label {
    fn from(m: M) -> Self {
        Label::Shared(m)
    }
}

impl From<(&'static str, &'static str)> for Label {
    fn from((ko, en): (&'static str, &'static str)) -> Self {
        Label::Own(ko, en)
    }
}

/// The text a field edits: a signal of its own, or one part of a form's value
/// (a form keeps one value, not a signal per field mirroring it).
#[derive(Clone, Copy)]
pub struct Text {
    get: Signal<String>,
    set: Callback<String>,
}

impl Text {
    /// The part of `value` that `read` and `write` reach (`text!(value.part)`).
    pub fn of<T: Send + Sync + 'static>(
        value: RwSignal<T>,
        read: fn(&T) -> &String,
        write: fn(&mut T) -> &mut String,
    ) -> Text {
        Text {
            get: Signal::derive(move || value.with(|v| read(v).clone())),
            set: Callback::new(move |s| value.update(|v| *write(v) = s)),
        }
    }
}

impl From<RwSignal<String>> for Text {
    fn from(s: RwSignal<String>) -> Self {
        Text {
            get: s.into(),
            set: Callback::new(move |v| s.set(v)),
        }
    }
}

/// The text field `$part` of the form value `$value`, as a [`Text`].
#[macro_export]
macro_rules! text {
    ($value:ident . $part:ident) => {
        $crate::components::form::Text::of($value, |v| &v.$part, |v| &mut v.$part)
    };
}

/// A labelled text input or textarea, wired to its form's live and server errors.
#[component]
pub fn TextField(
    form: FormState,
    /// The request field it fills (its errors are this name's).
    name: &'static str,
    #[prop(into)] label: Label,
    #[prop(into)] value: Text,
    #[prop(optional, into)] hint: Option<Label>,
    #[prop(default = "text")] kind: &'static str,
    /// Prefix of the element id (`{prefix}-{name}`) where a page has two forms
    /// with the same field names; the id is `name` without one.
    #[prop(optional, into)]
    prefix: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional)] required: bool,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let error = move || form.error(name);
    let id = match prefix {
        Some(p) => format!("{p}-{name}"),
        None => name.to_owned(),
    };
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = {
        let (h, e) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(h.clone());
            }
            if error().is_some() {
                ids.push(e.clone());
            }
            ids.join(" ")
        }
    };
    let on_input = move |ev| {
        value.set.run(event_target_value(&ev));
        form.edited(name);
    };
    let on_blur = move |_| form.touch(name);
    let current = value.get;
    let counter =
        move || maxlength.map(|max| format!("{} / {max}", current.with(|v| v.chars().count())));
    let input = if multiline {
        view! {
            <textarea id=id.clone() name=name rows="5" prop:value=current on:input=on_input on:blur=on_blur
                aria-invalid=move || error().is_some().to_string() aria-describedby=described.clone()
                maxlength=maxlength required=required></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=name type=kind prop:value=current on:input=on_input on:blur=on_blur
                aria-invalid=move || error().is_some().to_string() aria-describedby=described
                autocomplete=autocomplete maxlength=maxlength required=required inputmode=inputmode/>
        }
        .into_any()
    };
    view! {
        <div class="field" class:invalid=move || error().is_some()>
            <label for=id>
                {move || label.text(lang.get())}
                {required.then(|| view! { <span class="req" aria-hidden="true">" *"</span> })}
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{move || h.text(lang.get())}</p> })}
            {input}
            <div class="field-foot">
                <p class="error" id=error_id>{move || error().map(|e| field_error(&e, lang.get()))}</p>
                {move || counter().map(|c| view! { <span class="counter" aria-hidden="true">{c}</span> })}
            </div>
        </div>
    }
}

/// A labelled select over `options` of (value, label).
#[component]
pub fn SelectField(
    form: FormState,
    name: &'static str,
    #[prop(into)] label: Label,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    /// Label of the empty choice.
    #[prop(into)]
    placeholder: Label,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let lang = use_lang();
    let error = move || form.error(name);
    let error_id = format!("{name}-error");
    let described = {
        let e = error_id.clone();
        move || {
            if error().is_some() {
                e.clone()
            } else {
                String::new()
            }
        }
    };
    view! {
        <div class="field" class:invalid=move || error().is_some()>
            <label for=name>
                {move || label.text(lang.get())}
                {required.then(|| view! { <span class="req" aria-hidden="true">" *"</span> })}
            </label>
            <select id=name name=name required=required aria-invalid=move || error().is_some().to_string() aria-describedby=described
                prop:value=value
                on:change=move |ev| { value.set(event_target_value(&ev)); form.edited(name); form.touch(name); }>
                <option value="">{move || placeholder.text(lang.get())}</option>
                {move || options.get().into_iter().map(|(v, l)| {
                    let selected = value.get_untracked() == v;
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
            <p class="error" id=error_id>{move || error().map(|e| field_error(&e, lang.get()))}</p>
        </div>
    }
}

/// The file a file input was just given, the input emptied (so the same file
/// can be picked again); `Err` with the reader's words when it is larger than
/// `max` bytes, refused before anything is sent. None: nothing was picked.
pub fn picked_file(
    ev: &leptos::ev::Event,
    max: usize,
    lang: crate::i18n::Lang,
) -> Option<Result<web_sys::File, String>> {
    let input = event_target::<web_sys::HtmlInputElement>(ev);
    let file = input.files().and_then(|f| f.get(0))?;
    input.set_value("");
    #[allow(clippy::cast_precision_loss)]
    if file.size() > max as f64 {
        let mb = max / (1024 * 1024);
        return Some(Err(match lang {
            crate::i18n::Lang::Ko => format!("파일이 {mb}MB를 넘습니다."),
            crate::i18n::Lang::En => format!("The file is over {mb} MB."),
        }));
    }
    Some(Ok(file))
}

/// A failure in a page's own words where `words` has them (its conflicts),
/// anything else as [`FormError`] says it.
#[component]
pub fn OwnError(
    #[prop(into)] error: Signal<Option<ClientError>>,
    words: fn(&ClientError, crate::i18n::Lang) -> Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let own = move || error.get().and_then(|e| words(&e, lang.get()));
    view! {
        {move || match own() {
            Some(text) => view! { <div role="alert" class="form-error-slot"><p class="alert alert-error">{text}</p></div> }.into_any(),
            None => view! { <FormError error=error/> }.into_any(),
        }}
    }
}

/// A form-level error (network, permission, conflict) announced to screen readers.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<ClientError>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div role="alert" class="form-error-slot">
            {move || error.get().map(|e| view! { <p class="alert alert-error">{error_text(&e, lang.get())}</p> })}
        </div>
    }
}
