//! Who may do what in the back office: the one permission matrix.
//!
//! A role gives permission per area and action (`allows`); records are
//! further limited by scope (`Scope`): a partner's JSTs or counties, a
//! trainer's own activities, a coordinator's projects. Handlers ask here
//! and nowhere else; the store turns a scope into SQL conditions.

vocabulary! {
    /// Staff roles.
    Role {
        Admin => "admin", "administrator";
        Coordinator => "coordinator", "koordynator projektu";
        Partner => "partner", "partner lokalny";
        Trainer => "trainer", "trener";
        Advisor => "advisor", "doradca";
    }
}

/// What part of the records an action touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Area {
    /// Staff accounts and their roles.
    Accounts,
    /// The audit log.
    Audit,
    Organisations,
    People,
    /// JST office details.
    LocalGovernments,
    /// Activities of every kind but advisory, with attendance.
    Activities,
    /// Advisory sessions.
    Advisory,
    /// Cases: advisory requests and interventions, their letters.
    Cases,
    /// Letter templates.
    LetterTemplates,
    Trips,
    Pages,
    /// CSV import of organisations and people.
    Import,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    View,
    Change,
}

/// The permission matrix (documented in ARCHITECTURE.md). Scope limits
/// apply on top of it.
pub fn allows(role: Role, area: Area, action: Action) -> bool {
    use Action::*;
    use Area::*;
    use Role::*;
    match (role, area) {
        (Admin, _) => true,
        (_, Accounts | Audit) => false,
        (Coordinator, LetterTemplates) => action == View,
        (Coordinator, _) => true,
        (Partner, Organisations | People | LocalGovernments | Activities) => true,
        (Partner, Cases) => action == View,
        (Partner, _) => false,
        (Trainer, Activities) => true,
        (Trainer, LocalGovernments) => action == View,
        (Trainer, _) => false,
        (Advisor, Advisory | Cases | Organisations | People) => true,
        (Advisor, LetterTemplates) => action == View,
        (Advisor, LocalGovernments) => action == View,
        (Advisor, _) => false,
    }
}

/// Which records of an area a person may see and change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every record.
    All,
    /// Records in these units or inside them (TERYT prefixes).
    Within(Vec<String>),
    /// Activities this account is the trainer of.
    TrainerOf(i64),
    /// Records of these projects.
    Projects(Vec<i64>),
}

/// Who is signed in, as the rules see it.
#[derive(Clone, Debug)]
pub struct Staff {
    pub account_id: i64,
    pub name: String,
    pub role: Role,
    pub projects: Vec<i64>,
    pub areas: Vec<String>,
}

impl Staff {
    pub fn can(&self, area: Area, action: Action) -> bool {
        allows(self.role, area, action)
    }

    /// The records of `area` this person reaches.
    pub fn scope(&self, area: Area) -> Scope {
        match (self.role, area) {
            (
                Role::Partner,
                Area::Organisations
                | Area::People
                | Area::LocalGovernments
                | Area::Activities
                | Area::Cases,
            ) => Scope::Within(self.areas.clone()),
            (Role::Trainer, Area::Activities) => Scope::TrainerOf(self.account_id),
            (Role::Coordinator, Area::Activities | Area::Advisory | Area::Trips | Area::Pages) => {
                Scope::Projects(self.projects.clone())
            }
            _ => Scope::All,
        }
    }

    /// Whether a record is in reach under `scope`: placed in `unit`, led by
    /// the trainer account `trainer`, of project `project`.
    pub fn reaches(
        scope: &Scope,
        unit: Option<&str>,
        trainer: Option<i64>,
        project: Option<i64>,
    ) -> bool {
        match scope {
            Scope::All => true,
            Scope::Within(_) => Staff::reaches_unit(scope, unit),
            Scope::TrainerOf(id) => trainer == Some(*id),
            Scope::Projects(ids) => project.is_some_and(|p| ids.contains(&p)),
        }
    }

    /// Whether a record placed in `teryt` (a JST code, if it has one) is in
    /// reach under `scope`. Records with no JST are outside every area.
    pub fn reaches_unit(scope: &Scope, teryt: Option<&str>) -> bool {
        match scope {
            Scope::Within(areas) => {
                teryt.is_some_and(|t| areas.iter().any(|a| t.starts_with(a.as_str())))
            }
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_manage_accounts_and_read_the_audit_log() {
        for role in Role::ALL {
            for action in [Action::View, Action::Change] {
                assert_eq!(allows(*role, Area::Accounts, action), *role == Role::Admin);
                assert_eq!(allows(*role, Area::Audit, action), *role == Role::Admin);
            }
        }
    }

    #[test]
    fn a_partner_reaches_only_units_inside_their_areas() {
        let scope = Scope::Within(vec!["1420".into()]);
        assert!(Staff::reaches_unit(&scope, Some("1420011")));
        assert!(!Staff::reaches_unit(&scope, Some("1417011")));
        assert!(!Staff::reaches_unit(&scope, None));
        assert!(Staff::reaches_unit(&Scope::All, None));
    }

    #[test]
    fn cases_are_for_advisors_and_above_and_partners_may_only_read_theirs() {
        for (role, view, change) in [
            (Role::Admin, true, true),
            (Role::Coordinator, true, true),
            (Role::Advisor, true, true),
            (Role::Partner, true, false),
            (Role::Trainer, false, false),
        ] {
            assert_eq!(allows(role, Area::Cases, Action::View), view, "{role:?}");
            assert_eq!(
                allows(role, Area::Cases, Action::Change),
                change,
                "{role:?}"
            );
        }
        assert!(!allows(
            Role::Advisor,
            Area::LetterTemplates,
            Action::Change
        ));
        let partner = Staff {
            account_id: 1,
            name: String::new(),
            role: Role::Partner,
            projects: Vec::new(),
            areas: vec!["1420".into()],
        };
        assert_eq!(
            partner.scope(Area::Cases),
            Scope::Within(vec!["1420".into()])
        );
    }

    #[test]
    fn every_role_code_reads_back() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(*r));
        }
    }
}
