//! The sweep of `data_dir/attachments/`: files that no row names and that
//! are older than `GRACE`, what a stop between writing a report's files
//! and committing its row left.

use std::time::Duration;

use super::{Context, Error};
use crate::files;
use crate::store::cases;

/// How long a file no row names is left alone: it may be a file whose
/// report is being filed this moment, on this instance or another.
pub const GRACE: Duration = Duration::from_secs(3600);

/// Removes the files no row names, older than `GRACE` (by the file
/// system's clock, which dates the files); how many.
pub async fn run_once(ctx: &Context, _now: jiff::Timestamp) -> Result<usize, Error> {
    let dir = ctx.settings().data_dir.join(files::ATTACHMENTS);
    let before = files::system_time_before(GRACE);
    let listed = dir.clone();
    let old = tokio::task::spawn_blocking(move || files::old_files(&listed, before)).await??;
    if old.is_empty() {
        return Ok(0);
    }
    // Named after listing: a row committed meanwhile is seen.
    let referenced = cases::stored_names(ctx.db()).await?;
    let swept =
        tokio::task::spawn_blocking(move || files::remove_unreferenced(&dir, &old, &referenced))
            .await??;
    if swept.files > 0 {
        tracing::warn!(
            files = swept.files,
            bytes = swept.bytes,
            "files no case names removed from the attachments folder"
        );
    }
    Ok(swept.files)
}
