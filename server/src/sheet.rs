//! Cells and lines of the CSV files Moim hands out (the cockpit's tables, a
//! survey's answers): they go straight into spreadsheet software, so a cell
//! that starts like a formula is defused, and one with a comma, a quote or a
//! line break is quoted.

/// One cell.
pub fn cell(s: &str) -> String {
    // A leading =, +, - or @ would be a formula in spreadsheet software (and a
    // tab or carriage return before one can hide it).
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// One line, ended by CRLF.
pub fn row(cells: &[String]) -> String {
    let mut line = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// A CSV file's type.
pub const CSV: &str = "text/csv; charset=utf-8";
/// An XLSX workbook's type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A download of `body` as the file `name` of type `content_type`.
pub fn download(
    content_type: &str,
    name: &str,
    body: impl Into<axum::body::Body>,
) -> axum::response::Response {
    use axum::{http::header, response::IntoResponse};
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body.into(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(cell("-3.5"), "-3.5");
        assert_eq!(cell("\t=1+1"), "'\t=1+1");
        assert_eq!(cell("\r=1+1"), "\"'\r=1+1\"");
        assert_eq!(row(&["가".into(), "@x".into()]), "가,'@x\r\n");
    }
}
