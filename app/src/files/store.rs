//! The object store the bytes live in: a local folder by default (`.are/files`), or an
//! S3-compatible bucket when `ARE_S3_BUCKET` is set, so several app servers share the
//! same files. Both go through the `object_store` crate, and the same tests run on both.

use std::path::PathBuf;
use std::sync::Arc;

use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

/// Where files are kept, as the server's settings say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreConfig {
    /// A folder on this machine (created when missing).
    Local(PathBuf),
    S3(S3Config),
}

#[derive(Clone, PartialEq, Eq)]
pub struct S3Config {
    pub bucket: String,
    /// For S3-compatible servers (`http://127.0.0.1:9000`); none for AWS itself.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl std::fmt::Debug for S3Config {
    // The secret never reaches a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// The bytes of stored files. Cheap to clone; one per process, in the request context.
#[derive(Clone, Debug)]
pub struct FileStore {
    inner: Arc<dyn ObjectStore>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no file under that key")]
    Missing,
    #[error(transparent)]
    Store(#[from] object_store::Error),
    #[error("could not create the files folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl FileStore {
    pub fn open(config: &StoreConfig) -> Result<Self, StoreError> {
        let inner: Arc<dyn ObjectStore> = match config {
            StoreConfig::Local(folder) => {
                std::fs::create_dir_all(folder).map_err(|source| StoreError::Folder {
                    path: folder.clone(),
                    source,
                })?;
                Arc::new(
                    object_store::local::LocalFileSystem::new_with_prefix(folder)?
                        .with_automatic_cleanup(true),
                )
            }
            StoreConfig::S3(s3) => {
                let mut builder = object_store::aws::AmazonS3Builder::new()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region)
                    .with_access_key_id(&s3.access_key_id)
                    .with_secret_access_key(&s3.secret_access_key);
                if let Some(endpoint) = &s3.endpoint {
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.starts_with("http://"));
                }
                Arc::new(builder.build()?)
            }
        };
        Ok(Self { inner })
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), StoreError> {
        self.inner
            .put(&Path::from(key), PutPayload::from(bytes))
            .await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>, StoreError> {
        match self.inner.get(&Path::from(key)).await {
            Ok(found) => Ok(found.bytes().await?.to_vec()),
            Err(object_store::Error::NotFound { .. }) => Err(StoreError::Missing),
            Err(error) => Err(error.into()),
        }
    }

    /// Deletes the bytes under `key`; deleting what is already gone succeeds.
    pub async fn delete(&self, key: &str) -> Result<(), StoreError> {
        match self.inner.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }
}
