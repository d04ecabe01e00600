//! Surveys: a CM writes one for their consortium's firms; a firm answers it
//! (a draft its people share, then a submission) within its days; the CM sees
//! who has not answered, what the answers add up to, and downloads them; those
//! who have not answered are reminded once; nobody else reads or answers it.

use crate::{activities::outbox_for, both, support::*};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use moim_server::db;
use serde_json::{Value, json};

both!(
    a_cm_surveys_their_firms_and_chases_the_missing,
    surveys_are_checked_and_kept_from_others,
    the_yearly_survey_writes_the_firms_figures
);

fn day(offset: i64) -> String {
    ((Utc::now() + Duration::hours(9)).date_naive() + Duration::days(offset)).to_string()
}

/// Cooperation (yes/no, required), how many (asked after a yes, required),
/// with whom (several choices), satisfaction (1–5) and a comment.
fn questionnaire() -> Value {
    json!({"sections": [
        {"title": "산학연 협력", "questions": [
            {"key": "coop", "text": "올해 산학연 협력을 했습니까?", "type": "yes_no", "required": true},
            {"key": "count", "text": "협력 과제 수", "type": "number", "unit": "건", "required": true,
             "show_if": {"question": "coop", "equals": true}},
            {"key": "with", "text": "협력 기관", "type": "multiple_choice", "options": ["대학", "연구소", "기업"]}
        ]},
        {"title": "만족도", "questions": [
            {"key": "satisfaction", "text": "협의체 활동 만족도", "type": "scale"},
            {"key": "comment", "text": "의견", "type": "long_text"}
        ]}
    ]})
}

fn survey(consortia: &[i64], closes_in: i64) -> Value {
    json!({
        "title": "2026 연간 성과조사", "description": "협의체 회원 기업의 올해 성과를 묻습니다.",
        "scope": "consortia", "consortia": consortia, "audience": "firms", "respondent": "organisation",
        "opens_on": day(0), "closes_on": day(closes_in), "remind_days": 3,
        "questionnaire": questionnaire()
    })
}

/// The first sheet of a workbook, every cell as text (a number as written).
fn xlsx_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Data, Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

async fn notified(app: &TestApp, s: &Session, kind: &str) -> usize {
    let (_, list) = app.get("/api/notifications", Some(s)).await;
    list.as_array()
        .map(|l| l.iter().filter(|n| n["kind"] == kind).count())
        .unwrap_or_default()
}

async fn a_cm_surveys_their_firms_and_chases_the_missing(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@survey.example", "공단지사", 41).await;
    let rep = app.firm_member("rep@survey.example", "한결정밀", 42).await;
    let colleague = app.colleague("col@survey.example", &rep).await;
    let quiet = app
        .firm_member("quiet@survey.example", "조용산업", 43)
        .await;
    let outsider = app.firm_member("out@survey.example", "바깥기업", 44).await;
    let consortium = app.consortium(&admin, "설문 협의체", Some(&cm)).await;
    let other = app.consortium(&admin, "다른 협의체", None).await;
    app.join(&rep, consortium, &cm).await;
    app.join(&quiet, consortium, &cm).await;

    // A CM writes only to consortia they manage.
    let (status, body) = app
        .post("/api/surveys", survey(&[other], 10), Some(&cm))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = app
        .post("/api/surveys", survey(&[consortium], 2), Some(&cm))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().unwrap();
    assert_eq!(body["status"], "open");
    assert_eq!(body["can_manage"], true);
    let path = format!("/api/surveys/{id}");
    let answer = format!("{path}/answer");

    // The firms see it; a firm of no consortium it reaches does not.
    let (_, list) = app.get("/api/surveys", Some(&rep)).await;
    assert_eq!(list["to_answer"][0]["id"], id, "{list}");
    assert_eq!(list["can_create"], false);
    let (_, list) = app.get("/api/surveys", Some(&outsider)).await;
    assert_eq!(list["to_answer"], json!([]));
    let (status, _) = app.get(&path, Some(&outsider)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .put(
            &answer,
            json!({"answers": {"coop": false}}),
            Some(&outsider),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A draft keeps as it goes, shared by the firm's people.
    let (status, body) = app
        .put(&answer, json!({"answers": {"coop": true}}), Some(&rep))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["submitted_at"], Value::Null);
    let draft_at = body["updated_at"].clone();
    let (_, seen) = app.get(&path, Some(&colleague)).await;
    assert_eq!(seen["answer"]["answers"]["coop"], true, "{seen}");
    assert_eq!(seen["answering_for"], "한결정밀");

    // A submission answers what is required and asked; an answer to no
    // question, or of the wrong kind, is refused and nothing changes.
    let (status, body) = app
        .put(
            &answer,
            json!({"answers": {"coop": true}, "submit": true}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        refused(&body),
        [("answers.count".to_owned(), "required".to_owned())]
    );
    let (status, body) = app
        .put(
            &answer,
            json!({"answers": {"coop": false, "nope": 1, "satisfaction": 9}}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        refused(&body),
        [
            ("answers.nope".to_owned(), "invalid_choice".to_owned()),
            ("answers.satisfaction".to_owned(), "out_of_range".to_owned()),
        ]
    );
    let (_, seen) = app.get(&path, Some(&rep)).await;
    assert_eq!(seen["answer"]["answers"], json!({"coop": true}));
    let full = json!({"answers": {"coop": true, "count": 3, "with": [0, 2], "satisfaction": 4,
        "comment": "=HYPERLINK(\"x\") 협력이 늘었습니다"}, "submit": true});
    let (status, body) = app.put(&answer, full, Some(&colleague)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["submitted_at"].is_string());
    assert_eq!(body["updated_by"], "동료");
    // A submitted answer changes only by a complete one.
    let (status, body) = app
        .put(&answer, json!({"answers": {"coop": true}}), Some(&rep))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // A page that started from the draft, before the colleague submitted,
    // does not overwrite their answer.
    let stale = json!({"answers": {"coop": false}, "submit": true, "base": draft_at});
    let (status, body) = app.put(&answer, stale, Some(&rep)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "answer_changed");
    let (_, seen) = app.get(&path, Some(&rep)).await;
    assert_eq!(seen["answer"]["answers"]["count"], 3.0, "kept: {seen}");

    // Its questions stay as they are once answered.
    let (status, body) = app.put(&path, survey(&[consortium], 2), Some(&cm)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "survey_answered");

    // The CM sees who has not answered, and what the answers add up to; the
    // firm may not.
    let (status, r) = app.get(&format!("{path}/results"), Some(&cm)).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(
        (r["asked"].as_i64(), r["submitted"].as_i64()),
        (Some(2), Some(1)),
        "{r}"
    );
    assert_eq!(r["consortia"][0]["missing"], json!(["조용산업"]), "{r}");
    assert_eq!(r["questions"][0]["counts"], json!([1, 0]), "yes, no");
    assert_eq!(r["questions"][1]["mean"], 3.0);
    assert_eq!(r["questions"][2]["counts"], json!([1, 0, 1]));
    assert_eq!(r["questions"][3]["counts"], json!([0, 0, 0, 1, 0]));
    let (status, _) = app.get(&format!("{path}/results"), Some(&rep)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The answers as CSV: a BOM, the questions as columns, choices by their
    // words, a formula defused.
    let (status, csv) = app.get(&format!("{path}/answers.csv"), Some(&cm)).await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv.as_str().unwrap();
    assert!(csv.starts_with('\u{feff}'), "a BOM first");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].contains("협력 과제 수 (건)"), "{csv}");
    assert!(lines[1].starts_with("한결정밀,"), "{csv}");
    assert!(lines[1].contains(",예,3,대학; 기업,4,"), "{csv}");
    assert!(
        lines[1].contains("\"'=HYPERLINK(\"\"x\"\") 협력이 늘었습니다\""),
        "{csv}"
    );
    // Compressed as a browser asks for it, the stream ends cleanly (the
    // compression layer polls it once more after its end).
    let req = axum::http::Request::builder()
        .uri(format!("{path}/answers.csv"))
        .header("cookie", format!("moim_session={}", cm.cookie))
        .header("accept-encoding", "br")
        .body(axum::body::Body::empty())
        .unwrap();
    let (headers, (status, _)) = app.send(req).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-encoding"], "br");

    // The same as an XLSX workbook: the Korean intact, numbers as numbers,
    // the formula a text.
    let (status, headers, bytes) = app.bytes(&format!("{path}/answers.xlsx"), &cm).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(bytes.starts_with(b"PK\x03\x04"));
    let rows = xlsx_rows(&bytes);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][3], "협력 과제 수 (건)");
    assert_eq!(rows[1][0], "한결정밀");
    assert_eq!(rows[1][2..6], ["예", "3", "대학; 기업", "4"]);
    assert_eq!(rows[1][6], "=HYPERLINK(\"x\") 협력이 늘었습니다");
    let (status, _, _) = app.bytes(&format!("{path}/answers.xlsx"), &rep).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Three days before closing, those who have not submitted are reminded,
    // once (the firm's representative, by its default channel: email).
    let now = Utc::now();
    let mails = outbox_for(&app.db, quiet.id()).await;
    assert_eq!(db::surveys::send_reminders(&app.db, now).await.unwrap(), 1);
    assert_eq!(db::surveys::send_reminders(&app.db, now).await.unwrap(), 0);
    assert_eq!(notified(app, &quiet, "survey_reminder").await, 1);
    assert_eq!(notified(app, &rep, "survey_reminder").await, 0);
    assert_eq!(outbox_for(&app.db, quiet.id()).await, mails + 1);

    // Closed early: no more answers.
    let (status, body) = app
        .post(&format!("{path}/close"), json!({}), Some(&cm))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "closed");
    let (status, body) = app
        .put(&answer, json!({"answers": {"coop": false}}), Some(&quiet))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "survey_closed");
    // Still listed for the firm that answered, no more for the one that did not.
    let (_, list) = app.get("/api/surveys", Some(&rep)).await;
    assert_eq!(list["to_answer"][0]["submitted"], true, "{list}");
    let (_, list) = app.get("/api/surveys", Some(&quiet)).await;
    assert_eq!(list["to_answer"], json!([]), "{list}");
}

async fn surveys_are_checked_and_kept_from_others(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm2@survey.example", "지원센터", 51).await;
    let rep = app.firm_member("rep2@survey.example", "새봄테크", 52).await;
    let colleague = app.colleague("col2@survey.example", &rep).await;
    let consortium = app.consortium(&admin, "검사 협의체", Some(&cm)).await;
    app.join(&rep, consortium, &cm).await;

    // Bad surveys: no questions, closing before opening, closing in the past,
    // a condition on a later question; nothing is kept.
    let mut empty = survey(&[consortium], 5);
    empty["questionnaire"] = json!({"sections": []});
    let (status, body) = app.post("/api/surveys", empty, Some(&cm)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        refused(&body),
        [("questionnaire.sections".to_owned(), "required".to_owned())]
    );
    let mut backwards = survey(&[consortium], 5);
    backwards["opens_on"] = json!(day(6));
    let (status, body) = app.post("/api/surveys", backwards, Some(&cm)).await;
    assert_eq!(
        refused(&body),
        [("closes_on".to_owned(), "end_before_start".to_owned())]
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut past = survey(&[consortium], -1);
    past["opens_on"] = json!(day(-3));
    let (status, body) = app.post("/api/surveys", past, Some(&cm)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        refused(&body),
        [("closes_on".to_owned(), "in_past".to_owned())]
    );
    let mut far = survey(&[consortium], 5);
    far["opens_on"] = json!("9999-12-20");
    far["closes_on"] = json!("+10000-01-05");
    let (status, body) = app.post("/api/surveys", far, Some(&cm)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let mut later = survey(&[consortium], 5);
    later["questionnaire"]["sections"][0]["questions"][0]["show_if"] =
        json!({"question": "with", "equals": [0]});
    let (status, body) = app.post("/api/surveys", later, Some(&cm)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // A CM may not write to the programme or a region; an admin may.
    let mut programme = survey(&[], 5);
    programme["scope"] = json!("programme");
    let (status, _) = app.post("/api/surveys", programme.clone(), Some(&cm)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, list) = app.get("/api/surveys", Some(&admin)).await;
    assert_eq!(list["managed"], json!([]), "nothing was kept: {list}");

    // One answer per person: each answers for themself, and the programme's
    // survey reaches every member firm.
    programme["respondent"] = json!("person");
    let (status, body) = app.post("/api/surveys", programme, Some(&admin)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let per_person = body["id"].as_i64().unwrap();
    let answer = format!("/api/surveys/{per_person}/answer");
    let (status, body) = app
        .put(
            &answer,
            json!({"answers": {"coop": false}, "submit": true}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, seen) = app
        .get(&format!("/api/surveys/{per_person}"), Some(&colleague))
        .await;
    assert_eq!(
        seen["answer"],
        Value::Null,
        "the colleague answers on their own: {seen}"
    );
    assert_eq!(seen["answering_for"], Value::Null);
    let (_, r) = app
        .get(&format!("/api/surveys/{per_person}/results"), Some(&admin))
        .await;
    assert_eq!(
        (r["asked"].as_i64(), r["submitted"].as_i64()),
        (Some(2), Some(1)),
        "{r}"
    );
    // The CM manages no programme survey: its results are not theirs.
    let (status, _) = app
        .get(&format!("/api/surveys/{per_person}/results"), Some(&cm))
        .await;
    assert_ne!(status, StatusCode::OK);

    // Not open yet: no answers; the author may still change it, and only to
    // consortia they manage.
    let mut upcoming = survey(&[consortium], 9);
    upcoming["opens_on"] = json!(day(3));
    let (status, body) = app.post("/api/surveys", upcoming.clone(), Some(&cm)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().unwrap();
    assert_eq!(body["status"], "upcoming");
    let (status, body) = app
        .put(
            &format!("/api/surveys/{id}/answer"),
            json!({"answers": {}}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "survey_not_open");
    upcoming["title"] = json!("고친 제목");
    let (status, body) = app
        .put(&format!("/api/surveys/{id}"), upcoming.clone(), Some(&cm))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["survey"]["title"], "고친 제목");
    upcoming["consortia"] = json!([consortium, 9999]);
    let (status, body) = app
        .put(&format!("/api/surveys/{id}"), upcoming, Some(&cm))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // A firm it asks may read it but not manage it; nobody may read a survey
    // that does not ask them.
    let (status, _) = app.get(&format!("/api/surveys/{id}"), Some(&rep)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .post(&format!("/api/surveys/{id}/close"), json!({}), Some(&rep))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.get("/api/surveys/99999", Some(&rep)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The yearly performance survey: its figure questions start from the
/// firm's kept figures (last year's when this year has none) and a
/// submitted answer writes them, with declared cooperation (0 after a no).
async fn the_yearly_survey_writes_the_firms_figures(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@yearly.example", "공단지사", 51).await;
    let rep = app.firm_member("rep@yearly.example", "연간정밀", 52).await;
    let consortium = app.consortium(&admin, "연간 협의체", Some(&cm)).await;
    app.join(&rep, consortium, &cm).await;
    let firm = rep.org();
    let today = (Utc::now() + Duration::hours(9)).date_naive();
    let year = chrono::Datelike::year(&today) - 1;
    let (status, body) = app
        .put(
            &format!("/api/orgs/{firm}/figures/{}", year - 1),
            json!({"figures": {"sales": 4_000, "exports": 900, "rnd_spending": 200, "employees": 30, "rnd_staff": 3}}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let mut draft = serde_json::to_value(moim_core::survey::yearly_survey(
        year,
        today,
        today + Duration::days(20),
    ))
    .unwrap();
    draft["scope"] = json!("consortia");
    draft["consortia"] = json!([consortium]);
    // Figures are one answer per firm.
    let mut per_person = draft.clone();
    per_person["respondent"] = json!("person");
    let (status, body) = app.post("/api/surveys", per_person, Some(&cm)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        refused(&body),
        [("respondent".to_owned(), "invalid_choice".to_owned())]
    );
    let (status, body) = app.post("/api/surveys", draft, Some(&cm)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let path = format!("/api/surveys/{}", body["id"]);
    assert_eq!(body["survey"]["figures_year"], year);

    // It starts from last year's figures.
    let (_, seen) = app.get(&path, Some(&rep)).await;
    assert_eq!(
        seen["prefill"],
        json!({"sales": 4000.0, "exports": 900.0, "rnd_spending": 200.0, "employees": 30.0, "rnd_staff": 3.0}),
        "{seen}"
    );
    // A figure is a whole amount; a draft writes nothing.
    let answer = format!("{path}/answer");
    let (status, body) = app
        .put(&answer, json!({"answers": {"sales": 4500.5}}), Some(&rep))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(refused(&body)[0].0, "answers.sales");
    let (status, body) = app
        .put(&answer, json!({"answers": {"sales": 4_500}}), Some(&rep))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let figures = format!("/api/orgs/{firm}/figures");
    let (_, page) = app.get(&figures, Some(&rep)).await;
    assert_eq!(page["years"].as_array().unwrap().len(), 1, "{page}");

    // Submitted: this year's figures are kept, exports left blank stay
    // unknown, and no cooperation is none.
    let (status, body) = app
        .put(
            &answer,
            json!({"answers": {"sales": 4_500, "rnd_spending": 260, "employees": 33, "coop": false, "satisfaction": 4},
                   "submit": true}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, page) = app.get(&figures, Some(&rep)).await;
    assert_eq!(page["years"][0]["year"], year, "{page}");
    assert_eq!(
        page["years"][0]["figures"],
        json!({"sales": 4500, "exports": null, "rnd_spending": 260, "employees": 33, "rnd_staff": null, "coop_projects": 0}),
        "{page}"
    );
    // Submitted again with cooperation: the figures follow.
    let (status, body) = app
        .put(
            &answer,
            json!({"answers": {"sales": 4_600, "rnd_spending": 260, "employees": 33, "coop": true, "coop_projects": 2,
                               "coop_partners": "창원대학교", "satisfaction": 5}, "submit": true}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, page) = app.get(&figures, Some(&rep)).await;
    assert_eq!(page["years"][0]["figures"]["sales"], 4600);
    assert_eq!(page["years"][0]["figures"]["coop_projects"], 2);
    // Ten times last year's sales, and R&D above sales: refused on their
    // questions until confirmed, nothing kept meanwhile (as on the figures page).
    let tenfold = json!({"sales": 46_000, "rnd_spending": 50_000, "employees": 33, "coop": false, "satisfaction": 5});
    let (status, body) = app
        .put(
            &answer,
            json!({"answers": tenfold, "submit": true}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        refused(&body),
        [
            ("answers.sales".to_owned(), "implausible".to_owned()),
            ("answers.rnd_spending".to_owned(), "implausible".to_owned())
        ]
    );
    let (_, page) = app.get(&figures, Some(&rep)).await;
    assert_eq!(page["years"][0]["figures"]["sales"], 4600, "{page}");
    let (_, mine) = app.get(&path, Some(&rep)).await;
    assert_eq!(
        mine["answer"]["answers"]["sales"], 4600.0,
        "the answer is as it was: {mine}"
    );
    let (status, body) = app
        .put(
            &answer,
            json!({"answers": tenfold, "submit": true, "confirmed": true}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, page) = app.get(&figures, Some(&rep)).await;
    assert_eq!(page["years"][0]["figures"]["sales"], 46_000, "{page}");
    let (_, seen) = app.get(&path, Some(&rep)).await;
    assert_eq!(seen["prefill"], json!({}), "an answer is there: {seen}");
}
