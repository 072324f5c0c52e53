//! The `vocabulary!` macro: closed lists with database codes and Polish labels.

/// Declares a closed vocabulary: database code and Polish label per variant.
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }

        /// A stored code read back: an unknown code is an error naming
        /// it, never a default.
        impl TryFrom<String> for $name {
            type Error = $crate::domain::UnknownCode;

            fn try_from(code: String) -> Result<$name, Self::Error> {
                $name::from_code(&code).ok_or($crate::domain::UnknownCode {
                    vocabulary: stringify!($name),
                    code,
                })
            }
        }
    };
}
