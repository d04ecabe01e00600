//! The CM's panel on an idea: move it to another stage with a note (and the
//! problem it became), hide or restore it. Loaded only for moderators.

use super::idea_text::stage_label;
use crate::{
    api,
    components::form::FormError,
    i18n::{Lang, pick, use_lang},
    submit::Submit,
    tr,
};
use leptos::prelude::*;
use moim_core::{
    ProblemId,
    idea::{IdeaStage, IdeaView, Moderate, MoveIdea},
};

/// The CM's panel: move the idea to another stage with a note (and the problem
/// it became), hide or restore it.
#[component]
pub fn Moderation(v: IdeaView, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let id = v.summary.id;
    let current = v.summary.stage;
    let stage = RwSignal::new(
        IdeaStage::ALL
            .iter()
            .copied()
            .find(|s| *s != current)
            .unwrap_or(IdeaStage::Discussion),
    );
    let note = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let act = Submit::new();
    let hidden = v.summary.hidden;
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let m = MoveIdea {
            stage: stage.get_untracked(),
            note: note.get_untracked(),
            problem_id: (stage.get_untracked() == IdeaStage::Problem)
                .then(|| {
                    problem
                        .get_untracked()
                        .trim()
                        .trim_start_matches('#')
                        .parse()
                        .ok()
                        .map(ProblemId)
                })
                .flatten(),
        };
        if let Err(e) = moim_core::Validate::validate(&m) {
            let l = lang.get_untracked();
            error.set(e.0.first().map(|f| {
                match f.field.as_str() {
                    "note" => pick(
                        l,
                        "바꾸는 이유를 적어 주세요.",
                        "Give a note for the change.",
                    )
                    .to_owned(),
                    _ => pick(
                        l,
                        "애로과제 번호를 적어 주세요.",
                        "Give the problem's number.",
                    )
                    .to_owned(),
                }
            }));
            return;
        }
        error.set(None);
        act.run(async move {
            api::ideas::move_stage(id, &m).await?;
            version.try_update(|v| *v += 1);
            Ok(())
        });
    };
    let hide = move |_| {
        let m = Moderate {
            hidden: !hidden,
            note: None,
        };
        act.run(async move {
            api::ideas::moderate(id, None, &m).await?;
            version.try_update(|v| *v += 1);
            Ok(())
        });
    };
    let reports = v.reports;
    view! {
        <section class="moderation" aria-labelledby="mod-h">
            <h2 id="mod-h" class="h-small">{tr!("CM 관리", "For the CM")}</h2>
            {(reports > 0).then(|| view! { <p class="alert alert-error">{move || match lang.get() { Lang::Ko => format!("이 글에 신고 {reports}건이 있습니다.", ), Lang::En => format!("{reports} open reports on this idea.") }}</p> })}
            <form on:submit=apply>
                <div class="field">
                    <label for="stage-pick">{tr!("단계", "Stage")}</label>
                    <select id="stage-pick" on:change=move |ev| { if let Some(s) = IdeaStage::from_code(&event_target_value(&ev)) { stage.set(s); } }>
                        {IdeaStage::ALL.iter().copied().filter(|s| *s != current).map(|s| view! {
                            <option value=s.code() selected=move || stage.get() == s>{move || stage_label(s, lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Show when=move || stage.get() == IdeaStage::Problem>
                    <div class="field">
                        <label for="stage-problem">{tr!("애로과제 번호", "Problem number")}</label>
                        <input id="stage-problem" type="text" inputmode="numeric" prop:value=problem on:input=move |ev| problem.set(event_target_value(&ev))/>
                    </div>
                </Show>
                <div class="field">
                    <label for="stage-note">{tr!("메모 (이력과 알림에 남습니다)", "Note (kept in the history, sent to followers)")}</label>
                    <input id="stage-note" type="text" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))/>
                </div>
                <p class="error" role="alert">{move || error.get()}</p>
                <FormError error=act.error()/>
                <div class="actions">
                    <button type="submit" class="btn btn-primary" disabled=act.pending()>{tr!("단계 바꾸기", "Change stage")}</button>
                    <button type="button" class="btn btn-secondary" on:click=hide>{move || if hidden { pick(lang.get(), "다시 보이기", "Restore") } else { pick(lang.get(), "숨기기", "Hide") }}</button>
                </div>
            </form>
        </section>
    }
}
