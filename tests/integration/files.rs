//! The files' store: the same tests on the local folder and on S3-compatible storage (a
//! real S3 server on loopback: `moto_server`, which `scripts/test.sh` installs and starts,
//! passing its address in `ARE_TEST_S3_ENDPOINT`).

use app::files::service::{self, Upload};
use app::files::store::{FileStore, S3Config, StoreConfig, StoreError};
use app::files::Purpose;
use sqlx::PgPool;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

use crate::proctoring::JPEG;
use crate::support::World;

fn local() -> (FileStore, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("are-test-files-{}", Uuid::new_v4()));
    (
        FileStore::open(&StoreConfig::Local(dir.clone())).unwrap(),
        dir,
    )
}

/// A fresh bucket on the S3 server the test script started.
async fn s3() -> FileStore {
    let endpoint = std::env::var("ARE_TEST_S3_ENDPOINT").expect(
        "ARE_TEST_S3_ENDPOINT is not set: run the tests with scripts/test.sh, which starts an \
         S3-compatible server (moto_server) on loopback",
    );
    let bucket = format!("are-test-{}", Uuid::new_v4().simple());
    create_bucket(&endpoint, &bucket).await;
    FileStore::open(&StoreConfig::S3(S3Config {
        bucket,
        endpoint: Some(endpoint),
        region: "us-east-1".into(),
        access_key_id: "testing".into(),
        secret_access_key: "testing".into(),
    }))
    .unwrap()
}

/// `PUT /bucket` (moto does not check signatures; the store's own requests are signed).
async fn create_bucket(endpoint: &str, bucket: &str) {
    let address = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "PUT /{bucket} HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.unwrap();
    assert!(
        reply.starts_with("HTTP/1.1 200"),
        "creating the bucket: {reply}"
    );
}

async fn keeps_returns_and_deletes_bytes(store: &FileStore) {
    let key = format!(
        "{}/snapshots/{}.jpg",
        Uuid::new_v4(),
        Uuid::new_v4().simple()
    );
    assert!(matches!(store.get(&key).await, Err(StoreError::Missing)));
    store.put(&key, JPEG.to_vec()).await.unwrap();
    assert_eq!(store.get(&key).await.unwrap(), JPEG);
    let big: Vec<u8> = (0..200_000u32).map(|n| (n % 251) as u8).collect();
    store.put(&key, big.clone()).await.unwrap();
    assert_eq!(
        store.get(&key).await.unwrap(),
        big,
        "a second put replaces the first"
    );
    store.delete(&key).await.unwrap();
    assert!(matches!(store.get(&key).await, Err(StoreError::Missing)));
    store.delete(&key).await.unwrap();
}

#[tokio::test]
async fn the_local_store_keeps_returns_and_deletes_bytes() {
    let (store, dir) = local();
    keeps_returns_and_deletes_bytes(&store).await;
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn the_s3_store_keeps_returns_and_deletes_bytes() {
    keeps_returns_and_deletes_bytes(&s3().await).await;
}

fn snapshot(org_id: Uuid, session: Uuid) -> Upload {
    Upload {
        org_id,
        purpose: Purpose::WebcamSnapshot,
        test_session_id: Some(session),
        candidate_id: None,
        uploaded_by: None,
        retain_until: None,
        bytes: JPEG.to_vec(),
    }
}

/// A stored file: its row, its bytes under its key, and after the row goes, no bytes.
async fn stores_and_purges(pool: PgPool, store: FileStore) {
    let world = World::with_files(pool.clone(), store.clone(), std::env::temp_dir()).await;
    let org = world.acme().await.org;
    let test = world.published_assessment(org, 30).await;
    let token = world
        .assessment_invite(org, test.assessment, "7 days")
        .await;
    let started = world
        .client()
        .call(app::candidate_test::StartTest {
            token,
            consent: Some("yes".into()),
        })
        .await;
    assert!(started.status.is_redirection() || started.status.is_success());
    let session: Uuid = sqlx::query_scalar("SELECT id FROM test_sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    let pending = service::put(&pool, &store, snapshot(org, session))
        .await
        .unwrap();
    let mut tx = pool.begin().await.unwrap();
    let stored = service::record(&mut tx, pending).await.unwrap();
    tx.commit().await.unwrap();
    let row = app::files::data::find(&pool, org, stored.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.content_type, "image/jpeg");
    assert_eq!(service::read(&store, &row).await.unwrap(), JPEG);
    // Nothing is purged while its row stands.
    assert_eq!(
        app::files::purge::purge_all(&pool, &store).await.unwrap(),
        0
    );
    assert_eq!(store.get(&row.storage_key).await.unwrap(), JPEG);

    // A file whose row never committed is an orphan: purged once its grace is over.
    let pending = service::put(&pool, &store, snapshot(org, session))
        .await
        .unwrap();
    let mut tx = pool.begin().await.unwrap();
    let orphan = service::record(&mut tx, pending).await.unwrap();
    tx.rollback().await.unwrap();
    let orphan_key: String = sqlx::query_scalar("SELECT storage_key FROM file_purges")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(orphan_key.contains(&orphan.id.simple().to_string()));
    assert_eq!(
        app::files::purge::purge_all(&pool, &store).await.unwrap(),
        0,
        "within its grace"
    );
    sqlx::query("UPDATE file_purges SET queued_at = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        app::files::purge::purge_all(&pool, &store).await.unwrap(),
        1
    );
    assert!(matches!(
        store.get(&orphan_key).await,
        Err(StoreError::Missing)
    ));

    sqlx::query("DELETE FROM files WHERE id = $1")
        .bind(stored.id)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        app::files::purge::purge_all(&pool, &store).await.unwrap(),
        1
    );
    assert!(matches!(
        store.get(&row.storage_key).await,
        Err(StoreError::Missing)
    ));
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_file_in_the_local_store_is_stored_and_purged(pool: PgPool) {
    let (store, dir) = local();
    stores_and_purges(pool, store).await;
    std::fs::remove_dir_all(dir).unwrap();
}

#[sqlx::test(migrator = "are::MIGRATOR")]
async fn a_file_in_the_s3_store_is_stored_and_purged(pool: PgPool) {
    stores_and_purges(pool, s3().await).await;
}

#[test]
fn a_file_is_checked_from_its_bytes() {
    assert!(service::check(Purpose::WebcamSnapshot, JPEG).is_ok());
    assert!(service::check(Purpose::WebcamSnapshot, b"%PDF-1.7").is_err());
    assert!(service::check(Purpose::WebcamSnapshot, b"").is_err());
    let message = service::check(Purpose::WebcamSnapshot, &vec![0xFF; 1 << 20])
        .unwrap_err()
        .to_string();
    assert!(message.contains("at most 150 KB"), "{message}");
}
