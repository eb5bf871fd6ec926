//! Deleting the bytes of files whose rows are gone. The rows' deletion queued the keys
//! (`file_purges`, by trigger, in the deleting transaction); this drains the queue in
//! bounded batches, so a large deletion never holds one long transaction and a restart
//! resumes where it stopped.

use anyhow::Context;
use futures::stream::{self, StreamExt};
use sqlx::PgPool;

use super::data;
use super::store::FileStore;

/// Keys taken per batch.
pub const BATCH: i64 = 200;
/// Deletions in flight at once.
const CONCURRENCY: usize = 8;

/// Deletes the bytes of up to [`BATCH`] queued keys and takes them off the queue; how
/// many. A key the store could not delete stays queued for the next run.
pub async fn purge_batch(pool: &PgPool, store: &FileStore) -> anyhow::Result<usize> {
    let keys = data::purge_batch(pool, BATCH)
        .await
        .context("could not read the purge queue")?;
    let results: Vec<(String, bool)> = stream::iter(keys)
        .map(|key| async move {
            let done = match store.delete(&key).await {
                Ok(()) => true,
                Err(error) => {
                    tracing::warn!(%key, %error, "could not delete a file's bytes; will try again");
                    false
                }
            };
            (key, done)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let done: Vec<String> = results
        .into_iter()
        .filter_map(|(key, done)| done.then_some(key))
        .collect();
    data::purged(pool, &done)
        .await
        .context("could not update the purge queue")?;
    Ok(done.len())
}

/// Drains the queue: batch after batch until it is empty or a batch makes no progress.
pub async fn purge_all(pool: &PgPool, store: &FileStore) -> anyhow::Result<usize> {
    let mut total = 0;
    loop {
        let done = purge_batch(pool, store).await?;
        total += done;
        if done == 0 {
            return Ok(total);
        }
    }
}
