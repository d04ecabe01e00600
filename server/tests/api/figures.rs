//! Firms' yearly figures: entered by the firm's confirmed people, last year's
//! beside this year's, implausible entries kept only once confirmed; read by
//! the firm, the CMs of its consortia and admins, nobody else; certifications
//! and the industry; a merge moves them.

use crate::{both, support::*};
use axum::http::StatusCode;
use chrono::Datelike;
use serde_json::{Value, json};

both!(
    a_firm_enters_its_figures_and_its_cm_reads_them,
    figures_are_checked_and_kept_from_others,
    each_peer_median_needs_five_firms
);

fn figures(sales: i64, exports: i64, rnd: i64, employees: i64, staff: i64) -> Value {
    json!({"sales": sales, "exports": exports, "rnd_spending": rnd, "employees": employees, "rnd_staff": staff})
}

fn this_year() -> i32 {
    (chrono::Utc::now() + chrono::Duration::hours(9)).year()
}

async fn a_firm_enters_its_figures_and_its_cm_reads_them(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@fig.example", "공단지사", 31).await;
    let rep = app.firm_member("rep@fig.example", "한결정밀", 32).await;
    let colleague = app.colleague("col@fig.example", &rep).await;
    let consortium = app.consortium(&admin, "성과 협의체", Some(&cm)).await;
    let firm = rep.org();
    let (year, last) = (this_year() - 1, this_year() - 2);
    let path = |y: i32| format!("/api/orgs/{firm}/figures/{y}");

    // Nothing yet; the representative may enter.
    let (status, page) = app
        .get(&format!("/api/orgs/{firm}/figures"), Some(&rep))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["years"], json!([]));
    assert_eq!(page["can_edit"], true);

    // Last year, then this year beside it (a confirmed colleague enters it).
    let (status, body) = app
        .put(
            &path(last),
            json!({"figures": figures(5_000, 1_200, 300, 40, 5)}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app
        .put(
            &path(year),
            json!({"figures": figures(5_600, 1_500, 340, 44, 6)}),
            Some(&colleague),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["updated_by"], "동료", "{body}");

    // Ten times last year's sales is asked about, field by field, and kept
    // once confirmed; exports above sales too.
    let wild = json!({"figures": figures(56_000, 60_000, 340, 44, 6)});
    let (status, body) = app.put(&path(year), wild.clone(), Some(&rep)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        refused(&body),
        [
            ("figures.sales".to_owned(), "implausible".to_owned()),
            ("figures.exports".to_owned(), "implausible".to_owned()),
        ]
    );
    let (_, page) = app
        .get(&format!("/api/orgs/{firm}/figures"), Some(&rep))
        .await;
    assert_eq!(
        page["years"][0]["figures"]["sales"], 5_600,
        "nothing changed"
    );
    let mut sure = wild;
    sure["confirmed"] = json!(true);
    let (status, body) = app.put(&path(year), sure, Some(&rep)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Certifications and the industry.
    let (status, body) = app
        .put(
            &format!("/api/orgs/{firm}/certifications"),
            json!({"founded_on": "2012-04-02", "certifications": [
                {"kind": "rnd_lab", "certified_on": "2019-07-01"},
                {"kind": "innobiz", "certified_on": "2024-03-01", "expires_on": "2027-02-28"}
            ]}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["certifications"][0]["kind"], "innobiz", "{body}");
    assert_eq!(body["founded_on"], "2012-04-02", "{body}");
    let (status, _) = app
        .put(
            &format!("/api/orgs/{firm}/industry"),
            json!({"ksic": "29"}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // Before the firm is a member, its consortium's CM cannot read them.
    let (status, _) = app
        .get(&format!("/api/orgs/{firm}/figures"), Some(&cm))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.join(&rep, consortium, &cm).await;
    let (status, page) = app
        .get(&format!("/api/orgs/{firm}/figures"), Some(&cm))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["can_edit"], false);
    assert_eq!(page["ksic"], "29");
    assert_eq!(page["size_band"], "small");
    let years: Vec<i64> = page["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["year"].as_i64().unwrap())
        .collect();
    assert_eq!(
        years,
        [i64::from(year), i64::from(last)],
        "the newest first"
    );
    assert_eq!(page["years"][0]["figures"]["exports"], 60_000);
    assert_eq!(page["certifications"].as_array().unwrap().len(), 2);
    assert_eq!(page["founded_on"], "2012-04-02");
    // Beside its consortium's medians: the other member firms', and it has
    // none yet.
    assert_eq!(page["peers"]["consortium"], "성과 협의체", "{page}");
    assert_eq!(page["peers"]["years"][0]["firms"], 0);
    assert_eq!(page["peers"]["years"][0]["sales"], Value::Null);
    // The CM reads, but does not enter.
    let (status, _) = app
        .put(
            &path(year),
            json!({"figures": figures(1, 0, 0, 1, 0)}),
            Some(&cm),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // An admin reads, the medians too.
    let (status, page) = app
        .get(&format!("/api/orgs/{firm}/figures"), Some(&admin))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["peers"]["years"][0]["hidden"], false, "{page}");

    // An admin merges a second record of the firm into it: that record's years
    // move, except a year the kept record has.
    let twin = app
        .firm_member("twin@fig.example", "한결정밀 (구)", 33)
        .await;
    for (y, sales) in [(year, 1), (year - 5, 4_000)] {
        let (status, body) = app
            .put(
                &format!("/api/orgs/{}/figures/{y}", twin.org()),
                json!({"figures": {"sales": sales}, "confirmed": true}),
                Some(&twin),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    // The twin was founded earlier (2012-04-02 is the kept record's): the
    // earlier date is kept, so its certification stays after the founding.
    let (status, body) = app
        .put(
            &format!("/api/orgs/{}/certifications", twin.org()),
            json!({"founded_on": "2008-09-01", "certifications": [
                {"kind": "venture", "certified_on": "2009-02-01"}
            ]}),
            Some(&twin),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app
        .post(
            &format!("/api/admin/orgs/{}/merge", twin.org()),
            json!({"into": firm, "reason": "같은 기업의 중복 등록"}),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, page) = app
        .get(&format!("/api/orgs/{firm}/figures"), Some(&admin))
        .await;
    let sales: Vec<(i64, i64)> = page["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| {
            (
                y["year"].as_i64().unwrap(),
                y["figures"]["sales"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sales,
        [
            (i64::from(year), 56_000),
            (i64::from(last), 5_000),
            (i64::from(year - 5), 4_000)
        ]
    );
    assert_eq!(page["founded_on"], "2008-09-01", "{page}");
    assert_eq!(
        page["certifications"].as_array().unwrap().len(),
        3,
        "{page}"
    );
}

async fn figures_are_checked_and_kept_from_others(app: &TestApp) {
    let rep = app.firm_member("rep@check.example", "바른금속", 41).await;
    let other = app.firm_member("other@check.example", "다른기공", 42).await;
    let pending = app.pending_colleague("new@check.example", rep.org()).await;
    let firm = rep.org();
    let year = this_year();
    let path = |y: i32| format!("/api/orgs/{firm}/figures/{y}");

    // Another firm, a person the firm has not confirmed, nobody: no figures.
    for who in [Some(&other), Some(&pending)] {
        let (status, _) = app.get(&format!("/api/orgs/{firm}/figures"), who).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.put(&path(year), json!({"figures": {}}), who).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _) = app.get(&format!("/api/orgs/{firm}/figures"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Bad entries: 422 with the field, nothing kept.
    let cases = [
        (year + 1, json!({"figures": {"sales": 1}}), "year"),
        (1999, json!({"figures": {"sales": 1}}), "year"),
        (year, json!({"figures": {"sales": -5}}), "figures.sales"),
        (
            year,
            json!({"figures": {"employees": 10, "rnd_staff": 11}}),
            "figures.rnd_staff",
        ),
    ];
    for (y, body, field) in cases {
        let (status, answer) = app.put(&path(y), body, Some(&rep)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(refused(&answer)[0].0, field, "{answer}");
    }
    // Text or a fraction where a whole number belongs: 422 on the field.
    for body in [
        json!({"figures": {"sales": "12"}}),
        json!({"figures": {"sales": 1.5}}),
    ] {
        let (status, body) = app.put(&path(year), body, Some(&rep)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            refused(&body),
            [("figures.sales".to_owned(), "invalid_type".to_owned())]
        );
    }
    let (status, page) = app
        .get(&format!("/api/orgs/{firm}/figures"), Some(&rep))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["years"], json!([]), "nothing kept");

    // A certification from the future, or two of a kind; a bad KSIC division.
    let (status, body) = app
        .put(
            &format!("/api/orgs/{firm}/certifications"),
            json!({"certifications": [
                {"kind": "venture", "certified_on": format!("{}-01-01", year + 1)},
                {"kind": "venture", "certified_on": "2020-01-01"}
            ]}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(refused(&body).len(), 2, "{body}");
    // A certification dated before the firm's founding, and a founding in
    // the future: each named, nothing kept.
    let (status, _) = app
        .put(
            &format!("/api/orgs/{firm}/certifications"),
            json!({"founded_on": "2010-01-04", "certifications": []}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app
        .put(
            &format!("/api/orgs/{firm}/certifications"),
            json!({"founded_on": "2015-06-01", "certifications": [
                {"kind": "innobiz", "certified_on": "2015-06-01"},
                {"kind": "venture", "certified_on": "2015-05-31"}
            ]}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        refused(&body),
        [(
            "certifications[1].certified_on".to_owned(),
            "before_founding".to_owned()
        )]
    );
    let (status, body) = app
        .put(
            &format!("/api/orgs/{firm}/certifications"),
            json!({"founded_on": format!("{}-01-01", year + 1), "certifications": []}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(refused(&body)[0].0, "founded_on", "{body}");
    let (_, page) = app
        .get(&format!("/api/orgs/{firm}/figures"), Some(&rep))
        .await;
    assert_eq!(page["founded_on"], "2010-01-04", "nothing kept: {page}");
    assert_eq!(page["certifications"], json!([]), "{page}");
    // Left out, the founding date stays and is what a certification is
    // checked against; null clears it.
    let (status, body) = app
        .put(
            &format!("/api/orgs/{firm}/certifications"),
            json!({"certifications": [{"kind": "venture", "certified_on": "2009-12-31"}]}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(refused(&body)[0].1, "before_founding", "{body}");
    let (status, body) = app
        .put(
            &format!("/api/orgs/{firm}/certifications"),
            json!({"certifications": [{"kind": "venture", "certified_on": "2010-01-04"}]}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["founded_on"], "2010-01-04", "{body}");
    let (status, body) = app
        .put(
            &format!("/api/orgs/{firm}/certifications"),
            json!({"founded_on": null, "certifications": [{"kind": "venture", "certified_on": "1990-01-01"}]}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["founded_on"], Value::Null, "{body}");
    let (status, _) = app
        .put(
            &format!("/api/orgs/{firm}/industry"),
            json!({"ksic": "2x"}),
            Some(&rep),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Not a firm: a university has no figures.
    let univ = app
        .signup(
            json!({"email": "prof@check.example", "password": PASSWORD, "name": "김교수",
            "organisation": {"mode": "new", "kind": "university", "name": "한빛대학교"}}),
        )
        .await
        .unwrap();
    let (status, _) = app
        .get(&format!("/api/orgs/{}/figures", univ.org()), Some(&univ))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Six member firms give their sales and employees, two their exports and
/// three their R&D. The first firm's page sets it beside the other five: a
/// member and the CM read the sales and employees medians, and "withheld" for
/// the exports (one other firm) and R&D (two); an admin reads every median.
/// The firm's own figure is never in them, so changing it shows nothing new.
async fn each_peer_median_needs_five_firms(app: &TestApp) {
    let admin = app.admin().await;
    let cm = app.firm_member("cm@peers.example", "공단지사", 51).await;
    let consortium = app.consortium(&admin, "중앙값 협의체", Some(&cm)).await;
    let year = this_year() - 1;
    let mut reps = Vec::new();
    for i in 0..6_i64 {
        let n = 52 + u32::try_from(i).unwrap();
        let rep = app
            .firm_member(&format!("rep{i}@peers.example"), &format!("중앙{i}정밀"), n)
            .await;
        app.join(&rep, consortium, &cm).await;
        let mut f = json!({"sales": 1_000 * (i + 1), "employees": 10 + i});
        if i < 2 {
            f["exports"] = json!(700 + 100 * i);
        }
        if i < 3 {
            f["rnd_spending"] = json!(100 * (i + 1));
        }
        let (status, body) = app
            .put(
                &format!("/api/orgs/{}/figures/{year}", rep.org()),
                json!({"figures": f}),
                Some(&rep),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        reps.push(rep);
    }
    let first = reps[0].org();
    let peer_of = |page: &Value| page["peers"]["years"][0].clone();
    for reader in [&reps[0], &cm] {
        let (status, page) = app
            .get(&format!("/api/orgs/{first}/figures"), Some(reader))
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let peer = peer_of(&page);
        assert_eq!(peer["year"], year, "{page}");
        assert_eq!(peer["firms"], 5, "the other five");
        assert_eq!(peer["hidden"], false);
        assert_eq!(peer["sales"], 4_000.0);
        assert_eq!(peer["employees"], 13.0);
        assert_eq!(peer["exports"], Value::Null, "one firm's exports: {page}");
        assert_eq!(peer["rnd_spending"], Value::Null);
        assert_eq!(peer["withheld"], json!(["exports", "rnd_spending"]));
    }
    // Its own sales far above the others' leave their median where it was.
    let (status, body) = app
        .put(
            &format!("/api/orgs/{first}/figures/{year}"),
            json!({"figures": {"sales": 90_000, "employees": 10}, "confirmed": true}),
            Some(&reps[0]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, page) = app
        .get(&format!("/api/orgs/{first}/figures"), Some(&reps[0]))
        .await;
    assert_eq!(peer_of(&page)["sales"], 4_000.0, "{page}");
    let (_, page) = app
        .get(&format!("/api/orgs/{first}/figures"), Some(&admin))
        .await;
    let peer = peer_of(&page);
    assert_eq!(peer["exports"], 800.0, "{page}");
    assert_eq!(peer["rnd_spending"], 250.0);
    assert_eq!(peer["withheld"], json!([]));
}
