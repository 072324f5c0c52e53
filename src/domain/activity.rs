//! Activities of every kind the programme runs, and who takes part in them.
//!
//! Owns the closed vocabularies (kinds, statuses, audiences, groups,
//! genders) with their database codes and Polish labels, and when
//! attendance may be recorded. No SQL and no HTTP here.

use jiff::civil::Date;

vocabulary! {
    /// What kind of activity a record is.
    ActivityKind {
        Training => "training", "szkolenie";
        Workshop => "workshop", "warsztat";
        Meeting => "meeting", "spotkanie";
        Seminar => "seminar", "seminarium";
        Debate => "debate", "debata";
        Conference => "conference", "konferencja";
        Advisory => "advisory", "doradztwo indywidualne";
    }
}

vocabulary! {
    /// Who an activity is meant for.
    Audience {
        Ngo => "ngo", "organizacje pozarządowe";
        Officials => "officials", "urzędniczki i urzędnicy";
        Both => "both", "organizacje i urzędy";
    }
}

vocabulary! {
    /// Which side of the dialogue a person comes from.
    Group {
        Ngo => "ngo", "liderki i liderzy organizacji";
        Official => "official", "urzędniczki i urzędnicy";
        Authority => "authority", "władze samorządowe";
        Other => "other", "inne osoby";
        Team => "team", "zespół projektu i partnerów";
    }
}

vocabulary! {
    /// What became of an activity. Only held activities count in the
    /// figures and have certificates.
    ActivityStatus {
        Planned => "planned", "zaplanowane";
        Held => "held", "odbyło się";
        Cancelled => "cancelled", "odwołane";
    }
}

vocabulary! {
    /// Self-reported gender, in the categories of the funder's indicators.
    Gender {
        Female => "female", "kobieta";
        Male => "male", "mężczyzna";
        Other => "other", "inna";
        Undisclosed => "undisclosed", "nie podano";
    }
}

vocabulary! {
    /// The role a named person plays at an activity.
    SpeakerRole {
        Trainer => "trainer", "prowadzenie";
        Guest => "guest", "gość";
        Panelist => "panelist", "udział w rozmowie";
        Moderator => "moderator", "moderacja";
        Advisor => "advisor", "doradztwo";
    }
}

vocabulary! {
    /// Kinds of published documents.
    DocumentKind {
        Guide => "guide", "poradnik";
        ResearchReport => "research_report", "raport z badań";
    }
}

impl ActivityKind {
    /// Trainings and workshops make up the training catalogue.
    pub fn is_training(self) -> bool {
        matches!(self, ActivityKind::Training | ActivityKind::Workshop)
    }

    /// Seminars, debates and conferences are the programme's events.
    pub fn is_event(self) -> bool {
        matches!(
            self,
            ActivityKind::Seminar | ActivityKind::Debate | ActivityKind::Conference
        )
    }
}

impl SpeakerRole {
    /// The role as said of a person of `gender`: "uczestniczka rozmowy",
    /// "prowadzący"; a team or a person whose gender is not known gets
    /// the name of the role itself ("prowadzenie", "udział w rozmowie").
    pub fn label_for(self, gender: Gender) -> &'static str {
        use Gender::{Female, Male};
        match (self, gender) {
            (SpeakerRole::Trainer, Female) => "prowadząca",
            (SpeakerRole::Trainer, Male) => "prowadzący",
            (SpeakerRole::Panelist, Female) => "uczestniczka rozmowy",
            (SpeakerRole::Panelist, Male) => "uczestnik rozmowy",
            (SpeakerRole::Panelist, _) => "udział w rozmowie",
            (SpeakerRole::Moderator, Female) => "prowadząca rozmowę",
            (SpeakerRole::Moderator, Male) => "prowadzący rozmowę",
            (SpeakerRole::Advisor, Female) => "doradczyni",
            (SpeakerRole::Advisor, Male) => "doradca",
            (role, _) => role.label(),
        }
    }
}

impl Group {
    /// Whether the figures count this person among the recipients: the
    /// project's own team and its partners' staff run the activities, they
    /// are not reached by them.
    pub fn is_recipient(self) -> bool {
        self != Group::Team
    }
}

impl ActivityStatus {
    /// Whether an activity ending on `ends_on` may be set to `self` on
    /// `today`: it has been held only once its last day has come.
    pub fn check(self, ends_on: Date, today: Date) -> Result<(), &'static str> {
        if self == ActivityStatus::Held && !has_ended(ends_on, today) {
            return Err(
                "Działanie można oznaczyć jako odbyte dopiero od jego ostatniego dnia, nie wcześniej.",
            );
        }
        Ok(())
    }
}

/// Whether an activity ending on `ends_on` has come to its last day by
/// `today`: only then may it be recorded as held, by staff or by a
/// check-in.
pub fn has_ended(ends_on: Date, today: Date) -> bool {
    ends_on <= today
}

/// Whether recording someone present on `today` also marks a planned
/// activity ending on `ends_on` as held: only from its last day on, so a
/// check-in on the first day of a longer activity leaves it planned.
pub fn held_by_check_in(status: ActivityStatus, ends_on: Date, today: Date) -> bool {
    status == ActivityStatus::Planned && has_ended(ends_on, today)
}

/// Whether staff may record attendance today: from the activity's first
/// day on (also later, to catch up), never earlier, and never at a
/// cancelled activity. The refusal says why and, before the first day,
/// from when, in Polish.
pub fn check_in_open(status: ActivityStatus, starts_on: Date, today: Date) -> Result<(), String> {
    if status == ActivityStatus::Cancelled {
        return Err("Działanie zostało odwołane: nie można odnotować obecności.".into());
    }
    if starts_on > today {
        let day = crate::domain::format::date(starts_on);
        return Err(format!(
            "Obecność można odnotować od pierwszego dnia działania, {day}, nie wcześniej."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(iso: &str) -> Date {
        iso.parse().unwrap()
    }

    #[test]
    fn every_code_reads_back_as_its_variant() {
        for k in ActivityKind::ALL {
            assert_eq!(ActivityKind::from_code(k.code()), Some(*k));
        }
        for g in Group::ALL {
            assert_eq!(Group::from_code(g.code()), Some(*g));
        }
        assert_eq!(ActivityKind::from_code("party"), None);
        for s in ActivityStatus::ALL {
            assert_eq!(ActivityStatus::from_code(s.code()), Some(*s));
        }
    }

    #[test]
    fn nothing_is_held_before_its_last_day() {
        let held = ActivityStatus::Held;
        // 2–23 December: not held on its first day nor on the 22nd.
        assert!(held.check(d("2026-12-23"), d("2026-12-02")).is_err());
        assert!(held.check(d("2026-12-23"), d("2026-12-22")).is_err());
        assert!(held.check(d("2026-12-23"), d("2026-12-23")).is_ok());
        assert!(held.check(d("2026-12-23"), d("2027-01-10")).is_ok());
        assert!(ActivityStatus::Cancelled
            .check(d("2026-12-23"), d("2026-12-02"))
            .is_ok());
        let planned = ActivityStatus::Planned;
        assert!(!held_by_check_in(planned, d("2026-12-23"), d("2026-12-02")));
        assert!(held_by_check_in(planned, d("2026-12-23"), d("2026-12-23")));
        assert!(!held_by_check_in(
            ActivityStatus::Cancelled,
            d("2026-12-23"),
            d("2026-12-23")
        ));
        assert!(!held_by_check_in(
            ActivityStatus::Held,
            d("2026-12-23"),
            d("2026-12-23")
        ));
    }

    #[test]
    fn nothing_is_checked_in_before_its_first_day() {
        let held = ActivityStatus::Held;
        assert!(held.check(d("2026-12-15"), d("2026-12-02")).is_err());
        assert!(held.check(d("2026-12-15"), d("2026-12-15")).is_ok());
        assert!(ActivityStatus::Planned
            .check(d("2026-12-15"), d("2026-12-02"))
            .is_ok());
        assert!(check_in_open(ActivityStatus::Planned, d("2026-12-15"), d("2026-12-02")).is_err());
        assert!(check_in_open(ActivityStatus::Planned, d("2026-12-15"), d("2026-12-15")).is_ok());
        assert!(check_in_open(ActivityStatus::Held, d("2026-12-15"), d("2027-01-10")).is_ok());
        assert!(
            check_in_open(ActivityStatus::Cancelled, d("2026-12-15"), d("2026-12-15")).is_err()
        );
        assert_eq!(
            check_in_open(ActivityStatus::Planned, d("2026-12-15"), d("2026-12-02")),
            Err("Obecność można odnotować od pierwszego dnia działania, 15 grudnia 2026, nie wcześniej.".into())
        );
    }

    #[test]
    fn a_speakers_role_agrees_with_their_gender() {
        assert_eq!(
            SpeakerRole::Panelist.label_for(Gender::Female),
            "uczestniczka rozmowy"
        );
        assert_eq!(
            SpeakerRole::Panelist.label_for(Gender::Male),
            "uczestnik rozmowy"
        );
        assert_eq!(
            SpeakerRole::Panelist.label_for(Gender::Undisclosed),
            "udział w rozmowie"
        );
        assert_eq!(
            SpeakerRole::Moderator.label_for(Gender::Female),
            "prowadząca rozmowę"
        );
        assert_eq!(SpeakerRole::Trainer.label_for(Gender::Female), "prowadząca");
        assert_eq!(SpeakerRole::Trainer.label_for(Gender::Other), "prowadzenie");
        assert_eq!(SpeakerRole::Guest.label_for(Gender::Female), "gość");
    }

    #[test]
    fn the_team_is_not_among_the_recipients() {
        assert!(!Group::Team.is_recipient());
        assert!(Group::Other.is_recipient());
        assert!(Group::Ngo.is_recipient());
    }
}

/// The catalogue's filters, parsed from the address: audience (`dla`),
/// topic (`temat`), area (`obszar`, a TERYT prefix), form (`forma`:
/// `online` or `stacjonarnie`) and month (`miesiac`, `RRRR-MM`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalogue {
    pub audience: Option<Audience>,
    pub topic: Option<String>,
    pub area: Option<String>,
    pub online: Option<bool>,
    pub month: Option<String>,
}

impl Catalogue {
    /// Reads the filters; a Polish message for a value that cannot be one.
    pub fn parse(
        audience: &str,
        topic: &str,
        area: &str,
        form: &str,
        month: &str,
    ) -> Result<Catalogue, String> {
        let audience = match audience {
            "" => None,
            a => Some(Audience::from_code(a).ok_or("Nieznana grupa odbiorców.")?),
        };
        let area = match area {
            "" => None,
            a if (2..=7).contains(&a.len()) && a.chars().all(|c| c.is_ascii_digit()) => {
                Some(a.to_owned())
            }
            _ => return Err("Obszar to kod TERYT (od 2 do 7 cyfr).".into()),
        };
        let online = match form {
            "" => None,
            "online" => Some(true),
            "stacjonarnie" => Some(false),
            _ => return Err("Forma to „online” albo „stacjonarnie”.".into()),
        };
        let month = match month {
            "" => None,
            m if format!("{m}-01").parse::<jiff::civil::Date>().is_ok() && m.len() == 7 => {
                Some(m.to_owned())
            }
            _ => return Err("Miesiąc podaj jako RRRR-MM, np. 2024-03.".into()),
        };
        let topic = (!topic.trim().is_empty()).then(|| topic.trim().to_owned());
        if topic.as_ref().is_some_and(|t| t.chars().count() > 200) {
            return Err("Temat jest za długi.".into());
        }
        Ok(Catalogue {
            audience,
            topic,
            area,
            online,
            month,
        })
    }

    /// Whether no filter but the month narrows the list: what the figures'
    /// summaries can answer (`store::summaries`).
    pub fn by_month_only(&self) -> bool {
        self.audience.is_none()
            && self.topic.is_none()
            && self.area.is_none()
            && self.online.is_none()
    }

    /// The first and last day of the month filtered by.
    pub fn month_days(&self) -> Option<(jiff::civil::Date, jiff::civil::Date)> {
        let first: jiff::civil::Date = format!("{}-01", self.month.as_ref()?).parse().ok()?;
        Some((first, first.last_of_month()))
    }

    /// The audiences an activity may have to show under this filter: one
    /// for both groups fits either.
    pub fn audiences(&self) -> Option<&'static [&'static str]> {
        self.audience.map(|a| match a {
            Audience::Ngo => &["ngo", "both"][..],
            Audience::Officials => &["officials", "both"][..],
            Audience::Both => &["both"][..],
        })
    }

    /// The filters as a query string (empty when none), for links.
    pub fn query(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if let Some(a) = self.audience {
            s.append_pair("dla", a.code());
        }
        if let Some(t) = &self.topic {
            s.append_pair("temat", t);
        }
        if let Some(a) = &self.area {
            s.append_pair("obszar", a);
        }
        if let Some(o) = self.online {
            s.append_pair("forma", if o { "online" } else { "stacjonarnie" });
        }
        if let Some(m) = &self.month {
            s.append_pair("miesiac", m);
        }
        s.finish()
    }

    pub fn is_empty(&self) -> bool {
        *self == Catalogue::default()
    }
}

#[cfg(test)]
mod catalogue_tests {
    use super::*;

    #[test]
    fn filters_parse_and_print_back() {
        let c = Catalogue::parse("ngo", "ustawa o pożytku", "1420", "online", "2024-03");
        let c = c.unwrap_or_default();
        assert_eq!(c.audiences(), Some(&["ngo", "both"][..]));
        assert_eq!(
            c.query(),
            "dla=ngo&temat=ustawa+o+po%C5%BCytku&obszar=1420&forma=online&miesiac=2024-03"
        );
        assert!(Catalogue::parse("", "", "", "", "").is_ok_and(|c| c.is_empty()));
    }

    #[test]
    fn bad_values_are_refused_in_polish() {
        assert!(Catalogue::parse("kosmici", "", "", "", "").is_err());
        assert!(Catalogue::parse("", "", "14a", "", "").is_err());
        assert!(Catalogue::parse("", "", "", "hybrydowo", "").is_err());
        assert!(Catalogue::parse("", "", "", "", "2024-13").is_err());
        assert!(Catalogue::parse("", "", "", "", "2024-3").is_err());
    }
}
