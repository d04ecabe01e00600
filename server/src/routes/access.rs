//! Who may see and do what, in one place: every route module asks here rather
//! than importing another resource's checks. A resource's own visibility rule
//! that no other module needs (an activity's, an idea's) stays in its module.

use crate::{
    AppState,
    auth::CurrentUser,
    db::{
        self,
        problems::{ProblemRow, Viewer},
    },
    error::AppResult,
};
use moim_core::{ApiError, ConsortiumId, ProblemId, problem::*};

/// True when the person may run the consortium: its CMs and every admin.
pub async fn can_manage(state: &AppState, user: &CurrentUser, id: ConsortiumId) -> AppResult<bool> {
    Ok(user.is_admin() || db::consortia::is_manager(&state.db, id, user.id()).await?)
}

/// True for staff: an admin, or a CM of some consortium.
pub async fn is_staff(state: &AppState, user: &CurrentUser) -> AppResult<bool> {
    Ok(user.is_admin()
        || !db::users::managed_consortia(&state.db, user.id())
            .await?
            .is_empty())
}

/// A problem as one caller sees it.
pub struct SeenProblem {
    pub row: ProblemRow,
    pub details: DetailsAccess,
    pub access: ProblemAccess,
}

/// Who asks, as the problem queries filter by it.
pub fn viewer(user: Option<&CurrentUser>) -> Viewer {
    Viewer {
        user: user.map(CurrentUser::id),
        org: user.and_then(CurrentUser::confirmed_org),
        admin: user.is_some_and(CurrentUser::is_admin),
    }
}

/// Loads a problem and works out, field by field, what `user` may see and do.
/// Anything the caller may not know exists is 404.
pub async fn problem(
    state: &AppState,
    user: Option<&CurrentUser>,
    id: i64,
) -> AppResult<SeenProblem> {
    let row = db::problems::find(&state.db, ProblemId(id)).await?;
    let conf = row.confidentiality();
    let status = row.status();
    let org = user.and_then(CurrentUser::confirmed_org);
    let owner = org == Some(row.org());
    let manager = match user {
        Some(u) => can_manage(state, u, row.consortium()).await?,
        None => false,
    };
    if status == ProblemStatus::Draft && !owner {
        return Err(ApiError::NotFound.into());
    }
    let invitation = match user {
        Some(u) => db::problems::invitation(&state.db, ProblemId(id), u.id()).await?,
        None => None,
    };
    let invited = invitation.is_some();
    if conf == Confidentiality::Private && !owner && !manager && !invited {
        return Err(ApiError::NotFound.into());
    }
    let member = match org {
        Some(o) if conf == Confidentiality::Members => {
            db::consortia::is_member(&state.db, row.consortium(), o).await?
        }
        _ => false,
    };
    let details = if owner || manager || matches!(invitation, Some(Some(_))) || member {
        DetailsAccess::Visible
    } else if invited {
        DetailsAccess::NdaRequired
    } else {
        DetailsAccess::Hidden
    };
    let expert = user.is_some_and(|u| u.user.is_expert && u.confirmed_org().is_some());
    let access = ProblemAccess {
        owner,
        manager,
        invited,
        can_propose: expert
            && !owner
            && status == ProblemStatus::Open
            && details != DetailsAccess::NdaRequired,
        can_discuss: user.is_some()
            && details == DetailsAccess::Visible
            && status != ProblemStatus::Draft,
    };
    Ok(SeenProblem {
        row,
        details,
        access,
    })
}

/// 403 unless the caller is of the firm.
pub fn owner_only(seen: &SeenProblem) -> AppResult<()> {
    if seen.access.owner {
        Ok(())
    } else {
        Err(ApiError::Forbidden.into())
    }
}

/// 403 unless the caller is of the firm or runs its consortium.
pub fn owner_or_manager(seen: &SeenProblem) -> AppResult<()> {
    if seen.access.owner || seen.access.manager {
        Ok(())
    } else {
        Err(ApiError::Forbidden.into())
    }
}
