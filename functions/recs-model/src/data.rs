//! The retailer's purchase log and the evaluation protocol's row filter.
//!
//! Protocol (issue #14, item 6), applied row by row: keep rows with a CustomerID, an
//! InvoiceNo not starting with C (cancellation) or A (bad-debt adjustment),
//! Quantity > 0, UnitPrice > 0 and a StockCode that, upper-cased, starts with five
//! digits; the item is the whole upper-cased StockCode (`85123A` is its own item).

use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use time::PrimitiveDateTime;
use time::macros::format_description;

use crate::Interaction;

/// A kept row of the log.
#[derive(Clone, Debug, PartialEq)]
pub struct Purchase {
    /// CustomerID exactly as the file writes it (`17850.0`), so predictions name
    /// customers the way the file does and anyone can join them back.
    pub customer: String,
    pub item: String,
    /// InvoiceDate as unix seconds (the log has no zone; read as UTC).
    pub at: i64,
    pub quantity: u32,
}

impl Purchase {
    /// The purchase as a model interaction of weight 1 (one invoice line).
    pub fn interaction(&self) -> Interaction {
        Interaction {
            user: self.customer.clone(),
            item: self.item.clone(),
            at: self.at,
            weight: 1.0,
        }
    }
}

#[derive(Debug)]
pub enum DataError {
    Io(std::io::Error),
    Csv(csv::Error),
    /// A required column is missing from the header.
    Column(&'static str),
    /// A row that passes the filter's text checks has a value that does not parse.
    Row {
        line: u64,
        field: &'static str,
    },
    Date(String),
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::Io(e) => write!(f, "reading the log: {e}"),
            DataError::Csv(e) => write!(f, "reading the CSV: {e}"),
            DataError::Column(c) => write!(f, "the CSV has no column {c}"),
            DataError::Row { line, field } => write!(f, "line {line}: {field} does not parse"),
            DataError::Date(d) => write!(f, "not a date (YYYY-MM-DD): {d}"),
        }
    }
}

impl std::error::Error for DataError {}

impl From<std::io::Error> for DataError {
    fn from(e: std::io::Error) -> Self {
        DataError::Io(e)
    }
}

impl From<csv::Error> for DataError {
    fn from(e: csv::Error) -> Self {
        DataError::Csv(e)
    }
}

/// Reads a log file, gzipped when its name ends in `.gz`, keeping the protocol's rows.
pub fn read_log(path: &Path) -> Result<Vec<Purchase>, DataError> {
    let file = BufReader::new(File::open(path)?);
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
    {
        read_csv(flate2::read::MultiGzDecoder::new(file))
    } else {
        read_csv(file)
    }
}

/// Reads the retailer's CSV format from any reader, keeping the protocol's rows.
pub fn read_csv(reader: impl Read) -> Result<Vec<Purchase>, DataError> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let header = csv.headers()?.clone();
    let column = |name: &'static str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or(DataError::Column(name))
    };
    let invoice = column("InvoiceNo")?;
    let stock = column("StockCode")?;
    let quantity = column("Quantity")?;
    let date = column("InvoiceDate")?;
    let price = column("UnitPrice")?;
    let customer = column("CustomerID")?;
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    while csv.read_record(&mut record)? {
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let row = Row {
            invoice: field(invoice),
            stock_code: field(stock),
            quantity: field(quantity),
            date: field(date),
            unit_price: field(price),
            customer: field(customer),
        };
        let line = record.position().map_or(0, |p| p.line());
        if let Some(p) = row.keep(line)? {
            out.push(p);
        }
    }
    Ok(out)
}

/// The text fields of one row, before the filter.
pub struct Row<'a> {
    pub invoice: &'a str,
    pub stock_code: &'a str,
    pub quantity: &'a str,
    pub date: &'a str,
    pub unit_price: &'a str,
    pub customer: &'a str,
}

impl Row<'_> {
    /// The protocol's filter: `Ok(None)` for a row the protocol drops; an error only
    /// for a kept row whose date does not parse (a broken file, not a dropped row).
    pub fn keep(&self, line: u64) -> Result<Option<Purchase>, DataError> {
        if self.customer.is_empty()
            || self.invoice.starts_with(['C', 'c', 'A', 'a'])
            || !is_product(self.stock_code)
        {
            return Ok(None);
        }
        // A quantity or price that is not a number is not > 0: dropped like 0.
        let quantity = match self.quantity.parse::<i64>() {
            Ok(q) if q > 0 => u32::try_from(q).unwrap_or(u32::MAX),
            _ => return Ok(None),
        };
        match self.unit_price.parse::<f64>() {
            Ok(p) if p > 0.0 => {}
            _ => return Ok(None),
        }
        let at = parse_datetime(self.date).ok_or(DataError::Row {
            line,
            field: "InvoiceDate",
        })?;
        Ok(Some(Purchase {
            customer: self.customer.to_string(),
            item: self.stock_code.to_ascii_uppercase(),
            at,
            quantity,
        }))
    }
}

/// A StockCode that, upper-cased, matches `^[0-9]{5}`.
pub fn is_product(stock_code: &str) -> bool {
    stock_code.len() >= 5 && stock_code.as_bytes()[..5].iter().all(u8::is_ascii_digit)
}

/// `YYYY-MM-DD HH:MM:SS` (the log's InvoiceDate; `HH:MM` is accepted too) as unix
/// seconds.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let long = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let short = format_description!("[year]-[month]-[day] [hour]:[minute]");
    PrimitiveDateTime::parse(text, long)
        .or_else(|_| PrimitiveDateTime::parse(text, short))
        .ok()
        .map(|d| d.assume_utc().unix_timestamp())
}

/// `YYYY-MM-DD` as the unix seconds of its midnight (UTC).
pub fn parse_date(text: &str) -> Result<i64, DataError> {
    parse_datetime(&format!("{} 00:00:00", text.trim())).ok_or_else(|| DataError::Date(text.into()))
}

/// Rows with `at < cut` and rows with `at >= cut`.
pub fn split_at(rows: Vec<Purchase>, cut: i64) -> (Vec<Purchase>, Vec<Purchase>) {
    rows.into_iter().partition(|p| p.at < cut)
}
