//! Anonymous feedback after attending, through the registration's link.

use super::*;

#[derive(Template)]
#[template(path = "public/feedback.html")]
struct FeedbackPage {
    layout: Layout,
    title: String,
    activity_url: String,
    open: bool,
    form: Form,
}

pub(super) fn feedback_fields(f: &crate::domain::feedback::FeedbackForm) -> Vec<Field> {
    let scale = || {
        [
            ("", "— wybierz —"),
            ("5", "5 — bardzo dobrze"),
            ("4", "4"),
            ("3", "3"),
            ("2", "2"),
            ("1", "1 — bardzo źle"),
        ]
    };
    vec![
        Field::select("usefulness", "Przydatność", f.usefulness.clone(), scale()),
        Field::select("trainer", "Prowadzenie", f.trainer.clone(), scale()),
        Field::select(
            "organisation",
            "Organizacja",
            f.organisation.clone(),
            scale(),
        ),
        Field::new(
            "comment",
            "Komentarz (nieobowiązkowo)",
            Kind::TextArea,
            f.comment.clone(),
        ),
    ]
}

async fn feedback_view(
    state: &AppState,
    v: &session::Visitor,
    token: &str,
    f: &crate::domain::feedback::FeedbackForm,
    errors: &FieldErrors,
) -> Result<FeedbackPage> {
    let (l, a) = registered(state, token).await?;
    Ok(FeedbackPage {
        layout: Layout::new(state.site(), paths::TRAININGS, "Twoja opinia"),
        activity_url: views::activity_url(&a),
        title: a.title.clone(),
        open: crate::store::feedback::may_answer(state.db(), l.id).await?,
        form: Form::post(
            format!("/zapisy/{token}/opinia"),
            &v.csrf,
            "Wyślij opinię",
            feedback_fields(f),
        )
        .with_errors(errors),
    })
}

pub(super) async fn feedback_page(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    Path(token): Path<String>,
) -> Result<Response> {
    render(
        &feedback_view(
            &state,
            &v,
            &token,
            &Default::default(),
            &FieldErrors::default(),
        )
        .await?,
    )
}

pub(super) async fn feedback(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    Path(token): Path<String>,
    BodyForm(f): BodyForm<crate::domain::feedback::FeedbackForm>,
) -> Result<Response> {
    let l = registrations::by_token(state.db(), &token)
        .await?
        .ok_or(Error::NotFound)?;
    let mut errors = FieldErrors::default();
    let Some(answer) = f.validate(&mut errors) else {
        let page = feedback_view(&state, &v, &token, &f, &errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    };
    let now = state.clock().now();
    let today = now.to_zoned(crate::clock::warsaw()).date();
    if !crate::store::feedback::give(state.db(), &l, &answer, today, now).await? {
        return Err(Error::BadRequest(
            "Opinię może wysłać raz osoba, która była na wydarzeniu.".into(),
        ));
    }
    Ok(Redirect::to(&format!("/zapisy/{token}?komunikat=opinia")).into_response())
}
