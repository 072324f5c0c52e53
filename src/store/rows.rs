//! What a column holds, read into the types the layers above use.
//!
//! Rows are `#[derive(sqlx::FromRow)]` structs. A vocabulary's type is
//! read, and bound, as its code once listed in `stored_codes!` below; an
//! unknown code is an error naming it (`domain::UnknownCode`), never a
//! default. A date or time column is read with
//! `#[sqlx(try_from = "Stored")]` into `jiff::civil::Date` or
//! `jiff::Timestamp`, or `#[sqlx(try_from = "MaybeStored")]` into their
//! `Option`s. Dates are stored as `YYYY-MM-DD`, times as UTC ISO-8601 to
//! the second (`clock::stamp`).

/// A stored text to be parsed by the field's type.
#[derive(sqlx::Type, Debug, Clone)]
#[sqlx(transparent)]
pub struct Stored(pub String);

/// A nullable stored text to be parsed by the field's type.
#[derive(sqlx::Type, Debug, Clone)]
#[sqlx(transparent)]
pub struct MaybeStored(pub Option<String>);

/// A flag stored as an integer (0 or 1, as SQLite keeps booleans and the
/// schema does on both engines), read with `#[sqlx(try_from = "Flag")]`
/// into a `bool`.
#[derive(sqlx::Type, Debug, Clone, Copy)]
#[sqlx(transparent)]
pub struct Flag(pub i64);

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0 != 0
    }
}

/// A stored value its column's type cannot read.
#[derive(Debug, thiserror::Error)]
#[error("nieprawidłowa wartość {value:?} ({kind})")]
pub struct BadValue {
    pub kind: &'static str,
    pub value: String,
}

fn date(text: String) -> Result<jiff::civil::Date, BadValue> {
    text.parse().map_err(|_| unreadable("data", text))
}

fn time(text: String) -> Result<jiff::Timestamp, BadValue> {
    text.parse().map_err(|_| unreadable("czas", text))
}

/// The error of a stored text its type cannot read, logged here: sqlx's
/// `try_from` rows keep only "unprintable error" of it, so without this
/// line the log would not say which value was wrong.
fn unreadable(kind: &'static str, value: String) -> BadValue {
    let bad = BadValue { kind, value };
    tracing::error!(cause = %bad, "stored value unreadable");
    bad
}

/// A time as stored (`clock::stamp`) read back where it comes as text,
/// not as a row's column; text it cannot read is an error.
pub fn read_time(text: &str) -> Result<jiff::Timestamp, super::StoreError> {
    time(text.to_owned()).map_err(|e| super::StoreError::Database(sqlx::Error::Decode(Box::new(e))))
}

/// A civil date as stored, read back where it comes as text.
pub fn read_date(text: &str) -> Result<jiff::civil::Date, super::StoreError> {
    date(text.to_owned()).map_err(|e| super::StoreError::Database(sqlx::Error::Decode(Box::new(e))))
}

impl TryFrom<Stored> for jiff::civil::Date {
    type Error = BadValue;
    fn try_from(s: Stored) -> Result<Self, BadValue> {
        date(s.0)
    }
}

impl TryFrom<Stored> for jiff::Timestamp {
    type Error = BadValue;
    fn try_from(s: Stored) -> Result<Self, BadValue> {
        time(s.0)
    }
}

impl TryFrom<MaybeStored> for Option<jiff::civil::Date> {
    type Error = BadValue;
    fn try_from(s: MaybeStored) -> Result<Self, BadValue> {
        s.0.map(date).transpose()
    }
}

impl TryFrom<MaybeStored> for Option<jiff::Timestamp> {
    type Error = BadValue;
    fn try_from(s: MaybeStored) -> Result<Self, BadValue> {
        s.0.map(time).transpose()
    }
}

/// Vocabularies stored as their codes: read with the code checked, bound
/// as the code.
macro_rules! stored_codes {
    ($($ty:path),+ $(,)?) => {$(
        impl sqlx::Type<sqlx::Any> for $ty {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <String as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <String as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Any> for $ty {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let code = <String as sqlx::Decode<sqlx::Any>>::decode(value)?;
                Ok(<$ty>::try_from(code)?)
            }
        }

        impl<'q> sqlx::Encode<'q, sqlx::Any> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Any>>::encode(self.code(), buf)
            }
        }
    )+};
}

stored_codes!(
    crate::domain::access::Role,
    crate::domain::activity::ActivityKind,
    crate::domain::activity::ActivityStatus,
    crate::domain::activity::Audience,
    crate::domain::activity::Group,
    crate::domain::activity::Gender,
    crate::domain::activity::SpeakerRole,
    crate::domain::activity::DocumentKind,
    crate::domain::teryt::UnitKind,
    crate::domain::cases::Register,
    crate::domain::cases::Status,
    crate::domain::cases::Outcome,
    crate::domain::reports::Contact,
    crate::domain::attachments::FileType,
    crate::domain::letters::SentVia,
    crate::domain::advisory::SessionForm,
    crate::domain::registration::Status,
    crate::domain::records::LegalForm,
    crate::domain::records::AffiliationRole,
    crate::domain::cases::FileSource,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(sqlx::FromRow)]
    struct Probe {
        #[sqlx(try_from = "Stored")]
        day: jiff::civil::Date,
        #[sqlx(try_from = "MaybeStored")]
        at: Option<jiff::Timestamp>,
        role: crate::domain::access::Role,
    }

    #[tokio::test]
    async fn rows_read_dates_times_and_codes_and_refuse_unknown_codes() {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect("sqlite::memory:").await.unwrap();
        let row: Probe = sqlx::query_as(
            "SELECT '2026-11-28' AS day, '2026-11-28T11:00:00Z' AS at, 'admin' AS role",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(row.day, jiff::civil::date(2026, 11, 28));
        assert_eq!(
            row.at.map(|t| t.to_string()).as_deref(),
            Some("2026-11-28T11:00:00Z")
        );
        assert_eq!(row.role, crate::domain::access::Role::Admin);
        let bad =
            sqlx::query_as::<_, Probe>("SELECT '2026-11-28' AS day, NULL AS at, 'boss' AS role")
                .fetch_one(&pool)
                .await;
        let message = format!("{:?}", bad.err().unwrap());
        assert!(
            message.contains("boss") && message.contains("Role"),
            "{message}"
        );
    }
}
