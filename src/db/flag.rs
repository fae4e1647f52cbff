//! Yes-or-no columns. SQLite keeps them as 0 and 1 and PostgreSQL as
//! `boolean`; through sqlx's engine-neutral rows, `bool` reads only the
//! latter, so rows read flags as [`Flag`].

use sqlx::any::{Any, AnyTypeInfo};
use sqlx::database::HasValueRef;
use sqlx::error::BoxDynError;
use sqlx::{Decode, Type};

/// A yes-or-no value read from either engine. Struct fields take it with
/// `#[sqlx(try_from = "Flag")]` and stay `bool`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <bool as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <bool as Type<Any>>::compatible(ty) || <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: <Any as HasValueRef<'r>>::ValueRef) -> Result<Self, BoxDynError> {
        match <i64 as Decode<Any>>::decode(value.clone()) {
            Ok(n) => Ok(Flag(n != 0)),
            Err(_) => <bool as Decode<Any>>::decode(value).map(Flag),
        }
    }
}
