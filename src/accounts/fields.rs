//! What is wrong with the fields of a submitted form, each message under
//! its field's name, so the page shows it beside the field and ties it to
//! the field (`aria-invalid`, `aria-describedby`).

use std::collections::BTreeMap;

use serde::Serialize;

/// Messages by field name; the first message for a field is kept.
#[derive(Debug, Default, Serialize)]
pub struct FieldErrors(BTreeMap<&'static str, String>);

impl FieldErrors {
    /// One field is wrong.
    pub fn one(field: &'static str, message: impl Into<String>) -> FieldErrors {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        errors
    }

    /// Another message, unless `field` has one already.
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The field to put the cursor in: the first of `fields` (in the
    /// order the page shows them) that is wrong, else the first.
    pub fn focus(&self, fields: &[&'static str]) -> &'static str {
        let wrong = fields.iter().find(|field| self.0.contains_key(*field));
        wrong.or(fields.first()).copied().unwrap_or_default()
    }
}
