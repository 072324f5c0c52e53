//! Activities of every kind the programme runs, and who takes part in them.
//!
//! Owns the closed vocabularies (kinds, audiences, groups, genders) with
//! their database codes and Polish labels. No SQL and no HTTP here.

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
        Panelist => "panelist", "uczestnik rozmowy";
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

/// SQL list of the kinds that count as trainings, for `IN (…)` clauses.
pub const TRAINING_KINDS_SQL: &str = "('training','workshop')";
/// SQL list of the kinds that count as events.
pub const EVENT_KINDS_SQL: &str = "('seminar','debate','conference')";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_its_variant() {
        for k in ActivityKind::ALL {
            assert_eq!(ActivityKind::from_code(k.code()), Some(*k));
        }
        for g in Group::ALL {
            assert_eq!(Group::from_code(g.code()), Some(*g));
        }
        assert_eq!(ActivityKind::from_code("party"), None);
    }

    #[test]
    fn the_sql_lists_match_the_rules() {
        for k in ActivityKind::ALL {
            let quoted = format!("'{}'", k.code());
            assert_eq!(TRAINING_KINDS_SQL.contains(&quoted), k.is_training());
            assert_eq!(EVENT_KINDS_SQL.contains(&quoted), k.is_event());
        }
    }
}
