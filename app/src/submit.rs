//! A call to the server from a form or a button, in one shape for every page: a
//! Leptos `Action` that knows whether it is under way (a second tap meanwhile is
//! ignored, so a double tap is one call), keeps the last failure for the page to
//! show (`<FormError error=submit.error()/>`), and puts a 422's field errors on
//! the form's fields. What happens on success is part of the job itself.
//!
//! Every job is the same type (a boxed future), so the action machinery is in the
//! app once, whatever the page sends.

use crate::{api::ClientError, components::form::FormState};
use leptos::prelude::*;
use std::{cell::RefCell, future::Future, pin::Pin, rc::Rc};

/// A call and what follows its success, as a form component gets it from the
/// page that shows it.
pub type Job = Pin<Box<dyn Future<Output = Result<(), ClientError>>>>;

/// `fut` as a [`Job`].
pub fn job(fut: impl Future<Output = Result<(), ClientError>> + 'static) -> Job {
    Box::pin(fut)
}

/// The job handed to the action (taken out once it runs).
#[derive(Clone)]
struct Input(Rc<RefCell<Option<Job>>>);

/// A form's or a button's call to the server.
#[derive(Clone, Copy)]
pub struct Submit {
    action: Action<Input, Result<(), ClientError>>,
    form: Option<FormState>,
}

impl Submit {
    /// A call whose failure is shown as one message.
    pub fn new() -> Submit {
        Submit {
            action: action(),
            form: None,
        }
    }

    /// A form's call: a 422 also marks the fields it names.
    pub fn for_form(form: FormState) -> Submit {
        Submit {
            action: action(),
            form: Some(form),
        }
    }

    /// Runs `job` unless a call is already under way. Its failure is kept (and,
    /// for a form, put on its fields); a new call clears the last one's.
    pub fn run(self, job: impl Future<Output = Result<(), ClientError>> + 'static) {
        self.start(Box::pin(job));
    }

    #[inline(never)]
    fn start(self, job: Job) {
        // A page being left may still hand over a call: then it is dropped.
        if self.action.pending().try_get_untracked().unwrap_or(true) {
            return;
        }
        let form = self.form;
        let job: Job = Box::pin(async move {
            let result = job.await;
            if let (Err(e), Some(form)) = (&result, form) {
                form.server_errors(e);
            }
            result
        });
        self.action
            .dispatch_local(Input(Rc::new(RefCell::new(Some(job)))));
    }

    /// Whether the call is under way (for `disabled` and `aria-busy`).
    pub fn pending(self) -> Signal<bool> {
        let pending = self.action.pending();
        Signal::derive(move || pending.try_get().unwrap_or(false))
    }

    /// The last call's failure, until the next call.
    pub fn error(self) -> Signal<Option<ClientError>> {
        let (value, pending) = (self.action.value(), self.action.pending());
        Signal::derive(move || {
            if pending.try_get().unwrap_or(true) {
                return None;
            }
            value
                .try_with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
                .flatten()
        })
    }
}

impl Default for Submit {
    fn default() -> Self {
        Submit::new()
    }
}

#[inline(never)]
fn action() -> Action<Input, Result<(), ClientError>> {
    Action::new_local(|input: &Input| {
        let job = input.0.borrow_mut().take();
        async move {
            match job {
                Some(job) => job.await,
                None => Ok(()),
            }
        }
    })
}
