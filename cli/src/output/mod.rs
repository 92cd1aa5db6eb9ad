//! What the user sees on stdout: listings and records as a table, JSON, YAML or chosen columns,
//! always in the spec's field names and with secrets redacted.

pub mod progress;
pub mod style;
mod table;

use std::io::Write;

use hostup::BillingModel;
use hostup::redact::Redact;
use serde::Serialize;
use serde_json::Value;

use crate::args::Output;
use crate::failure::Failure;

/// How this run prints results.
#[derive(Clone, Debug)]
pub struct Printer {
    format: Output,
    no_header: bool,
    color: bool,
    show_secrets: bool,
}

impl Printer {
    /// A printer for `format`; colour when stdout takes it.
    pub fn new(format: Output, no_header: bool) -> Self {
        Self { format, no_header, color: style::stdout(), show_secrets: false }
    }

    /// Whether results print as a plain table (no `--output` given).
    pub fn is_table(&self) -> bool {
        self.format == Output::Table
    }

    /// The same printer, printing secret fields as they are.
    pub fn showing_secrets(mut self) -> Self {
        self.show_secrets = true;
        self
    }

    /// A listing: `headers` and `cells` make the table; JSON and YAML print the rows themselves.
    pub fn listing<T: Serialize + Redact>(
        &self,
        headers: &[&str],
        rows: &[T],
        cells: impl Fn(&T) -> Vec<String>,
    ) -> Result<(), Failure> {
        match &self.format {
            Output::Table => {
                let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
                let body: Vec<Vec<String>> = rows.iter().map(cells).collect();
                self.table(&headers, &body);
                Ok(())
            }
            Output::Json | Output::Yaml => self.structured(&Value::Array(self.values(rows)?)),
            Output::Columns(names) => {
                let values = self.values(rows)?;
                let named: Vec<(Vec<String>, &Value)> = rows.iter().map(cells).zip(&values).collect();
                self.columns(names, headers, &named)
            }
        }
    }

    /// One resource: `fields` make the table; JSON and YAML print the resource itself.
    pub fn record<T: Serialize + Redact>(
        &self,
        resource: &T,
        fields: &[(&str, String)],
    ) -> Result<(), Failure> {
        match &self.format {
            Output::Table => {
                emit(&table::fields(fields));
                Ok(())
            }
            Output::Json | Output::Yaml => self.structured(&self.value(resource)?),
            Output::Columns(names) => {
                let value = self.value(resource)?;
                let keys: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
                let cells = fields.iter().map(|(_, v)| v.clone()).collect();
                self.columns(names, &keys, &[(cells, &value)])
            }
        }
    }

    /// The resource as JSON, its secret fields (the spec's `x-hostup-secret` pointers for its
    /// type) redacted unless `--show-secrets`.
    fn value<T: Serialize + Redact>(&self, resource: &T) -> Result<Value, Failure> {
        let mut value = serde_json::to_value(resource)
            .map_err(|e| Failure::Usage(format!("cannot encode the result: {e}")))?;
        if !self.show_secrets {
            T::redact_json(&mut value);
        }
        Ok(value)
    }

    fn values<T: Serialize + Redact>(&self, rows: &[T]) -> Result<Vec<Value>, Failure> {
        rows.iter().map(|row| self.value(row)).collect()
    }

    fn structured(&self, value: &Value) -> Result<(), Failure> {
        let text = match self.format {
            Output::Yaml => serde_yaml_ng::to_string(value).map_err(|e| e.to_string()),
            _ => serde_json::to_string_pretty(value).map_err(|e| e.to_string()),
        };
        let text = text.map_err(|e| Failure::Usage(format!("cannot encode the result: {e}")))?;
        emit(text.trim_end());
        Ok(())
    }

    fn table(&self, headers: &[String], rows: &[Vec<String>]) {
        let headers = (!self.no_header).then_some(headers);
        if headers.is_some() || !rows.is_empty() {
            emit(&table::table(headers, rows, self.color));
        }
    }

    /// `columns=a,b`: each name is one of the table's columns (`per-month` for `PER MONTH`) or a
    /// field of the JSON output, dotted for nested ones (`billing.amount`).
    fn columns(
        &self,
        names: &[String],
        headers: &[&str],
        rows: &[(Vec<String>, &Value)],
    ) -> Result<(), Failure> {
        let slug = |h: &str| h.to_lowercase().replace(' ', "-");
        let mut body = vec![Vec::with_capacity(names.len()); rows.len()];
        for name in names {
            let wanted = slug(name);
            if let Some(index) = headers.iter().position(|h| slug(h) == wanted) {
                for (out, (cells, _)) in body.iter_mut().zip(rows) {
                    out.push(cells.get(index).cloned().unwrap_or_default());
                }
                continue;
            }
            let pointer = format!("/{}", name.replace('.', "/"));
            if !rows.is_empty() && rows.iter().all(|(_, v)| v.pointer(&pointer).is_none()) {
                let known: Vec<String> = headers.iter().map(|h| slug(h)).collect();
                return Err(Failure::Usage(format!(
                    "unknown column {name:?}: use {} or a field of `-o json` (dotted, like billing.amount)",
                    known.join(", ")
                )));
            }
            for (out, (_, value)) in body.iter_mut().zip(rows) {
                out.push(value.pointer(&pointer).map_or_else(|| "-".into(), cell));
            }
        }
        let headers: Vec<String> = names.iter().map(|n| n.to_uppercase()).collect();
        self.table(&headers, &body);
        Ok(())
    }
}

/// A spec resource already in JSON with its secrets redacted (by [`redacted`]), for results
/// gathered before printing, such as each VPS's in a bulk action.
#[derive(Clone, Debug, Serialize)]
#[serde(transparent)]
pub struct RedactedJson(pub Value);

impl Redact for RedactedJson {
    // Redacted when made.
    const SECRET_POINTERS: &'static [&'static str] = &[];
}

/// `resource` as JSON with its type's secret fields redacted.
pub fn redacted<T: Serialize + Redact>(resource: &T) -> RedactedJson {
    RedactedJson(hostup::redact::to_redacted_json(resource).unwrap_or(Value::Null))
}

/// A JSON value as a table cell: strings bare, null as `-`, the rest as compact JSON.
fn cell(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}

/// One line (or block) on stdout; a closed pipe (`| head`) is not an error worth a panic.
pub fn emit(text: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// `PAYG` or `fixed, monthly`.
pub fn billing(model: Option<BillingModel>) -> String {
    model.map_or("-".into(), |m| m.to_string())
}

/// `99.00 SEK`.
pub fn money(amount: f64, currency: &str) -> String {
    format!("{amount:.2} {currency}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_print_strings_bare_and_the_rest_as_json() {
        assert_eq!(cell(&json!("a")), "a");
        assert_eq!(cell(&json!(null)), "-");
        assert_eq!(cell(&json!(4.5)), "4.5");
        assert_eq!(cell(&json!(["x", "y"])), r#"["x","y"]"#);
    }
}
