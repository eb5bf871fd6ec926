//! Session records kept in memory for a few seconds, in front of the PostgreSQL store
//! (`tower_sessions::CachingSessionStore`), so a page view does not load and decode its
//! session row each time.
//!
//! Only a record that says nothing but who signed in and when (`SessionAuth`) is kept:
//! whether the session still exists is checked in the database on every request, in the
//! same query that loads the user (`access::data::session_user`), so a sign-out or a
//! deactivation handled by any server process takes effect at once. What a cached copy
//! can be behind on is the idle clock, by at most `TTL`, far below its one-minute step.
//!
//! A record holding anything else (a sign-in waiting for its second step with its tries
//! left, the extra password tries of an emailed link) is read from the store each time:
//! another process may have changed it, and a copy here would undo that change (five
//! tries at the second step would become five per process). So nothing that a signed-in
//! session's requests change is kept in its record: recovery codes made just now wait in
//! the database for the two-step page (`app::auth::totp::keep_fresh_codes`), since a
//! copy here, or a stale copy saved back with a new idle clock, would lose them unseen.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Result, SessionStore};

use app::access::session::AUTH_KEY;

/// How long a record is served from memory before it is read from the store again.
pub const TTL: Duration = Duration::from_secs(5);
/// At most this many records are kept; beyond it, stale ones go first, then any.
pub const CAPACITY: usize = 10_000;

/// Cheap to clone: clones share the records.
#[derive(Debug, Clone)]
pub struct SessionCache {
    ttl: Duration,
    capacity: usize,
    records: Arc<Mutex<HashMap<Id, (Record, Instant)>>>,
}

impl Default for SessionCache {
    fn default() -> Self {
        Self::new(TTL, CAPACITY)
    }
}

impl SessionCache {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl,
            capacity,
            records: Arc::default(),
        }
    }

    fn put(&self, record: &Record, now: Instant) {
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        if record.data.keys().any(|key| key != AUTH_KEY) {
            records.remove(&record.id);
            return;
        }
        if records.len() >= self.capacity && !records.contains_key(&record.id) {
            let ttl = self.ttl;
            records.retain(|_, (_, cached_at)| now.duration_since(*cached_at) < ttl);
            if records.len() >= self.capacity {
                records.clear();
            }
        }
        records.insert(record.id, (record.clone(), now));
    }

    fn get(&self, id: &Id, now: Instant, wall_clock: OffsetDateTime) -> Option<Record> {
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        match records.get(id) {
            Some((record, cached_at))
                if now.duration_since(*cached_at) < self.ttl && record.expiry_date > wall_clock =>
            {
                Some(record.clone())
            }
            Some(_) => {
                records.remove(id);
                None
            }
            None => None,
        }
    }

    fn remove(&self, id: &Id) {
        self.records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id);
    }
}

#[async_trait::async_trait]
impl SessionStore for SessionCache {
    async fn create(&self, record: &mut Record) -> Result<()> {
        self.put(record, Instant::now());
        Ok(())
    }

    async fn save(&self, record: &Record) -> Result<()> {
        self.put(record, Instant::now());
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        Ok(self.get(id, Instant::now(), OffsetDateTime::now_utc()))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.remove(id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_sessions::cookie::time::Duration as TimeDuration;

    fn record(id: i128, expires_in_minutes: i64) -> Record {
        Record {
            id: Id(id),
            data: Default::default(),
            expiry_date: OffsetDateTime::now_utc() + TimeDuration::minutes(expires_in_minutes),
        }
    }

    #[test]
    fn records_are_served_until_the_ttl_or_their_expiry() {
        let cache = SessionCache::new(Duration::from_secs(5), 10);
        let start = Instant::now();
        let wall = OffsetDateTime::now_utc();
        cache.put(&record(1, 30), start);
        cache.put(&record(2, -1), start);
        assert!(cache
            .get(&Id(1), start + Duration::from_secs(4), wall)
            .is_some());
        assert!(cache
            .get(&Id(1), start + Duration::from_secs(5), wall)
            .is_none());
        assert!(
            cache.get(&Id(2), start, wall).is_none(),
            "an expired session is not served"
        );
        assert!(cache.get(&Id(3), start, wall).is_none());
    }

    #[test]
    fn only_a_record_of_who_signed_in_is_kept() {
        let cache = SessionCache::new(Duration::from_secs(5), 10);
        let now = Instant::now();
        let wall = OffsetDateTime::now_utc();
        let mut signed_in = record(1, 30);
        signed_in
            .data
            .insert(AUTH_KEY.into(), serde_json::json!({"user_id": "…"}));
        cache.put(&signed_in, now);
        assert!(cache.get(&Id(1), now, wall).is_some());

        // The same session gets something another process may change too: the copy goes.
        let mut waiting = signed_in.clone();
        waiting.data.insert(
            "second_step".into(),
            serde_json::json!({"attempts_left": 5}),
        );
        cache.put(&waiting, now);
        assert!(cache.get(&Id(1), now, wall).is_none());
    }

    #[test]
    fn deleting_forgets_the_record_at_once() {
        let cache = SessionCache::new(Duration::from_secs(5), 10);
        let now = Instant::now();
        cache.put(&record(1, 30), now);
        cache.remove(&Id(1));
        assert!(cache.get(&Id(1), now, OffsetDateTime::now_utc()).is_none());
    }

    #[test]
    fn a_full_cache_drops_stale_records_first_and_never_grows_past_its_capacity() {
        let cache = SessionCache::new(Duration::from_secs(5), 3);
        let start = Instant::now();
        let wall = OffsetDateTime::now_utc();
        cache.put(&record(1, 30), start);
        cache.put(&record(2, 30), start + Duration::from_secs(3));
        cache.put(&record(3, 30), start + Duration::from_secs(3));
        let later = start + Duration::from_secs(6);
        cache.put(&record(4, 30), later);
        assert!(cache.get(&Id(2), later, wall).is_some());
        assert!(cache.get(&Id(4), later, wall).is_some());
        cache.put(&record(5, 30), later);
        cache.put(&record(6, 30), later);
        assert!(cache.records.lock().unwrap().len() <= 3);
        assert!(cache.get(&Id(6), later, wall).is_some());
    }
}
