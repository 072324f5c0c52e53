//! Feedback after an activity: three ratings from 1 to 5 and an open
//! comment, anonymous (the answer is stored without who gave it; only the
//! fact that a registration answered is kept, so each answers once).

use serde::Deserialize;

use super::records::FieldErrors;

/// What the form sends.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct FeedbackForm {
    pub usefulness: String,
    pub trainer: String,
    pub organisation: String,
    pub comment: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feedback {
    pub usefulness: i64,
    pub trainer: i64,
    pub organisation: i64,
    pub comment: String,
}

fn rating(errors: &mut FieldErrors, field: &'static str, value: &str) -> i64 {
    match value.trim().parse::<i64>() {
        Ok(n) if (1..=5).contains(&n) => n,
        _ => {
            errors.add(field, "Wybierz ocenę od 1 do 5.");
            0
        }
    }
}

impl FeedbackForm {
    pub fn validate(&self, errors: &mut FieldErrors) -> Option<Feedback> {
        let f = Feedback {
            usefulness: rating(errors, "usefulness", &self.usefulness),
            trainer: rating(errors, "trainer", &self.trainer),
            organisation: rating(errors, "organisation", &self.organisation),
            comment: self.comment.trim().to_owned(),
        };
        if f.comment.chars().count() > 3000 {
            errors.add("comment", "Najwyżej 3000 znaków.");
        }
        errors.is_empty().then_some(f)
    }
}

/// Averages of the answers, to one decimal: (answers, usefulness, trainer,
/// organisation).
pub fn averages(answers: &[Feedback]) -> (usize, f64, f64, f64) {
    let n = answers.len();
    if n == 0 {
        return (0, 0.0, 0.0, 0.0);
    }
    let avg = |pick: fn(&Feedback) -> i64| {
        let sum: i64 = answers.iter().map(pick).sum();
        (sum as f64 / n as f64 * 10.0).round() / 10.0
    };
    (
        n,
        avg(|f| f.usefulness),
        avg(|f| f.trainer),
        avg(|f| f.organisation),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_are_one_to_five_and_averages_round_to_a_tenth() {
        let mut e = FieldErrors::default();
        let bad = FeedbackForm {
            usefulness: "6".into(),
            trainer: "".into(),
            organisation: "3".into(),
            comment: String::new(),
        };
        assert!(bad.validate(&mut e).is_none());
        assert!(!e.get("usefulness").is_empty() && !e.get("trainer").is_empty());
        let a = Feedback {
            usefulness: 5,
            trainer: 4,
            organisation: 3,
            comment: String::new(),
        };
        let b = Feedback {
            usefulness: 4,
            trainer: 4,
            organisation: 4,
            comment: String::new(),
        };
        let c = Feedback {
            usefulness: 4,
            trainer: 5,
            organisation: 4,
            comment: String::new(),
        };
        assert_eq!(averages(&[a, b, c]), (3, 4.3, 4.3, 3.7));
    }
}
