//! Founding (협의체 구성) on a selected application's page: the call's admin
//! founds the theme cluster or consortium it proposed — the consortium form
//! started from the application (its title, the lead's complex, a term from
//! the call's agreement day: three years for a theme cluster), with its CM
//! chosen from the team's confirmed people. Once founded, the team and the
//! admin find it linked here.

use crate::{
    api,
    components::consortium_form::{ConsortiumForm, ManagerPick},
    state::use_refs,
    submit::{Job, job},
    tr,
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    ApplicationId, ComplexId, FieldId, UserId,
    call::ApplicationView,
    consortium::{ConsortiumKind, EditConsortium},
    selection::{FoundConsortium, Founded, Founding},
};

/// The consortium founded from the application.
#[component]
pub fn FoundedLink(c: Founded) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="founded-h" data-testid="founded">
            <h2 id="founded-h">{tr!("구성된 협의체", "The consortium founded")}</h2>
            <p><A href=format!("/consortia/{}", c.id)>{c.name}</A></p>
        </section>
    }
}

/// The call's admin founds the consortium; `done` gets the application as it
/// then stands.
#[component]
pub fn FoundingPanel(
    id: ApplicationId,
    title: String,
    f: Founding,
    done: Callback<ApplicationView>,
) -> impl IntoView {
    use_refs();
    let kind = f
        .kinds
        .first()
        .copied()
        .unwrap_or(ConsortiumKind::ThemeCluster);
    let term_end = (kind == ConsortiumKind::ThemeCluster)
        .then(|| {
            f.term_start
                .checked_add_months(chrono::Months::new(36))
                .and_then(|d| d.pred_opt())
        })
        .flatten();
    let initial = EditConsortium {
        name: title,
        kind,
        complex_id: f.complex_id.unwrap_or(ComplexId(0)),
        field_id: FieldId(0),
        description: String::new(),
        term_start: Some(f.term_start),
        term_end,
    };
    let cm = RwSignal::new(String::new());
    let save = Callback::new(move |consortium: EditConsortium| -> Job {
        job(async move {
            let manager = UserId(cm.get_untracked().parse().unwrap_or(0));
            let v = api::calls::found(
                id,
                &FoundConsortium {
                    consortium,
                    manager,
                },
            )
            .await?;
            done.run(v);
            Ok(())
        })
    });
    let pick = ManagerPick {
        value: cm,
        people: f.people,
    };
    view! {
        <section class="panel" aria-labelledby="founding-h" data-testid="founding">
            <h2 id="founding-h">{tr!("협의체 구성", "Found the consortium")}</h2>
            <p class="muted small">{tr!(
                "선정된 신청서로 협의체를 구성합니다. 주관 기관이 운영기관이 되고, 주관 기관과 참여를 확인한 기관이 창립 회원이 되며, 회원 기관의 구성원에게 알립니다.",
                "Found what this selected application proposed. The lead runs it; the lead and the partners that confirmed are its first members, and their people are told."
            )}</p>
            <ConsortiumForm initial=Some(initial) submit_label=("협의체 구성", "Found it") save=save kinds=f.kinds manager=pick/>
        </section>
    }
}
