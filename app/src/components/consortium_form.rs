//! The admin's consortium form, for creating and for editing.

use crate::{
    components::form::{FormError, FormState, Label, SelectField, TextField},
    i18n::{self, M, use_lang},
    state::Refs,
    submit::{Job, Submit},
};
use leptos::prelude::*;
use moim_core::{
    ComplexId, ErrorCode, FieldId, Validate,
    account::PersonRef,
    consortium::{ConsortiumKind, EditConsortium},
    validate::{CONSORTIUM_NAME_MAX, DESCRIPTION_MAX},
};

/// The CM chosen with the consortium (when it is founded from an
/// application): the chosen person's id, and the people to choose from.
#[derive(Clone)]
pub struct ManagerPick {
    pub value: RwSignal<String>,
    pub people: Vec<PersonRef>,
}

/// Fills an `EditConsortium`; `save` is the page's call with it (its failure is
/// shown here, a 422 on the fields). `kinds` narrows the kinds offered (all by
/// default); `manager` adds the choice of its CM.
#[component]
pub fn ConsortiumForm(
    initial: Option<EditConsortium>,
    #[prop(into)] submit_label: Label,
    save: Callback<EditConsortium, Job>,
    #[prop(optional)] kinds: Option<Vec<ConsortiumKind>>,
    #[prop(optional)] manager: Option<ManagerPick>,
) -> impl IntoView {
    let lang = use_lang();
    // The page that shows this form loads the reference data (`use_refs`).
    let refs = expect_context::<Refs>();
    let init = initial.as_ref();
    let name = RwSignal::new(init.map(|c| c.name.clone()).unwrap_or_default());
    let kind = RwSignal::new(
        init.map(|c| c.kind.code().to_owned())
            .unwrap_or_else(|| ConsortiumKind::MiniCluster.code().to_owned()),
    );
    // An id of 0 is none yet (the select starts empty).
    let id = |i: i64| if i > 0 { i.to_string() } else { String::new() };
    let complex = RwSignal::new(init.map(|c| id(c.complex_id.0)).unwrap_or_default());
    let field = RwSignal::new(init.map(|c| id(c.field_id.0)).unwrap_or_default());
    let description = RwSignal::new(init.map(|c| c.description.clone()).unwrap_or_default());
    let term_start = RwSignal::new(
        init.and_then(|c| c.term_start)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let term_end = RwSignal::new(
        init.and_then(|c| c.term_end)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let request = move || EditConsortium {
        name: name.get(),
        kind: ConsortiumKind::from_code(&kind.get()).unwrap_or(ConsortiumKind::MiniCluster),
        complex_id: ComplexId(complex.get().parse().unwrap_or(0)),
        field_id: FieldId(field.get().parse().unwrap_or(0)),
        description: description.get(),
        term_start: crate::time::parse_date(&term_start.get()),
        term_end: crate::time::parse_date(&term_end.get()),
    };
    let cm_value = manager.as_ref().map(|m| m.value);
    let form = FormState::new(move || {
        let mut errors = request().validate().err().unwrap_or_default();
        // Empty selects cannot become ids: say so before the server has to.
        let cm = cm_value.map(|v| v.get());
        for (f, v) in [
            ("complex_id", Some(complex.get())),
            ("field_id", Some(field.get())),
            ("manager", cm),
        ] {
            if v.is_some_and(|v| v.is_empty()) {
                errors.add(f, ErrorCode::Required);
            }
        }
        errors
    });
    let people = manager.as_ref().map(|m| {
        let list: Vec<(String, String)> = m
            .people
            .iter()
            .map(|p| (p.id.0.to_string(), format!("{} ({})", p.name, p.org_name)))
            .collect();
        (m.value, list)
    });
    let complexes = Signal::derive(move || refs.complex_options(lang.get()));
    let fields = Signal::derive(move || refs.field_options(lang.get()));
    let offered = kinds.unwrap_or_else(|| ConsortiumKind::ALL.to_vec());
    let kinds = Signal::derive(move || {
        offered
            .iter()
            .copied()
            .map(|k| {
                (
                    k.code().to_owned(),
                    i18n::consortium_kind(k, lang.get()).to_owned(),
                )
            })
            .collect::<Vec<_>>()
    });
    let submit = Submit::for_form(form);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.submit() {
            submit.run(save.run(request()));
        }
    };
    view! {
        <form class="stack" on:submit=on_submit novalidate>
            <TextField form=form name="name" label=("이름", "Name") value=name maxlength=CONSORTIUM_NAME_MAX required=true/>
            <SelectField form=form name="kind" label=M::Kind value=kind options=kinds placeholder=M::Kind required=true/>
            <SelectField form=form name="complex_id" label=M::Complex value=complex options=complexes placeholder=M::ChooseComplex required=true/>
            <SelectField form=form name="field_id" label=M::Field value=field options=fields placeholder=M::ChooseField required=true/>
            <TextField form=form name="description" label=M::Description value=description maxlength=DESCRIPTION_MAX multiline=true/>
            <div class="row">
                <TextField form=form name="term_start" label=("시작일", "Start") value=term_start kind="date"/>
                <TextField form=form name="term_end" label=("종료일", "End") value=term_end kind="date"/>
            </div>
            {people.map(|(value, list)| view! {
                <SelectField form=form name="manager" label=("협의체 CM", "Its CM") value=value
                    options=list placeholder=("CM 선택", "Choose its CM") required=true/>
            })}
            <FormError error=submit.error()/>
            <button type="submit" class="btn btn-primary" disabled=submit.pending()>{move || submit_label.text(lang.get())}</button>
        </form>
    }
}
