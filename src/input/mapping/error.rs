//! What can be wrong when a profile section meets a file's header, and when
//! it reads one raw field. Each displays as the reader's message always has,
//! so the error texts users and fixtures see stay the same.

use rust_decimal::Decimal;

/// The profile key a [`MappingError::UnknownField`] was found under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Columns,
    Extract,
    Codes,
    Rules,
}

/// A profile section that cannot read this file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MappingError {
    /// A source column the profile names that the header lacks.
    MissingColumn { column: String },
    /// A key that sets a field this file does not have.
    UnknownField { key: Key, field: String },
    /// A rule's value names a group its pattern lacks (caught at load for
    /// a loaded profile; this is for one built in code).
    MissingGroup { field: String, group: String },
}

impl std::fmt::Display for MappingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MappingError::MissingColumn { column } => {
                write!(f, "the profile's column {column:?} is not in the header")
            }
            MappingError::UnknownField { key, field } => {
                let key = match key {
                    Key::Columns => {
                        return write!(
                            f,
                            "[columns] names {field:?}, which is not a field of this file"
                        )
                    }
                    Key::Extract => "[[extract]]",
                    Key::Codes => "[[codes]]",
                    Key::Rules => "[[rules]]",
                };
                write!(f, "{key} sets {field:?}, which is not a field of this file")
            }
            MappingError::MissingGroup { field, group } => write!(
                f,
                "[[rules]] sets {field:?} from group {group:?}, which its pattern does not have"
            ),
        }
    }
}

impl std::error::Error for MappingError {}

/// A problem with one raw field as the profile reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldProblem {
    /// Not money; `why` says more where the shape is right but the value is
    /// not (too many places, too large).
    Money { found: String, why: Option<String> },
    /// A signed amount column left empty.
    EmptyAmount,
    /// Money in both of the in/out (or debit/credit) columns.
    BothColumns { first: Decimal, second: Decimal },
    /// Money in neither of them.
    NoMoney,
    /// A code its table neither lists nor defaults.
    UnknownCode { code: String, field: &'static str },
    /// A date in none of the profile's formats (nor ISO).
    Date { found: String, formats: Vec<String> },
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldProblem::Money {
                found,
                why: Some(why),
            } => write!(f, "{found:?}: {why}"),
            FieldProblem::Money { found, why: None } => write!(
                f,
                "expected an amount like £1,234.50, -12.00 or (12.00), found {found:?}"
            ),
            FieldProblem::EmptyAmount => write!(f, "expected an amount, found an empty field"),
            FieldProblem::BothColumns { first, second } => write!(
                f,
                "both columns hold money ({first} and {second}); expected one"
            ),
            FieldProblem::NoMoney => write!(
                f,
                "expected money in one of the amount columns, found none"
            ),
            FieldProblem::UnknownCode { code, field } => write!(
                f,
                "code {code:?} is not in the profile's code table for {field} (add it to [[codes]] map)"
            ),
            FieldProblem::Date { found, formats } => write!(
                f,
                "expected a date in the profile's format{} {}, found {found:?} (or it is not a calendar date)",
                if formats.len() == 1 { "" } else { "s" },
                formats.join(" or ")
            ),
        }
    }
}

impl std::error::Error for FieldProblem {}

/// A problem with one raw field: (raw column index, what is wrong).
pub type FieldError = (usize, FieldProblem);

/// Text that is not money at all, as [`super::clean_money`] finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotMoney(pub String);

impl std::fmt::Display for NotMoney {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "expected an amount, found {:?}", self.0)
    }
}

impl std::error::Error for NotMoney {}
