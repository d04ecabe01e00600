//! Bringing the programme's existing members in: an admin's CSV or XLSX file,
//! checked line by line and column by column (a dry run first), then imported
//! in one transaction with each new person invited by mail; the same file again
//! changes nothing.

use crate::{both, support::*};
use axum::http::StatusCode;
use moim_server::{db::recovery::AccountMail, seed::business_number};
use serde_json::{Value, json};
use std::io::Write;

both!(
    an_admin_imports_members_from_a_file,
    an_import_refuses_what_it_cannot_place
);

const HEADER: &str = "기관명,기관유형,사업자등록번호,산업단지,협의체,이름,이메일,부서";

async fn import(app: &TestApp, admin: &Session, name: &str, file: &[u8], dry: bool) -> Value {
    let (status, report) = app
        .upload(
            &format!("/api/admin/import?dry_run={dry}"),
            name,
            file,
            admin,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report
}

/// (line, column, issue) of each problem.
fn problems(report: &Value) -> Vec<(i64, String, String)> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_i64().unwrap(),
                p["column"].as_str().unwrap().to_owned(),
                p["issue"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn counts(report: &Value) -> [i64; 6] {
    [
        "organisations_new",
        "organisations_existing",
        "people_new",
        "people_existing",
        "memberships_new",
        "memberships_existing",
    ]
    .map(|k| report[k].as_i64().unwrap())
}

/// An XLSX workbook of one sheet of `rows`, written as Excel's smallest form
/// (inline strings; a cell that parses as a number is a number cell).
fn xlsx(rows: &[Vec<&str>]) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", char::from(b'A' + c as u8), r + 1);
            if !cell.is_empty() && cell.chars().all(|ch| ch.is_ascii_digit()) {
                sheet.push_str(&format!("<c r=\"{at}\"><v>{cell}</v></c>"));
            } else {
                sheet.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t>{cell}</t></is></c>"
                ));
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="회원" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

async fn an_admin_imports_members_from_a_file(app: &TestApp) {
    let admin = app.admin().await;
    let consortium = app.consortium(&admin, "창원 금형 협의체", None).await;
    let rep = app.firm_member("rep@hanbit.example", "한빛정밀", 1).await;
    let hanbit_no = business_number(200_000_001);
    let daesung_no = business_number(310_000_007);
    assert!(!moim_core::validate::is_business_number("123-45-67892"));

    // A file with a problem on several lines: the dry run names each by line
    // and column, and importing it writes nothing.
    let bad = format!(
        "{HEADER}\n\
         대성금형,기업,{daesung_no},창원국가산업단지,창원 금형 협의체,박지훈,Park@Daesung.example,생산기술팀\n\
         대성금형,기업,{daesung_no},,,최유진,choi@daesung.example,\n\
         새봄소재,기업,123-45-67892,,,,,\n\
         한빛정밀,,{hanbit_no},,창원 금형 협의체; 없는 협의체,,,\n\
         동남대학교,대학,,없는산업단지,,안교수,prof.ahn@dongnam.example,기계공학과\n\
         대성금형,기업,{daesung_no},,,중복,park@daesung.example,\n\
         한빛정밀,기업,{hanbit_no},,,,,\n\
         엉터리,회사,,,,,,\n\
         대성금형,기업,{daesung_no},,,남의주소,REP@hanbit.example,\n"
    );
    let report = import(app, &admin, "회원.csv", bad.as_bytes(), true).await;
    assert_eq!(
        problems(&report),
        [
            (4, "사업자등록번호".into(), "invalid_business_number".into()),
            (5, "협의체".into(), "unknown_consortium".into()),
            (6, "산업단지".into(), "unknown_complex".into()),
            (7, "이메일".into(), "duplicate_email".into()),
            (9, "기관유형".into(), "unknown_kind".into()),
            (10, "이메일".into(), "email_elsewhere".into()),
        ],
        "{report}"
    );
    assert_eq!(report["rows"], 9);
    assert_eq!(report["problems"][1]["value"], "없는 협의체");
    let report = import(app, &admin, "회원.csv", bad.as_bytes(), false).await;
    assert_eq!(report["imported"], false);
    assert!(
        app.texts("SELECT name FROM organisations WHERE name = '대성금형'")
            .await
            .is_empty(),
        "nothing is written while a line has a problem"
    );

    // The file put right: what it will do, then doing it.
    let good = format!(
        "\u{feff}{HEADER}\n\
         대성금형,기업,{daesung_no},창원,창원 금형 협의체,박지훈,Park@Daesung.example,생산기술팀\n\
         대성금형,기업,{daesung_no},,,최유진,choi@daesung.example,\n\
         한빛정밀,,{hanbit_no},,창원 금형 협의체,,,\n\
         동남대학교,대학,,,,안교수,prof.ahn@dongnam.example,기계공학과\n\
         한빛정밀,기업,{hanbit_no},,,김민수,rep@hanbit.example,\n"
    );
    let dry = import(app, &admin, "회원.csv", good.as_bytes(), true).await;
    assert_eq!(problems(&dry), []);
    assert_eq!(dry["imported"], false);
    assert_eq!(counts(&dry), [2, 1, 3, 1, 2, 0], "{dry}");
    let done = import(app, &admin, "회원.csv", good.as_bytes(), false).await;
    assert_eq!(done["imported"], true, "{done}");
    assert_eq!(counts(&done), counts(&dry));

    // The organisations, their people (the first the representative, the
    // others confirmed), the approved memberships and the trail.
    let daesung = app
        .texts("SELECT CAST(id AS TEXT) FROM organisations WHERE name = '대성금형'")
        .await;
    assert_eq!(daesung.len(), 1);
    let people = app
        .texts(&format!(
            "SELECT u.email || ' ' || u.affiliation || ' ' || CASE WHEN o.representative_id = u.id THEN 'rep' ELSE '-' END
             FROM users u JOIN organisations o ON o.id = u.org_id WHERE o.id = {} ORDER BY u.id",
            daesung[0]
        ))
        .await;
    assert_eq!(
        people,
        [
            "park@daesung.example confirmed rep",
            "choi@daesung.example confirmed -"
        ]
    );
    assert_eq!(
        app.texts(&format!(
            "SELECT o.name FROM memberships m JOIN organisations o ON o.id = m.org_id WHERE m.consortium_id = {consortium} ORDER BY o.name"
        ))
        .await,
        ["대성금형", "한빛정밀"]
    );
    let (_, trail) = app.get("/api/admin/audit", Some(&admin)).await;
    let entry = trail
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "organisations_imported")
        .cloned()
        .unwrap();
    assert_eq!(entry["actor"]["id"], admin.id());

    // An invited person cannot sign in until they set a password from their
    // mail (an invitation, not a reset), which then works.
    let (status, body) = app
        .post(
            "/api/auth/signin",
            json!({"email": "park@daesung.example", "password": "!invited"}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let token = app
        .link_mailed("park@daesung.example", AccountMail::Reset)
        .await
        .expect("an invitation to park@");
    let mails = app.mails_to("park@daesung.example");
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("register of members"), "{}", mails[0]);
    assert!(
        !mails[0].contains("If you did not ask for this"),
        "{}",
        mails[0]
    );
    let (status, body) = app
        .post(
            "/api/auth/reset-password",
            json!({"token": token, "password": "Daesung-mould-2026"}),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let park = app
        .signin("park@daesung.example", "Daesung-mould-2026")
        .await
        .unwrap();
    assert_eq!(park.me["affiliation"], "confirmed");
    assert_eq!(park.me["email_verified"], true, "{}", park.me);

    // The same file again: everything is there, nothing changes, nobody is
    // mailed twice.
    let outbox = app
        .texts("SELECT CAST(COUNT(*) AS TEXT) FROM mail_outbox")
        .await;
    let again = import(app, &admin, "회원.csv", good.as_bytes(), false).await;
    assert_eq!(counts(&again), [0, 3, 0, 4, 0, 2], "{again}");
    assert_eq!(
        app.texts("SELECT CAST(COUNT(*) AS TEXT) FROM mail_outbox")
            .await,
        outbox
    );
    assert_eq!(
        app.texts("SELECT CAST(COUNT(*) AS TEXT) FROM organisations WHERE name IN ('대성금형', '동남대학교')")
            .await,
        ["2"]
    );

    // The same rows as an XLSX workbook (the business number a number cell),
    // with one new firm.
    let new_no = business_number(320_000_011);
    let rows = vec![
        vec!["기관명", "사업자등록번호", "협의체", "이름", "이메일"],
        vec![
            "대성금형",
            daesung_no.as_str(),
            "창원 금형 협의체",
            "박지훈",
            "park@daesung.example",
        ],
        vec![
            "세종정공",
            new_no.as_str(),
            "창원 금형 협의체",
            "윤세종",
            "yoon@sejong.example",
        ],
    ];
    let report = import(app, &admin, "회원.xlsx", &xlsx(&rows), false).await;
    assert_eq!(problems(&report), [], "{report}");
    assert_eq!(counts(&report), [1, 1, 1, 1, 1, 1], "{report}");
    drop(rep);
}

async fn an_import_refuses_what_it_cannot_place(app: &TestApp) {
    let admin = app.admin().await;
    let member = app
        .firm_member("member@hanbit.example", "한빛정밀", 2)
        .await;
    // Only admins.
    let (status, body) = app
        .upload("/api/admin/import", "회원.csv", HEADER.as_bytes(), &member)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // No file, a file that is not a table, a header alone, a header with a
    // typo and without the organisation column.
    let (status, body) = app
        .multipart("/api/admin/import", &[("other", None, b"x")], &admin)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for (file, expected) in [
        (
            &b"PK\x03\x04not a workbook"[..],
            vec![(0, String::new(), "unreadable".to_owned())],
        ),
        (
            HEADER.as_bytes(),
            vec![(0, String::new(), "empty".to_owned())],
        ),
        (
            "이름,이메일주소\n김,kim@x.example\n".as_bytes(),
            vec![
                (1, "이메일주소".to_owned(), "unknown_column".to_owned()),
                (1, "기관명".to_owned(), "missing_column".to_owned()),
            ],
        ),
    ] {
        let report = import(app, &admin, "x.csv", file, true).await;
        assert_eq!(problems(&report), expected, "{report}");
    }
    // Cells with line breaks, or too long, and a person without an address.
    let long = "가".repeat(101);
    let file =
        format!("{HEADER}\n\"한빛\n정밀\",기업,,,,,,\n{long},기업,,,,,,\n새봄,기업,,,,이름만,,\n");
    let report = import(app, &admin, "x.csv", file.as_bytes(), true).await;
    assert_eq!(
        problems(&report),
        [
            (2, "기관명".into(), "control_characters".into()),
            (4, "기관명".into(), "too_long".into()),
            (5, "이메일".into(), "required".into()),
        ],
        "{report}"
    );
    // Too big a file: 413 in the one error shape.
    let big = vec![b'a'; 9 * 1024 * 1024];
    let (status, body) = app
        .upload("/api/admin/import", "big.csv", &big, &admin)
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(error(&body), "payload_too_large");
}
