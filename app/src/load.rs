//! A page's data from the API, in one shape for every page: a GET of a path
//! (read from the page's own answers when the server sent them), made again
//! whenever what the path depends on changes, decoded as the page's type where
//! it is read. Under the hood every load is one kind of resource holding JSON,
//! so the reactive machinery is in the app once, not once per page and type.

use crate::api::{self, ClientError};
use leptos::prelude::*;
use moim_core::ApiError;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::{marker::PhantomData, sync::Arc};

type Path = Arc<dyn Fn() -> Option<String> + Send + Sync>;

/// Data a page reads: `Some` once loaded (or failed).
pub struct Load<T> {
    res: LocalResource<Result<Value, ClientError>>,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Load<T> {}

impl<T: DeserializeOwned> Load<T> {
    /// Loads `path()`; again whenever a signal it reads changes. No path (an id
    /// that is not one) reads as "not found".
    pub fn new(path: impl Fn() -> Option<String> + Send + Sync + 'static) -> Self {
        Load {
            res: resource(Arc::new(path)),
            _t: PhantomData,
        }
    }

    /// The data, once there; tracked like any signal (and by `<Suspense>`).
    /// Nothing once the page that made it is gone (a view still finishing an
    /// update then draws nothing rather than fail).
    pub fn get(self) -> Option<Result<T, ClientError>> {
        self.res.try_with(|r| r.as_ref().map(decode)).flatten()
    }

    /// Loads again.
    pub fn refetch(self) {
        self.res.refetch();
    }
}

fn decode<T: DeserializeOwned>(r: &Result<Value, ClientError>) -> Result<T, ClientError> {
    match r {
        Ok(v) => api::from_json(v),
        Err(e) => Err(e.clone()),
    }
}

#[inline(never)]
fn resource(path: Path) -> LocalResource<Result<Value, ClientError>> {
    LocalResource::new(move || {
        let path = path();
        async move {
            match path {
                Some(p) => api::get_value(&p).await,
                None => Err(ClientError::Api(ApiError::NotFound)),
            }
        }
    })
}
