//! The CM's board: every published problem of a consortium, by stage.

use crate::{
    components::cards::{ErrorView, Loading},
    i18n::{Lang, use_lang},
    load::Load,
    pages::problem_text as pt,
    tr,
};
use leptos::prelude::*;
use leptos_router::components::A;
use moim_core::{
    ConsortiumId, paths,
    problem::{BoardCard, BoardColumn, Stage},
};

const COLUMNS: [BoardColumn; 7] = [
    BoardColumn::Open,
    BoardColumn::Proposed,
    BoardColumn::Stage(Stage::Matched),
    BoardColumn::Stage(Stage::InProgress),
    BoardColumn::Stage(Stage::Completed),
    BoardColumn::Stage(Stage::Commercialised),
    BoardColumn::Stage(Stage::Dropped),
];

fn column_name(c: BoardColumn, l: Lang) -> &'static str {
    match c {
        BoardColumn::Open => crate::i18n::pick(l, "접수 중", "Open"),
        BoardColumn::Proposed => crate::i18n::pick(l, "제안 도착", "Proposals in"),
        BoardColumn::Stage(s) => pt::stage(s, l),
    }
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let lang = use_lang();
    let raw = crate::routing::id_param("id");
    let id = Memo::new(move |_| raw.get().map(ConsortiumId));
    let cards = Load::<Vec<BoardCard>>::new(move || id.get().map(paths::board));
    view! {
        <section class="section wide">
            <nav class="breadcrumb" aria-label=tr!("위치", "Breadcrumb")>
                {move || id.get().map(|c| view! { <A href=format!("/consortia/{c}")>{tr!("협의체", "Consortium")}</A> })}" › "<span>{tr!("과제 보드", "Problem board")}</span>
            </nav>
            <h1>{tr!("애로과제 보드", "Problem board")}</h1>
            <p class="lead">{tr!("협의체 과제를 단계별로 봅니다. 과제를 열어 단계를 옮기거나 메모를 남기세요.", "The consortium's problems by stage. Open one to move it or add a note.")}</p>
            <Suspense fallback=Loading>
                {move || cards.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(all) => view! {
                        <div class="board" data-testid="board">
                            {COLUMNS.into_iter().map(|col| {
                                let items: Vec<_> = all.iter().filter(|c| c.column == col).cloned().collect();
                                let n = items.len();
                                view! {
                                    <section class="board-col" aria-label=move || column_name(col, lang.get())>
                                        <h2 class="h3">{move || column_name(col, lang.get())}" "<span class="count">{n}</span></h2>
                                        <ul>
                                            {items.into_iter().map(|c| view! {
                                                <li class="card board-card">
                                                    <A href=format!("/problems/{}", c.problem.id)>{c.problem.title}</A>
                                                    <p class="small muted">{c.problem.org_name}" · "{move || match lang.get() { Lang::Ko => format!("제안 {}건", c.problem.proposal_count), Lang::En => format!("{} proposals", c.problem.proposal_count) }}</p>
                                                    {c.last_note.map(|n| view! { <p class="small note">{n}</p> })}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                }
                            }).collect_view()}
                        </div>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
