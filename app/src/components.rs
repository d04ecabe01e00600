//! Reusable pieces: they take props and never fetch.

pub mod audit;
pub mod cards;
pub mod consortium_form;
pub mod firm_filters;
pub mod form;
pub mod later;
pub mod layout;
pub mod pager;
pub mod questions;
