//! The idea feed (newest, rising, most discussed; by consortium and tag; Korean
//! search), with what waits in the outbox on top.

use super::{idea_text::stage_label, idea_vote::VoteButton};
use crate::{
    api,
    components::{
        cards::{ErrorView, Loading},
        form::FormError,
        later::{deferred, later},
    },
    i18n::{Lang, pick, use_lang},
    load::Load,
    outbox::{Pending, online, use_outbox},
    routing::{list_href, list_query},
    state::use_session,
    submit::Submit,
    time::ago,
    tr,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};
use moim_core::{
    ConsortiumId,
    idea::{ConsortiumTag, FeedPage, FeedQuery, FeedSort, IdeaStage, IdeaSummary},
    paths,
};

fn href(q: &FeedQuery) -> String {
    list_href("/ideas", q)
}

/// One idea in a feed.
#[component]
pub fn IdeaCard(i: IdeaSummary) -> impl IntoView {
    let lang = use_lang();
    let link = format!("/ideas/{}", i.id);
    let photo = i.photo.map(|p| format!("/api/ideas/{}/photos/{p}", i.id));
    let (stage, comments, created) = (i.stage, i.comments, i.created_at);
    let author = format!("{} · {}", i.author.name, i.author.org_name);
    let more_photos = i.photo_count;
    view! {
        <li class="card idea-card">
            <div class="idea-card-body">
                <div class="badges">
                    {(stage != IdeaStage::New).then(|| view! { <span class=format!("badge stage-{}", stage.code())>{move || stage_label(stage, lang.get())}</span> })}
                    {i.consortium.map(|c| view! { <span class="badge">{c.name}</span> })}
                    {i.hidden.then(|| view! { <span class="badge badge-warn">{tr!("숨김", "Hidden")}</span> })}
                </div>
                <h2 class="card-title"><A href=link.clone()>{i.title}</A></h2>
                <p class="excerpt">{i.excerpt}</p>
                <p class="meta">{author}" · "{move || ago(created, lang.get())}</p>
            </div>
            {photo.map(|src| view! {
                <div class="thumb">
                    <img src=src alt="" width="96" height="96" loading="lazy" decoding="async"/>
                    {(more_photos > 1).then(|| view! { <span class="thumb-count">{format!("+{}", more_photos - 1)}</span> })}
                </div>
            })}
            <div class="idea-card-foot">
                <VoteButton id=i.id votes=i.votes voted=i.voted/>
                <A href=format!("{link}#comments") attr:class="comments-link">
                    <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2Z"/></svg>
                    <span>{move || match lang.get() { Lang::Ko => format!("댓글 {comments}"), Lang::En => format!("{comments} comments") }}</span>
                </A>
                <ul class="tags" aria-label=tr!("태그", "Tags")>
                    {i.tags.into_iter().map(|t| {
                        let h = href(&FeedQuery { tag: Some(t.clone()), ..Default::default() });
                        view! { <li><A href=h>{format!("#{t}")}</A></li> }
                    }).collect_view()}
                </ul>
            </div>
        </li>
    }
}

/// Ideas written on this device that the server does not have yet.
#[component]
fn PendingIdeas() -> impl IntoView {
    let outbox = use_outbox();
    let lang = use_lang();
    let ideas = move || {
        outbox.items.with(|items| {
            items
                .iter()
                .filter_map(|p| match p {
                    Pending::Idea {
                        idea,
                        photos,
                        error,
                    } => Some((
                        idea.idempotency_key.clone(),
                        idea.title.clone(),
                        photos.len(),
                        error.clone(),
                    )),
                    Pending::Comment { .. } => None,
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || !ideas().is_empty()>
            <section class="pending" aria-labelledby="pending-h">
                <h2 id="pending-h" class="h-small">{tr!("보내기를 기다리는 글", "Waiting to be sent")}</h2>
                <ul class="cards">
                    {move || ideas().into_iter().map(|(key, title, photos, error)| {
                        let discard_key = key.clone();
                        view! {
                            <li class="card idea-card pending-card" data-testid="pending-idea">
                                <div class="idea-card-body">
                                    <div class="badges">
                                        {if error.is_some() {
                                            view! { <span class="badge badge-warn">{tr!("보내지 못함", "Not sent")}</span> }.into_any()
                                        } else {
                                            view! { <span class="badge badge-pending">{move || if outbox.sending.get() { pick(lang.get(), "보내는 중", "Sending") } else { pick(lang.get(), "전송 대기", "Pending") }}</span> }.into_any()
                                        }}
                                    </div>
                                    <h3 class="card-title">{title}</h3>
                                    <p class="meta">
                                        {move || match (error.clone(), lang.get()) {
                                            (Some(e), _) => e,
                                            (None, Lang::Ko) => format!("이 기기에 보관 중입니다. 연결되면 자동으로 올라갑니다.{}", if photos > 0 { format!(" (사진 {photos}장)") } else { String::new() }),
                                            (None, Lang::En) => format!("Kept on this device; it is posted when you are back online.{}", if photos > 0 { format!(" ({photos} photos)") } else { String::new() }),
                                        }}
                                    </p>
                                </div>
                                <div class="idea-card-foot">
                                    <button type="button" class="btn btn-secondary btn-sm" on:click=move |_| outbox.flush(None)>{tr!("지금 보내기", "Send now")}</button>
                                    <button type="button" class="btn-text" on:click=move |_| outbox.discard(&discard_key)>{tr!("삭제", "Discard")}</button>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

#[component]
pub fn IdeasPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let outbox = use_outbox();
    let query = list_query::<FeedQuery>();
    let first = Load::<FeedPage>::new(move || {
        outbox.delivered.track();
        Some(paths::ideas(&query.get()))
    });
    // Further pages, by cursor.
    let more = RwSignal::new(Vec::<IdeaSummary>::new());
    let next = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(p)) = first.get() {
            more.set(Vec::new());
            next.set(p.next);
        }
    });
    let loading_more = Submit::new();
    let load_more = move |_| {
        let Some(after) = next.get_untracked() else {
            return;
        };
        let q = FeedQuery {
            after: Some(after),
            ..query.get_untracked()
        };
        loading_more.run(async move {
            let p: FeedPage = api::get(&paths::ideas(&q)).await?;
            more.try_update(|m| m.extend(p.items));
            next.try_set(p.next);
            Ok(())
        });
    };
    let consortia = Load::<Vec<ConsortiumTag>>::new(move || {
        session
            .me
            .with(Option::is_some)
            .then(|| paths::IDEA_CONSORTIA.to_owned())
    });
    let consortia = move || consortia.get().and_then(Result::ok).unwrap_or_default();
    let navigate = use_navigate();
    let text = RwSignal::new(query.get_untracked().q.unwrap_or_default());
    let search = {
        let navigate = navigate.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut q = query.get_untracked();
            q.q = Some(text.get_untracked()).filter(|s| !s.trim().is_empty());
            navigate(&href(&q), Default::default());
        }
    };
    let pick_consortium = move |ev| {
        let mut q = query.get_untracked();
        q.consortium = event_target_value(&ev).parse().ok().map(ConsortiumId);
        navigate(&href(&q), Default::default());
    };
    let sort_link = move |s: FeedSort| {
        let mut q = query.get();
        q.sort = Some(s);
        href(&q)
    };
    let tabs = [
        (FeedSort::New, "최신", "Newest"),
        (FeedSort::Rising, "뜨는", "Rising"),
        (FeedSort::Discussed, "토론 많은", "Most discussed"),
    ];
    let moderator = move || {
        session.me.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.is_admin() || !m.managed_consortia.is_empty())
        })
    };
    let write_href = move || {
        if session.me.with(Option::is_some) {
            "/ideas/new".to_owned()
        } else {
            "/signin?next=/ideas/new".to_owned()
        }
    };
    view! {
        <section class="section ideas-page">
            <div class="page-head">
                <h1>{tr!("아이디어", "Ideas")}</h1>
                <p class="lead">{tr!("협의체 회원들과 사업 아이디어를 나누고 의견을 주고받으세요.", "Share business ideas with cluster members and talk them through.")}</p>
            </div>
            <form class="idea-search" role="search" on:submit=search>
                <label for="idea-q" class="sr-only">{tr!("아이디어 검색", "Search ideas")}</label>
                <input id="idea-q" type="search" placeholder=tr!("검색어 (예: 금형, 열)", "Search (e.g. 금형)") prop:value=text on:input=move |ev| text.set(event_target_value(&ev))/>
                <button type="submit" class="btn btn-primary">{tr!("검색", "Search")}</button>
            </form>
            <nav class="tabs" aria-label=tr!("정렬", "Sort")>
                {tabs.into_iter().map(|(s, ko, en)| {
                    let current = move || (query.get().sort.unwrap_or(FeedSort::New) == s).then_some("page");
                    view! { <a href=move || sort_link(s) aria-current=current>{move || pick(lang.get(), ko, en)}</a> }
                }).collect_view()}
            </nav>
            <div class="filters">
                <Show when=move || !consortia().is_empty()>
                    <label for="idea-consortium">{tr!("협의체", "Consortium")}</label>
                    <select id="idea-consortium" on:change=pick_consortium.clone()>
                        <option value="">{tr!("전체", "All")}</option>
                        {move || consortia().into_iter().map(|c| {
                            let selected = query.get_untracked().consortium == Some(c.id);
                            view! { <option value=c.id.0.to_string() selected=selected>{c.name}</option> }
                        }).collect_view()}
                    </select>
                </Show>
                {move || query.get().tag.map(|t| {
                    let mut q = query.get();
                    q.tag = None;
                    view! { <A href=href(&q) attr:class="chip chip-remove" attr:aria-label=move || format!("{} #{t}", pick(lang.get(), "태그 필터 해제", "Remove tag filter"))>{format!("#{} ×", q.tag.unwrap_or_default())}</A> }
                })}
                <Show when=moderator>
                    <A href="/ideas/reports" attr:class="btn-text">{tr!("신고 확인", "Reports")}</A>
                </Show>
            </div>
            <Show when=move || !online()>
                <p class="alert alert-info" role="status">{tr!("오프라인입니다. 마지막으로 본 목록을 보여 드립니다.", "You are offline: this is the list as last seen.")}</p>
            </Show>
            {later(|| view! { <PendingIdeas/> })}
            {deferred(move || view! { <Suspense fallback=Loading>
                {move || first.get().map(|r| match r {
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! {
                        <p class="empty">{tr!("아직 아이디어가 없습니다. 첫 아이디어를 남겨 보세요.", "No ideas yet. Be the first to post one.")}</p>
                    }.into_any(),
                    Ok(page) => view! {
                        <ul class="cards idea-list" data-testid="ideas">
                            {page.items.into_iter().map(|i| view! { <IdeaCard i=i/> }).collect_view()}
                            {move || more.get().into_iter().map(|i| view! { <IdeaCard i=i/> }).collect_view()}
                        </ul>
                        <Show when=move || next.get().is_some()>
                            <button type="button" class="btn btn-secondary more" on:click=load_more disabled=loading_more.pending()
                                aria-busy=move || loading_more.pending().get().to_string()>
                                {tr!("더 보기", "Show more")}
                            </button>
                            <FormError error=loading_more.error()/>
                        </Show>
                    }.into_any(),
                })}
            </Suspense> })}
            <A href=write_href attr:class="fab">
                <svg aria-hidden="true" width="24" height="24" viewBox="0 0 24 24"><path fill="currentColor" d="M11 4h2v7h7v2h-7v7h-2v-7H4v-2h7z"/></svg>
                <span>{tr!("아이디어 쓰기", "New idea")}</span>
            </A>
        </section>
    }
}
