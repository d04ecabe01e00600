//! Reading an admin's import file (`POST /api/admin/import`): a CSV — UTF-8 with
//! or without its BOM, the CP949 (EUC-KR) that Korean Excel saves, or UTF-16
//! with its BOM (Excel's "Unicode text", tab-separated) — or the
//! first sheet of an XLSX workbook, as a header and rows of text cells with
//! their line numbers. What the rows mean is `db::import`'s.

use moim_core::{
    headline::{GROWTH_RANGE, IndustryAverage},
    registry::{IMPORT_ROWS_MAX, ImportIssue, ImportProblem},
};
use std::collections::{BTreeSet, HashMap, HashSet};

/// A file's header row and the rows under it, each with its line (1 is the
/// header). Rows whose every cell is blank are left out; their lines still count.
#[derive(Debug, Default)]
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<(u32, Vec<String>)>,
}

/// Reads `bytes` as XLSX (a ZIP's signature) or else as CSV.
pub fn read(bytes: &[u8]) -> Result<Sheet, ImportIssue> {
    let table = if bytes.starts_with(b"PK\x03\x04") {
        xlsx(bytes)?
    } else {
        csv(bytes)?
    };
    let mut lines = table.into_iter();
    let Some((_, header)) = lines.next() else {
        return Err(ImportIssue::Empty);
    };
    let rows: Vec<(u32, Vec<String>)> = lines
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    if rows.is_empty() {
        return Err(ImportIssue::Empty);
    }
    if rows.len() > IMPORT_ROWS_MAX {
        return Err(ImportIssue::TooManyRows);
    }
    Ok(Sheet { header, rows })
}

/// The problems found so far, in the order found.
#[derive(Default)]
pub struct Problems(pub Vec<ImportProblem>);

impl Problems {
    pub fn add(&mut self, line: u32, column: &str, issue: ImportIssue, value: &str) {
        self.0.push(ImportProblem {
            line,
            column: column.to_owned(),
            issue,
            value: value.chars().take(100).collect(),
        });
    }

    pub fn check(&mut self, line: u32, column: &str, value: &str, issue: Option<ImportIssue>) {
        if let Some(issue) = issue {
            self.add(line, column, issue, value);
        }
    }
}

/// A problem of the file itself (line 0): it cannot be read, say.
pub fn file_problem(issue: ImportIssue) -> ImportProblem {
    ImportProblem {
        line: 0,
        column: String::new(),
        issue,
        value: String::new(),
    }
}

/// Which column of `header` is which field of `spec` (Korean header, English
/// header, required), found by either header in any case and spacing: the
/// field's English name to the column's index and header as the file has it.
/// A header it does not know, and a required field with no column, are
/// problems on line 1.
pub fn columns(
    header: &[String],
    spec: &[(&str, &'static str, bool)],
    problems: &mut Problems,
) -> HashMap<&'static str, (usize, String)> {
    let mut at = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let key: String = h
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase();
        if key.is_empty() {
            continue;
        }
        match spec.iter().find(|(ko, en, _)| key == *ko || key == *en) {
            Some((_, en, _)) => {
                at.insert(*en, (i, h.trim().to_owned()));
            }
            None => problems.add(1, h.trim(), ImportIssue::UnknownColumn, h),
        }
    }
    for (ko, en, required) in spec {
        if *required && !at.contains_key(en) {
            problems.add(1, ko, ImportIssue::MissingColumn, "");
        }
    }
    at
}

/// The cell of `field` in a row (trimmed, empty when the file has no such
/// column) and its column's header as the file has it (the field's name
/// when absent), by the map [`columns`] made.
pub fn cell<'a>(
    at: &HashMap<&'static str, (usize, String)>,
    cells: &'a [String],
    field: &str,
) -> (&'a str, String) {
    match at.get(field) {
        Some((i, header)) => (cells.get(*i).map_or("", |c| c.trim()), header.clone()),
        None => ("", field.to_owned()),
    }
}

/// Reads an industry averages file: every row a KSIC division and a year
/// (up to `latest`), with growths in percent (blank when unknown; `3.5`,
/// `3.5%` and `-1,2` are read). Each problem is named by line and column.
pub fn averages(sheet: &Sheet, latest: i32) -> (Vec<IndustryAverage>, Vec<ImportProblem>) {
    let mut problems = Problems::default();
    let at = columns(
        &sheet.header,
        moim_core::headline::AVERAGE_COLUMNS,
        &mut problems,
    );
    if !problems.0.is_empty() {
        return (Vec::new(), problems.0);
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (line, cells) in &sheet.rows {
        let line = *line;
        let cell = |field: &str| cell(&at, cells, field);
        let before = problems.0.len();
        let (ksic, ksic_col) = cell("ksic");
        // A spreadsheet shows division 05 as 5.
        let ksic = if ksic.len() == 1 {
            format!("0{ksic}")
        } else {
            ksic.to_owned()
        };
        if ksic.is_empty() {
            problems.add(line, &ksic_col, ImportIssue::Required, "");
        } else if !moim_core::figures::is_ksic(&ksic) {
            problems.add(line, &ksic_col, ImportIssue::InvalidKsic, &ksic);
        }
        let (year, year_col) = cell("year");
        let y = year.parse::<i32>().ok();
        match y {
            _ if year.is_empty() => problems.add(line, &year_col, ImportIssue::Required, ""),
            None => problems.add(line, &year_col, ImportIssue::NotANumber, year),
            Some(y) if !(moim_core::figures::FIRST_YEAR..=latest).contains(&y) => {
                problems.add(line, &year_col, ImportIssue::OutOfRange, year);
            }
            Some(_) => {}
        }
        let mut growth = |field: &str| -> Option<f64> {
            let (v, col) = cell(field);
            // Excel's percent, a decimal comma, a typographic minus.
            let clean: String = v
                .trim_end_matches('%')
                .trim()
                .replace(',', ".")
                .replace('−', "-");
            if clean.is_empty() {
                return None;
            }
            match clean.parse::<f64>() {
                Ok(g) if g.is_finite() && (GROWTH_RANGE.0..=GROWTH_RANGE.1).contains(&g) => Some(g),
                Ok(g) if g.is_finite() => {
                    problems.add(line, &col, ImportIssue::OutOfRange, v);
                    None
                }
                _ => {
                    problems.add(line, &col, ImportIssue::NotANumber, v);
                    None
                }
            }
        };
        let row = IndustryAverage {
            ksic,
            year: y.unwrap_or_default(),
            sales_growth: growth("sales_growth"),
            exports_growth: growth("exports_growth"),
            employees_growth: growth("employees_growth"),
        };
        if problems.0.len() > before {
            continue;
        }
        if !seen.insert((row.year, row.ksic.clone())) {
            problems.add(line, &ksic_col, ImportIssue::DuplicateRow, &row.ksic);
            continue;
        }
        out.push(row);
    }
    (out, problems.0)
}

/// The years of `rows`, in order.
pub fn years(rows: &[IndustryAverage]) -> Vec<i32> {
    rows.iter()
        .map(|r| r.year)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

type Table = Vec<(u32, Vec<String>)>;

fn csv(bytes: &[u8]) -> Result<Table, ImportIssue> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => {
            // A UTF-16 byte order mark wins over CP949 (`decode` sniffs it).
            let (t, _, bad) = encoding_rs::EUC_KR.decode(bytes);
            if bad {
                return Err(ImportIssue::Unreadable);
            }
            t
        }
    };
    if text.contains('\0') {
        return Err(ImportIssue::Unreadable);
    }
    // A header with tabs and no commas is a tab-separated export.
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.contains('\t') && !first.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut table = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| ImportIssue::Unreadable)?;
        let line = record
            .position()
            .map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
        table.push((line, record.iter().map(str::to_owned).collect()));
        if table.len() > IMPORT_ROWS_MAX + 1 {
            return Err(ImportIssue::TooManyRows);
        }
    }
    Ok(table)
}

fn xlsx(bytes: &[u8]) -> Result<Table, ImportIssue> {
    use calamine::{Data, Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| ImportIssue::Unreadable)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(ImportIssue::Empty)?
        .map_err(|_| ImportIssue::Unreadable)?;
    let (top, _) = range.start().unwrap_or((0, 0));
    if range.height() > IMPORT_ROWS_MAX + 1 {
        return Err(ImportIssue::TooManyRows);
    }
    let cell = |d: &Data| match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        // A business number typed as a number comes back as 1234567890.0.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        other => other.to_string(),
    };
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let line = top.saturating_add(u32::try_from(i).unwrap_or(u32::MAX)) + 1;
            (line, row.iter().map(cell).collect())
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_with_a_bom_or_in_cp949_reads_the_same() {
        let text = "기관명,이름\n한빛정밀,김민수\n\n,\n\"대성, 금형\",\"이\n서연\"\n";
        let utf8 = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        let (cp949, _, _) = encoding_rs::EUC_KR.encode(text);
        for bytes in [utf8.as_slice(), &cp949] {
            let sheet = read(bytes).unwrap();
            assert_eq!(sheet.header, ["기관명", "이름"]);
            // Blank lines are skipped, line numbers kept; a quoted line break
            // stays in its cell (and the rules refuse it later).
            assert_eq!(
                sheet.rows,
                [
                    (2, vec!["한빛정밀".to_owned(), "김민수".to_owned()]),
                    (5, vec!["대성, 금형".to_owned(), "이\n서연".to_owned()]),
                ]
            );
        }
    }

    #[test]
    fn files_that_cannot_be_read_say_so() {
        assert_eq!(read(b"").unwrap_err(), ImportIssue::Empty);
        assert_eq!(read("기관명\n".as_bytes()).unwrap_err(), ImportIssue::Empty);
        assert_eq!(
            read(b"PK\x03\x04junk").unwrap_err(),
            ImportIssue::Unreadable
        );
        assert_eq!(read(b"a\0b\nc").unwrap_err(), ImportIssue::Unreadable);
        assert_eq!(
            read(&[0x41, 0xff, 0xff, 0x0a]).unwrap_err(),
            ImportIssue::Unreadable
        );
        // Excel's "Unicode text": UTF-16 with its byte order mark, tabs between.
        let utf16: Vec<u8> = [0xfeff_u16]
            .into_iter()
            .chain("기관명\t이름\n한빛정밀\t김민수\n".encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(read(&utf16).unwrap().rows[0].1, ["한빛정밀", "김민수"]);
        let many = format!("기관명\n{}", "x\n".repeat(IMPORT_ROWS_MAX + 1));
        assert_eq!(read(many.as_bytes()).unwrap_err(), ImportIssue::TooManyRows);
        let tabs = read("기관명\t이름\n한빛정밀\t김민수\n".as_bytes()).unwrap();
        assert_eq!(tabs.rows[0].1, ["한빛정밀", "김민수"]);
    }
}
