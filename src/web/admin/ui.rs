//! The building blocks of every back-office page: forms, tables, facts
//! and links, drawn by one template (`admin/page.html`). A page is a list
//! of blocks; handlers build blocks, never HTML.

use askama::Template;
use axum::response::Response;

use crate::domain::access::Staff;
use crate::domain::records::FieldErrors;
use crate::web::views::Pager;
use crate::web::{render, Result};

/// Kinds of form controls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Email,
    Password,
    Date,
    Time,
    Number,
    Search,
    TextArea,
    Select,
    Checkbox,
    Hidden,
    File,
    /// Several files at once (PDF, JPEG, PNG).
    Files,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub kind: Kind,
    pub value: String,
    pub options: Vec<(String, String)>,
    pub error: String,
    pub hint: String,
    pub required: bool,
    pub autocomplete: &'static str,
    /// Records the answer could mean, shown as radio buttons named
    /// `{name}_wybor` (see `pick::jst`).
    pub choices: Vec<(String, String)>,
}

impl Field {
    pub fn new(name: &'static str, label: &str, kind: Kind, value: impl Into<String>) -> Field {
        Field {
            name,
            label: label.to_owned(),
            kind,
            value: value.into(),
            options: Vec::new(),
            error: String::new(),
            hint: String::new(),
            required: false,
            autocomplete: "off",
            choices: Vec::new(),
        }
    }

    pub fn text(name: &'static str, label: &str, value: impl Into<String>) -> Field {
        Field::new(name, label, Kind::Text, value)
    }

    pub fn select<C: AsRef<str>, L: AsRef<str>>(
        name: &'static str,
        label: &str,
        value: impl Into<String>,
        options: impl IntoIterator<Item = (C, L)>,
    ) -> Field {
        let mut f = Field::new(name, label, Kind::Select, value);
        f.options = options
            .into_iter()
            .map(|(c, l)| (c.as_ref().to_owned(), l.as_ref().to_owned()))
            .collect();
        f
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub fn hint(mut self, hint: &str) -> Field {
        self.hint = hint.to_owned();
        self
    }

    pub fn autocomplete(mut self, value: &'static str) -> Field {
        self.autocomplete = value;
        self
    }

    pub fn is_checked(&self) -> bool {
        !self.value.is_empty()
    }

    pub fn input_type(&self) -> &'static str {
        match self.kind {
            Kind::Email => "email",
            Kind::Password => "password",
            Kind::Date => "date",
            Kind::Time => "time",
            Kind::Number => "number",
            Kind::Search => "search",
            Kind::Hidden => "hidden",
            Kind::File | Kind::Files => "file",
            _ => "text",
        }
    }

    pub fn is_file(&self) -> bool {
        matches!(self.kind, Kind::File | Kind::Files)
    }

    pub fn id(&self) -> String {
        format!("pole-{}", self.name.replace('_', "-"))
    }

    /// What `aria-describedby` points at.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-opis", self.id()));
        }
        if !self.error.is_empty() {
            ids.push(format!("{}-blad", self.id()));
        }
        ids.join(" ")
    }
}

/// A form: POST with the CSRF token, or GET for filters.
#[derive(Clone, Debug)]
pub struct Form {
    pub action: String,
    pub method: &'static str,
    pub fields: Vec<Field>,
    pub submit: String,
    /// A second button with its own name (e.g. "Podgląd").
    pub alternative: Option<(&'static str, String)>,
    pub csrf: String,
    pub multipart: bool,
    pub class: &'static str,
}

impl Form {
    pub fn post(action: impl Into<String>, csrf: &str, submit: &str, fields: Vec<Field>) -> Form {
        Form {
            action: action.into(),
            method: "post",
            fields,
            submit: submit.to_owned(),
            alternative: None,
            csrf: csrf.to_owned(),
            multipart: false,
            class: "form",
        }
    }

    pub fn filter(action: impl Into<String>, fields: Vec<Field>) -> Form {
        Form {
            action: action.into(),
            method: "get",
            fields,
            submit: "Szukaj".to_owned(),
            alternative: None,
            csrf: String::new(),
            multipart: false,
            class: "filters",
        }
    }

    /// Puts each field's message from `errors` next to it.
    pub fn with_errors(mut self, errors: &FieldErrors) -> Form {
        for f in &mut self.fields {
            f.error = errors.get(f.name).to_owned();
            f.choices = errors.choices(f.name).to_vec();
        }
        self
    }

    /// Where the form sends files: the token travels in the address, as the
    /// body is not read before the handler.
    pub fn upload_action(&self) -> String {
        let join = if self.action.contains('?') { '&' } else { '?' };
        format!("{}{join}csrf={}", self.action, self.csrf)
    }

    pub fn errors(&self) -> Vec<(String, String)> {
        self.fields
            .iter()
            .filter(|f| !f.error.is_empty())
            // A label that is a sentence keeps its words, not its full stop.
            .map(|f| {
                let label = f.label.trim_end_matches('.');
                (f.id(), format!("{label}: {}", f.error))
            })
            .collect()
    }
}

/// A table cell: text, optionally a link.
#[derive(Clone, Debug)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
}

impl Cell {
    /// The text in pieces to draw: words with a number and a hyphen or a
    /// slash (a case number, a date), after which a browser may break a
    /// line, marked to be kept on one line; the rest as it is (words of
    /// letters break at their hyphen, as in print: "miejsko-wiejska").
    pub fn pieces(&self) -> Vec<(bool, &str)> {
        let text = self.text.as_str();
        let mut out = Vec::new();
        let mut plain = 0;
        let mut word = 0;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            if !c.is_whitespace() {
                continue;
            }
            let w = &text[word..i];
            if w.contains(['-', '/']) && w.contains(|c: char| c.is_ascii_digit()) {
                if plain < word {
                    out.push((false, &text[plain..word]));
                }
                out.push((true, &text[word..i]));
                plain = i;
            }
            word = (i + c.len_utf8()).min(text.len());
        }
        if plain < text.len() {
            out.push((false, &text[plain..]));
        }
        out
    }

    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            href: Some(href.into()),
        }
    }
}

impl<T: Into<String>> From<T> for Cell {
    fn from(text: T) -> Cell {
        Cell {
            text: text.into(),
            href: None,
        }
    }
}

/// A table of records; also what CSV and XLSX exports are made from.
#[derive(Clone, Debug)]
pub struct Table {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub total: i64,
    pub pager: Option<Pager>,
    /// Links to this list's exports (CSV, XLSX), filters kept.
    pub exports: Vec<(String, &'static str)>,
    /// Buttons per row, as small forms: (action, label).
    pub row_actions: Vec<Vec<(String, String)>>,
    pub csrf: String,
}

impl Table {
    pub fn new(caption: &str, headers: &[&str]) -> Table {
        Table {
            caption: caption.to_owned(),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            total: 0,
            pager: None,
            exports: Vec::new(),
            row_actions: Vec::new(),
            csrf: String::new(),
        }
    }

    pub fn actions(&self, row: usize) -> &[(String, String)] {
        self.row_actions.get(row).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn has_actions(&self) -> bool {
        self.row_actions.iter().any(|a| !a.is_empty())
    }

    pub fn total_text(&self) -> String {
        use crate::domain::format::{count, nouns};
        count(self.total, nouns::RESULT)
    }
}

/// A table of inputs sent as one form: a row per record (its name a row
/// header), a column per field; each input is named `{row key}.{column
/// code}` and labelled by its row's and column's headers.
#[derive(Clone, Debug)]
pub struct Grid {
    pub action: String,
    pub csrf: String,
    pub caption: String,
    /// Fields sent with every row (the year, the page).
    pub hidden: Vec<(&'static str, String)>,
    /// (code, header).
    pub columns: Vec<(&'static str, String)>,
    pub rows: Vec<GridRow>,
    pub submit: String,
}

#[derive(Clone, Debug)]
pub struct GridRow {
    pub key: String,
    pub name: Cell,
    /// What the row was when the page was drawn, sent back as
    /// `{key}.stan` to tell a change made meanwhile.
    pub state: String,
    pub cells: Vec<GridCell>,
    /// What is wrong with the row, shown under its name.
    pub error: String,
}

#[derive(Clone, Debug)]
pub struct GridCell {
    pub column: &'static str,
    pub kind: Kind,
    pub value: String,
    pub options: Vec<(String, String)>,
    pub invalid: bool,
}

impl GridCell {
    pub fn input_type(&self) -> &'static str {
        match self.kind {
            Kind::Date => "date",
            Kind::Number => "number",
            _ => "text",
        }
    }
}

/// One part of a page.
#[derive(Clone, Debug)]
pub enum Block {
    Heading(String),
    Text(String),
    /// A refusal shown on the page it concerns (an alert).
    Alert(String),
    /// Sanitised HTML made by `layout::markdown`.
    Preview(String),
    Facts(Vec<(String, Cell)>),
    Links(Vec<(String, String)>),
    Form(Form),
    Table(Table),
    Grid(Grid),
}

/// A back-office page.
#[derive(Template)]
#[template(path = "admin/page.html")]
pub struct Page {
    pub title: String,
    pub staff: Option<Staff>,
    pub csrf: String,
    /// A confirmation after an action ("Zapisano.").
    pub notice: String,
    pub blocks: Vec<Block>,
    pub nav: Vec<(&'static str, &'static str)>,
    pub current: &'static str,
}

impl Page {
    pub fn new(title: impl Into<String>, staff: Option<&Staff>, csrf: &str) -> Page {
        Page {
            title: title.into(),
            nav: staff.map(super::nav).unwrap_or_default(),
            staff: staff.cloned(),
            csrf: csrf.to_owned(),
            notice: String::new(),
            blocks: Vec::new(),
            current: "",
        }
    }

    pub fn section(mut self, current: &'static str) -> Page {
        self.current = current;
        self
    }

    pub fn notice(mut self, notice: impl Into<String>) -> Page {
        self.notice = notice.into();
        self
    }

    pub fn block(mut self, b: Block) -> Page {
        self.blocks.push(b);
        self
    }

    /// Adds a link when `show` (e.g. "add" for those who may change).
    pub fn link_if(self, show: bool, href: String, label: &str) -> Page {
        if show {
            self.block(Block::Links(vec![(href, label.to_owned())]))
        } else {
            self
        }
    }

    /// Puts `values` (field name, what was typed) back into the page's
    /// forms, so a refused form keeps its input.
    pub fn keep(mut self, values: &[(&str, &String)]) -> Page {
        for block in &mut self.blocks {
            if let Block::Form(form) = block {
                for field in &mut form.fields {
                    if let Some((_, value)) = values.iter().find(|(name, _)| *name == field.name) {
                        field.value = (*value).clone();
                    }
                }
            }
        }
        self
    }

    pub fn role_label(&self) -> &'static str {
        self.staff.as_ref().map(|s| s.role.label()).unwrap_or("")
    }

    pub fn render(&self) -> Result<Response> {
        render(self)
    }
}

/// A page answering an action refused by a rule of the record (e.g. a
/// check-in before the activity's first day): 409, the reason on the page.
pub fn refused(page: Page) -> Result<Response> {
    use axum::response::IntoResponse;
    let response = page.render()?;
    Ok((axum::http::StatusCode::CONFLICT, response).into_response())
}

/// A page answering a form that had errors: 422, with the input kept.
pub fn invalid(page: Page) -> Result<Response> {
    use axum::response::IntoResponse;
    let response = page.render()?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, response).into_response())
}

#[cfg(test)]
mod tests {
    use super::Cell;

    #[test]
    fn numbers_a_line_may_break_inside_are_kept_whole() {
        let cell = Cell::from("INT/2026/018 gmina miejsko-wiejska, 2026-11-05 (e-mail) Jednorożec");
        assert_eq!(
            cell.pieces(),
            [
                (true, "INT/2026/018"),
                (false, " gmina miejsko-wiejska, "),
                (true, "2026-11-05"),
                (false, " (e-mail) Jednorożec"),
            ]
        );
        assert_eq!(Cell::from("Jednorożec").pieces(), [(false, "Jednorożec")]);
        assert!(Cell::from("").pieces().is_empty());
        assert_eq!(
            Cell::from("a\nb-1").pieces(),
            [(false, "a\n"), (true, "b-1")]
        );
    }
}
