//! Surveys: writing one, answering it, closing it.

use super::{ClientError, send};
use gloo_net::http::Method;
use moim_core::{
    SurveyId, paths,
    survey::{SaveAnswer, SurveyAnswer, SurveyDraft, SurveyView},
};

pub async fn create(d: &SurveyDraft) -> Result<SurveyView, ClientError> {
    send(Method::POST, paths::SURVEYS, d).await
}

pub async fn replace(id: SurveyId, d: &SurveyDraft) -> Result<SurveyView, ClientError> {
    send(Method::PUT, &paths::survey(id), d).await
}

pub async fn close(id: SurveyId) -> Result<SurveyView, ClientError> {
    send(Method::POST, &paths::survey_close(id), &()).await
}

pub async fn save_answer(id: SurveyId, a: &SaveAnswer) -> Result<SurveyAnswer, ClientError> {
    send(Method::PUT, &paths::survey_answer(id), a).await
}
