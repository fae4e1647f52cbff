use crate::any::value::AnyValueKind;
use crate::any::AnyTypeInfoKind;
use crate::any::Any;
use crate::arguments::Arguments;
use crate::encode::Encode;
use crate::types::Type;

pub struct AnyArguments<'q> {
    #[doc(hidden)]
    pub values: AnyArgumentBuffer<'q>,
}

impl<'q> Arguments<'q> for AnyArguments<'q> {
    type Database = Any;

    fn reserve(&mut self, additional: usize, _size: usize) {
        self.values.0.reserve(additional);
    }

    fn add<T>(&mut self, value: T)
    where
        T: 'q + Send + Encode<'q, Self::Database> + Type<Self::Database>,
    {
        let _ = value.encode(&mut self.values);
    }
}

pub struct AnyArgumentBuffer<'q>(
    #[doc(hidden)] pub Vec<AnyValueKind<'q>>,
    /// The type each NULL stands for, by its position among the values, so
    /// that a driver can declare it (Folio's patch: see vendor/README.md).
    #[doc(hidden)]
    pub Vec<(usize, AnyTypeInfoKind)>,
);

impl<'q> Default for AnyArguments<'q> {
    fn default() -> Self {
        AnyArguments {
            values: AnyArgumentBuffer(vec![], vec![]),
        }
    }
}

impl<'q> AnyArguments<'q> {
    #[doc(hidden)]
    pub fn convert_to<'a, A: Arguments<'a>>(&'a self) -> A
    where
        'q: 'a,
        Option<i32>: Type<A::Database> + Encode<'a, A::Database>,
        Option<bool>: Type<A::Database> + Encode<'a, A::Database>,
        Option<i16>: Type<A::Database> + Encode<'a, A::Database>,
        Option<i64>: Type<A::Database> + Encode<'a, A::Database>,
        Option<f32>: Type<A::Database> + Encode<'a, A::Database>,
        Option<f64>: Type<A::Database> + Encode<'a, A::Database>,
        Option<&'a str>: Type<A::Database> + Encode<'a, A::Database>,
        Option<&'a [u8]>: Type<A::Database> + Encode<'a, A::Database>,
        bool: Type<A::Database> + Encode<'a, A::Database>,
        i16: Type<A::Database> + Encode<'a, A::Database>,
        i32: Type<A::Database> + Encode<'a, A::Database>,
        i64: Type<A::Database> + Encode<'a, A::Database>,
        f32: Type<A::Database> + Encode<'a, A::Database>,
        f64: Type<A::Database> + Encode<'a, A::Database>,
        &'a str: Type<A::Database> + Encode<'a, A::Database>,
        &'a [u8]: Type<A::Database> + Encode<'a, A::Database>,
    {
        let mut out = A::default();

        for (index, arg) in self.values.0.iter().enumerate() {
            match arg {
                AnyValueKind::Null => {
                    let kind = self
                        .values
                        .1
                        .iter()
                        .find(|(at, _)| *at == index)
                        .map(|(_, kind)| *kind);
                    match kind {
                        Some(AnyTypeInfoKind::Bool) => out.add(Option::<bool>::None),
                        Some(AnyTypeInfoKind::SmallInt) => out.add(Option::<i16>::None),
                        Some(AnyTypeInfoKind::BigInt) => out.add(Option::<i64>::None),
                        Some(AnyTypeInfoKind::Real) => out.add(Option::<f32>::None),
                        Some(AnyTypeInfoKind::Double) => out.add(Option::<f64>::None),
                        Some(AnyTypeInfoKind::Text) => out.add(Option::<&str>::None),
                        Some(AnyTypeInfoKind::Blob) => out.add(Option::<&[u8]>::None),
                        _ => out.add(Option::<i32>::None),
                    }
                }
                AnyValueKind::Bool(b) => out.add(b),
                AnyValueKind::SmallInt(i) => out.add(i),
                AnyValueKind::Integer(i) => out.add(i),
                AnyValueKind::BigInt(i) => out.add(i),
                AnyValueKind::Real(r) => out.add(r),
                AnyValueKind::Double(d) => out.add(d),
                AnyValueKind::Text(t) => out.add(&**t),
                AnyValueKind::Blob(b) => out.add(&**b),
            }
        }

        out
    }
}
