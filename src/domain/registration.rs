//! Registration for trainings and events: the form, the statuses, who gets
//! a place, and the information notice shown at the form.

use serde::Deserialize;

use jiff::civil::Date;

use super::activity::{ActivityStatus, Gender};
use super::records::{optional, phone, required, required_email, AffiliationRole, FieldErrors};

/// Hours an unconfirmed registration waits for its confirmation.
pub const CONFIRM_WITHIN_HOURS: i64 = 48;

/// The version of the notice and consent text people agree to; stored with
/// every registration. Change it whenever `NOTICE` or `CONSENT` changes.
pub const CONSENT_VERSION: &str = "zapisy-2026-11";

/// What the person agrees to.
pub const CONSENT: &str = "Wyrażam zgodę na przetwarzanie moich danych osobowych w celu zapisu \
    i udziału w szkoleniu lub wydarzeniu oraz rozliczenia projektu z grantodawcą.";

/// The information notice (art. 13 GDPR) shown at the form.
pub const NOTICE: &[&str] = &[
    "Administratorem Twoich danych jest organizator projektu wskazany w stopce strony.",
    "Dane przetwarzamy, by zapisać Cię na szkolenie lub wydarzenie, przesłać informacje o nim, \
     wystawić zaświadczenie i rozliczyć projekt z grantodawcą (art. 6 ust. 1 lit. a i c RODO). \
     Informację o potrzebach związanych z dostępnością przetwarzamy na podstawie Twojej wyraźnej \
     zgody (art. 9 ust. 2 lit. a RODO) wyłącznie po to, by je zapewnić.",
    "Odbiorcami danych mogą być partnerzy projektu i grantodawca, w zakresie potrzebnym do rozliczenia.",
    "Dane przechowujemy przez okres trwałości projektu wymagany umową o dotację.",
    "Masz prawo dostępu do danych, ich sprostowania, usunięcia, ograniczenia przetwarzania, \
     przeniesienia, wycofania zgody w dowolnym momencie (bez wpływu na zgodność z prawem \
     wcześniejszego przetwarzania) i wniesienia skargi do Prezesa UODO.",
    "Podanie imienia, nazwiska i adresu e-mail jest potrzebne do zapisu; pozostałe dane są dobrowolne.",
];

vocabulary! {
    /// Where a registration stands; the labels agree with "zapis"
    /// ("Stan zapisu: potwierdzony").
    Status {
        Pending => "pending", "czeka na potwierdzenie";
        Confirmed => "confirmed", "potwierdzony";
        Waitlisted => "waitlisted", "na liście rezerwowej";
        Cancelled => "cancelled", "anulowany";
        Expired => "expired", "wygasły (niepotwierdzony)";
    }
}

impl Status {
    /// A live registration holds a place or a position on the waitlist (or
    /// waits to), so the same address cannot register again.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            Status::Pending | Status::Confirmed | Status::Waitlisted
        )
    }
}

/// Where a newly confirmed registration goes: a place while there are
/// places (no capacity means no limit), the waitlist otherwise.
pub fn placement(capacity: Option<i64>, confirmed: i64) -> Status {
    match capacity {
        Some(c) if confirmed >= c => Status::Waitlisted,
        _ => Status::Confirmed,
    }
}

/// The outcome of a confirmation link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirmation {
    /// Placed now: a seat or the waitlist.
    Placed(Status),
    /// Confirmed before, or cancelled or expired: nothing changed.
    Unchanged(Status),
    /// Older than the confirmation window: now expired.
    Expired,
}

/// What confirming a registration now in `current` does: only a pending
/// one moves; one made before the confirmation window (`too_old`)
/// expires; the others are placed by `placement` among `taken` places.
pub fn confirmation(
    current: Status,
    too_old: bool,
    capacity: Option<i64>,
    taken: i64,
) -> Confirmation {
    if current != Status::Pending {
        Confirmation::Unchanged(current)
    } else if too_old {
        Confirmation::Expired
    } else {
        Confirmation::Placed(placement(capacity, taken))
    }
}

/// Whether cancelling a registration that was `was` frees a place for the
/// first on the waitlist, with `confirmed` places taken after it left.
pub fn frees_place(was: Status, capacity: Option<i64>, confirmed: i64) -> bool {
    was == Status::Confirmed && placement(capacity, confirmed) == Status::Confirmed
}

/// The consent recorded for a registration staff add by hand (given to
/// them, on paper or by phone).
pub fn staff_consent() -> String {
    format!("zespół: {CONSENT_VERSION}")
}

/// The group a registered person counts in, from their role.
pub fn group_of(role: AffiliationRole) -> super::activity::Group {
    use super::activity::Group;
    match role {
        AffiliationRole::NgoLeader => Group::Ngo,
        AffiliationRole::Official => Group::Official,
        AffiliationRole::Authority | AffiliationRole::Councillor => Group::Authority,
        AffiliationRole::Other => Group::Other,
    }
}

/// Whether people may register on `today` for an activity in `status`
/// from `starts_on`, its registration closing on `closes_on`: until the
/// closing day (by default the first day of the activity), and only while
/// it is planned.
pub fn is_open(
    status: ActivityStatus,
    starts_on: Date,
    closes_on: Option<Date>,
    today: Date,
) -> bool {
    status == ActivityStatus::Planned && today <= closes_on.unwrap_or(starts_on)
}

/// Places left, if the activity has a limit.
pub fn free_places(capacity: Option<i64>, confirmed: i64) -> Option<i64> {
    capacity.map(|c| (c - confirmed).max(0))
}

/// The form as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegistrationForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    /// An organisation or a JST office: picked from the known ones or typed.
    pub affiliation: String,
    pub role: String,
    pub gender: String,
    pub needs: String,
    pub consent: Option<String>,
}

/// A registration that passed the checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub affiliation: String,
    pub role: AffiliationRole,
    pub gender: Gender,
    /// Accessibility needs, if any (special-category data).
    pub needs: Option<String>,
}

impl RegistrationForm {
    pub fn validate(&self, errors: &mut FieldErrors) -> Option<Registration> {
        let first_name = required(errors, "first_name", &self.first_name, 100);
        let last_name = required(errors, "last_name", &self.last_name, 100);
        let email = required_email(errors, "email", &self.email);
        let phone = phone(errors, "phone", &self.phone);
        let affiliation = optional(errors, "affiliation", &self.affiliation, 300);
        let role = AffiliationRole::from_code(self.role.trim());
        if role.is_none() {
            errors.add("role", "Wybierz jedną z możliwości.");
        }
        let gender = if self.gender.trim().is_empty() {
            Some(Gender::Undisclosed)
        } else {
            Gender::from_code(self.gender.trim())
        };
        if gender.is_none() {
            errors.add(
                "gender",
                "Wybierz jedną z możliwości albo zostaw pole puste.",
            );
        }
        let needs = optional(errors, "needs", &self.needs, 2000);
        if self.consent.as_deref().is_none_or(|c| c.is_empty()) {
            errors.add("consent", "Zapis wymaga zgody na przetwarzanie danych.");
        }
        Some(Registration {
            first_name,
            last_name,
            email,
            phone,
            affiliation,
            role: role?,
            gender: gender?,
            needs: (!needs.is_empty()).then_some(needs),
        })
        .filter(|_| errors.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_is_open_until_its_last_day_while_planned() {
        use jiff::civil::date;
        let (starts, today) = (date(2026, 12, 15), date(2026, 12, 15));
        assert!(is_open(ActivityStatus::Planned, starts, None, today));
        assert!(!is_open(
            ActivityStatus::Planned,
            starts,
            None,
            date(2026, 12, 16)
        ));
        let closes = Some(date(2026, 12, 10));
        assert!(is_open(
            ActivityStatus::Planned,
            starts,
            closes,
            date(2026, 12, 10)
        ));
        assert!(!is_open(
            ActivityStatus::Planned,
            starts,
            closes,
            date(2026, 12, 11)
        ));
        assert!(!is_open(
            ActivityStatus::Cancelled,
            starts,
            None,
            date(2026, 12, 1)
        ));
        assert!(!is_open(
            ActivityStatus::Held,
            starts,
            None,
            date(2026, 12, 1)
        ));
    }

    #[test]
    fn places_go_while_there_are_any_then_the_waitlist() {
        assert_eq!(placement(Some(20), 19), Status::Confirmed);
        assert_eq!(placement(Some(20), 20), Status::Waitlisted);
        assert_eq!(placement(None, 10_000), Status::Confirmed);
        assert_eq!(free_places(Some(20), 25), Some(0));
        assert_eq!(free_places(None, 3), None);
    }

    #[test]
    fn only_a_pending_registration_in_time_is_placed() {
        use Confirmation::*;
        let c = confirmation;
        assert_eq!(
            c(Status::Pending, false, Some(2), 1),
            Placed(Status::Confirmed)
        );
        assert_eq!(
            c(Status::Pending, false, Some(2), 2),
            Placed(Status::Waitlisted)
        );
        assert_eq!(c(Status::Pending, true, Some(2), 0), Expired);
        assert_eq!(
            c(Status::Confirmed, true, None, 0),
            Unchanged(Status::Confirmed)
        );
        assert!(frees_place(Status::Confirmed, Some(2), 1));
        assert!(!frees_place(Status::Confirmed, Some(2), 2));
        assert!(!frees_place(Status::Waitlisted, Some(2), 0));
    }

    #[test]
    fn every_field_gets_a_polish_message() {
        let form = RegistrationForm {
            email: "zły adres".into(),
            phone: "12".into(),
            role: "king".into(),
            gender: "x".into(),
            ..RegistrationForm::default()
        };
        let mut e = FieldErrors::default();
        assert!(form.validate(&mut e).is_none());
        for f in [
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "gender",
            "consent",
        ] {
            assert!(!e.get(f).is_empty(), "{f}");
        }
    }

    #[test]
    fn a_good_form_gives_a_registration_with_needs_apart() {
        let form = RegistrationForm {
            first_name: "Małgorzata".into(),
            last_name: "Żuraw".into(),
            email: "M.Zuraw@Example.org".into(),
            role: "official".into(),
            needs: "pętla indukcyjna".into(),
            consent: Some("1".into()),
            ..RegistrationForm::default()
        };
        let mut e = FieldErrors::default();
        let r = form
            .validate(&mut e)
            .unwrap_or_else(|| unreachable!("{e:?}"));
        assert_eq!(r.email, "m.zuraw@example.org");
        assert_eq!(r.gender, Gender::Undisclosed);
        assert_eq!(r.needs.as_deref(), Some("pętla indukcyjna"));
    }
}
