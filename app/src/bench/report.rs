//! Printing benchmark results: an aligned table for people, one JSON object
//! (last line of stdout) for machines.

use std::fmt::Write as _;

/// A value in a report row.
#[derive(Debug, Clone)]
pub enum Value {
    /// A count or size.
    Int(u64),
    /// A measurement.
    Float(f64),
    /// Text (adapter names, units).
    Text(String),
}

impl Value {
    fn json(&self) -> String {
        match self {
            Self::Int(v) => v.to_string(),
            Self::Float(v) if v.is_finite() => format!("{v:.6}"),
            Self::Float(_) => "null".into(),
            Self::Text(s) => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
        }
    }

    fn human(&self) -> String {
        match self {
            Self::Int(v) => v.to_string(),
            Self::Float(v) if v.abs() >= 100.0 => format!("{v:.1}"),
            Self::Float(v) if v.abs() >= 0.01 => format!("{v:.3}"),
            Self::Float(v) => format!("{v:.6}"),
            Self::Text(s) => s.clone(),
        }
    }
}

/// Named results in order.
#[derive(Debug, Default)]
pub struct Report {
    title: String,
    rows: Vec<(String, String, Value)>,
}

impl Report {
    /// A report called `title`.
    pub fn new(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            rows: Vec::new(),
        }
    }

    /// Adds `key` (its JSON name) with a human description.
    pub fn add(&mut self, key: &str, what: &str, value: Value) {
        self.rows.push((key.to_owned(), what.to_owned(), value));
    }

    /// The table, one metric per line.
    pub fn table(&self) -> String {
        let width = self
            .rows
            .iter()
            .map(|(_, w, _)| w.chars().count())
            .max()
            .unwrap_or(0);
        let mut out = format!("{}\n", self.title);
        for (key, what, value) in &self.rows {
            let _ = writeln!(out, "  {what:<width$}  {:>14}   ({key})", value.human());
        }
        out
    }

    /// One JSON object on one line.
    pub fn json(&self) -> String {
        let fields: Vec<String> = self
            .rows
            .iter()
            .map(|(key, _, value)| format!("\"{key}\":{}", value.json()))
            .collect();
        format!("{{{}}}", fields.join(","))
    }
}

/// The `p`-th percentile (0–100) of `values` (sorted in place); NaN if empty.
pub fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let rank = (p / 100.0 * (values.len() - 1) as f64).round() as usize;
    values[rank.min(values.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_one_object_with_every_key() {
        let mut r = Report::new("t");
        r.add("streams", "streams", Value::Int(16));
        r.add("ratio", "ratio", Value::Float(1.5));
        r.add("adapter", "adapter", Value::Text("llvmpipe \"x\"".into()));
        r.add("bad", "bad", Value::Float(f64::NAN));
        assert_eq!(
            r.json(),
            r#"{"streams":16,"ratio":1.500000,"adapter":"llvmpipe \"x\"","bad":null}"#
        );
        assert!(r.table().contains("16"));
    }

    #[test]
    fn percentiles_pick_ranks() {
        let mut v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert!((percentile(&mut v, 50.0) - 51.0).abs() < 1e-9);
        assert!((percentile(&mut v, 95.0) - 95.0).abs() < 1e-9);
        assert!(percentile(&mut [], 50.0).is_nan());
    }
}
