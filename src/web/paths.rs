//! Every public path: defined in `crate::paths`, below the layers that
//! link to them.

pub use crate::paths::*;
