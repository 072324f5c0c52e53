//! Letters to a JST: templates in Markdown with placeholders, filled from
//! the case, and the letter as a PDF on the federation's letterhead.

use jiff::civil::Date;

use super::advisory::Topic;
use super::cases::Category;
use super::reports::Subject;

vocabulary! {
    /// How a letter went to the office.
    SentVia {
        Email => "email", "e-mail";
        Epuap => "epuap", "ePUAP";
        Post => "post", "poczta";
    }
}

/// The placeholders a template may use, with what each stands for.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "urzad",
        "organ JST, do którego idzie pismo, np. Wójt Gminy Płońsk",
    ),
    ("adres_urzedu", "nazwa i adres urzędu z karty JST"),
    ("znak", "znak sprawy, np. INT/2026/001"),
    (
        "kategoria",
        "czego dotyczy sprawa, w dopełniaczu: „w sprawie {{kategoria}}”",
    ),
    (
        "opis",
        "opis ze zgłoszenia (akapit „W zgłoszeniu czytamy: …”) tylko za zgodą zgłaszającego, \
         inaczej zdanie, że treść zgłoszenia pozostaje do naszej wiadomości",
    ),
    (
        "zglaszajacy",
        "kto zgłosił, w mianowniku: „Sprawę zgłosiła nam {{zglaszajacy}}.”; nazwa organizacji \
         tylko za zgodą zgłaszającego",
    ),
    ("data_zgloszenia", "data zgłoszenia"),
    (
        "poprzednie_pismo",
        "data poprzedniego wysłanego pisma w sprawie (przypomnienie pisze się dopiero po nim)",
    ),
    (
        "podstawa_prawna",
        "akapit z przepisami, które dotyczą kategorii sprawy (np. art. 5a ust. 1 przy \
         nieuchwalonym programie współpracy)",
    ),
    (
        "email_nadawcy",
        "adres e-mail, na który urząd ma odpowiedzieć",
    ),
    (
        "bezczynnosc",
        "pouczenie o skardze na bezczynność, gdy poprzednie pismo było wnioskiem o informację \
         publiczną (inaczej nic)",
    ),
];

/// Replaces `{{name}}` by its value; unknown placeholders stay as written,
/// so whoever reads the draft sees them.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = after[..end].trim();
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The first placeholder (`{{…}}`) a text still holds, as written: a
/// letter with one is not made.
pub fn unfilled(text: &str) -> Option<String> {
    let start = text.find("{{")?;
    let rest = &text[start..];
    let end = rest
        .find("}}")
        .map(|e| e + 2)
        .unwrap_or_else(|| rest.char_indices().nth(30).map_or(rest.len(), |(i, _)| i));
    Some(rest[..end].to_owned())
}

/// The act on public benefit activity and volunteering, as letters cite it.
const ACT: &str =
    "ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego i o wolontariacie";

/// The paragraph of a letter that cites the provisions a case's category
/// (interventions) or topic (advisory) is about.
pub fn legal_basis(subject: Subject) -> String {
    use Subject::{Advice, Problem};
    match subject {
        Problem(Category::ProgrammeNotAdopted) | Advice(Topic::Programme) => format!(
            "Zgodnie z art. 5a ust. 1 {ACT} organ stanowiący jednostki samorządu terytorialnego \
             uchwala, po konsultacjach z organizacjami pozarządowymi, roczny program współpracy \
             z organizacjami pozarządowymi, do dnia 30 listopada roku poprzedzającego okres \
             obowiązywania programu."
        ),
        Problem(Category::Transparency) => format!(
            "Zgodnie z art. 5 ust. 3 {ACT} współpraca samorządu z organizacjami pozarządowymi \
             odbywa się między innymi na zasadzie jawności, a organ wykonawczy jednostki \
             samorządu terytorialnego przedkłada organowi stanowiącemu sprawozdanie z realizacji \
             programu współpracy za rok poprzedni i publikuje je w Biuletynie Informacji \
             Publicznej do dnia 31 maja (art. 5a ust. 3)."
        ),
        Problem(Category::OpenCompetition) | Advice(Topic::Competition) => format!(
            "Zgodnie z art. 13 ust. 1 i 3 {ACT} organ administracji publicznej ogłasza otwarty \
             konkurs ofert i publikuje jego ogłoszenie w Biuletynie Informacji Publicznej, na \
             tablicy ogłoszeń i na swojej stronie internetowej, a zasady powoływania i pracy \
             komisji konkursowej określa art. 15 ust. 2a–2j."
        ),
        Advice(Topic::SmallGrants) => format!(
            "Zgodnie z art. 19a {ACT} organ wykonawczy jednostki samorządu terytorialnego może, \
             na wniosek organizacji pozarządowej, zlecić realizację zadania publicznego o \
             charakterze lokalnym lub regionalnym z pominięciem otwartego konkursu ofert, po \
             zamieszczeniu oferty na 7 dni w Biuletynie Informacji Publicznej, na tablicy \
             ogłoszeń i na stronie internetowej."
        ),
        Advice(Topic::Consultation) => format!(
            "Zgodnie z art. 5 ust. 5 {ACT} organ stanowiący jednostki samorządu terytorialnego \
             określa w drodze uchwały szczegółowy sposób konsultowania z organizacjami \
             pozarządowymi projektów aktów prawa miejscowego w dziedzinach dotyczących ich \
             działalności statutowej, a konsultacje przeprowadza się w sposób, który ta uchwała \
             określa."
        ),
        Advice(Topic::Council) => format!(
            "Zgodnie z art. 41e {ACT} organ wykonawczy jednostki samorządu terytorialnego tworzy \
             radę działalności pożytku publicznego na wniosek co najmniej 5 organizacji \
             pozarządowych prowadzących działalność na jej terenie, a rada opiniuje projekt \
             programu współpracy (art. 41i ust. 1)."
        ),
        Advice(Topic::PublicInformation) => {
            "Zgodnie z art. 61 Konstytucji Rzeczypospolitej Polskiej oraz \
             art. 2 ust. 1 i art. 10 ust. 1 ustawy z dnia 6 września 2001 r. o dostępie do \
             informacji publicznej każdemu przysługuje prawo dostępu do informacji publicznej, a \
             informacja, która nie została udostępniona w Biuletynie Informacji Publicznej, jest \
             udostępniana na wniosek."
                .to_owned()
        }
        Problem(Category::CooperationRules | Category::Other)
        | Advice(Topic::Statute | Topic::Other) => format!(
            "Zgodnie z art. 5 ust. 3 {ACT} współpraca samorządu z organizacjami pozarządowymi \
             odbywa się na zasadach pomocniczości, suwerenności stron, partnerstwa, \
             efektywności, uczciwej konkurencji i jawności."
        ),
    }
}

/// Why a reminder cannot be written yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReminderError {
    #[error("Przypomnienie pisze się po wysłanym piśmie, a w tej sprawie żadne pismo nie zostało jeszcze wysłane.")]
    NothingSent,
    #[error("Urząd odpowiedział już na poprzednie pismo; przypomnienie nie jest potrzebne.")]
    Answered,
    #[error("Na odpowiedź urzędu czekamy jeszcze do {due} włącznie; przypomnienie będzie można przygotować od {from}")]
    TooEarly { due: DayText, from: DayText },
    #[error("Poprzednie pismo czeka na datę doręczenia; przypomnienie będzie można przygotować po upływie terminu odpowiedzi.")]
    NoDeadline,
}

/// The latest letter sent in a case, as the reminder rule needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Earlier {
    pub reply_due: Option<Date>,
    pub replied: bool,
}

/// A reminder ("do dnia dzisiejszego nie otrzymaliśmy odpowiedzi") follows
/// a sent letter whose reply deadline has passed without a reply.
pub fn check_reminder(last_sent: Option<Earlier>, today: Date) -> Result<(), ReminderError> {
    let last = last_sent.ok_or(ReminderError::NothingSent)?;
    if last.replied {
        return Err(ReminderError::Answered);
    }
    let due = last.reply_due.ok_or(ReminderError::NoDeadline)?;
    if today <= due {
        return Err(ReminderError::TooEarly {
            due: DayText(due),
            from: DayText(due.tomorrow().unwrap_or(due)),
        });
    }
    Ok(())
}

/// Why a letter's own date was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DatedError {
    #[error("Pismo nie może nosić daty wcześniejszej niż dzień zgłoszenia sprawy ({0}).")]
    BeforeReported(DayText),
    #[error("Pismo nie może nosić daty późniejszej niż dzisiejsza ({0}).")]
    AfterToday(DayText),
}

/// A letter is dated between the day its case was reported and today.
pub fn check_dated(dated_on: Date, reported_on: Date, today: Date) -> Result<(), DatedError> {
    if dated_on < reported_on {
        return Err(DatedError::BeforeReported(DayText(reported_on)));
    }
    if dated_on > today {
        return Err(DatedError::AfterToday(DayText(today)));
    }
    Ok(())
}

/// Who reported, as the subject of a sentence ("Sprawę zgłosiła nam …"):
/// a feminine noun phrase in the nominative, so that it agrees whichever
/// form it takes; the organisation's own name, which cannot be inflected,
/// stands in quotes after "organizacja pozarządowa". Named only when the
/// reporter allowed it.
pub fn reporter(reveal: bool, organisation: &str) -> String {
    let name = organisation.trim();
    if reveal && !name.is_empty() {
        format!("organizacja pozarządowa „{name}”")
    } else {
        "organizacja pozarządowa działająca na Państwa terenie, która prosiła, by jej nazwa \
         pozostała do naszej wiadomości"
            .to_owned()
    }
}

/// A template's body for a case the federation found itself in the
/// cooperation monitor: the sentences that name who reported it say
/// where it was found instead.
pub fn found_in_monitor(body: &str) -> String {
    body.replace(
        "Sprawę zgłosiła nam {{zglaszajacy}}.",
        "Sprawę stwierdziliśmy w prowadzonym przez nas monitoringu współpracy samorządów z \
         organizacjami pozarządowymi.",
    )
    .replace(
        "Zgłoszenie w tej sprawie otrzymaliśmy od: {{zglaszajacy}}. Z przekazanych informacji \
         wynika, że:",
        "Z prowadzonego przez nas monitoringu współpracy samorządów z organizacjami \
         pozarządowymi wynika, że:",
    )
}

/// The facts of a case found in the monitor, as one paragraph.
pub fn monitor_facts(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The reporter's description as a paragraph of a letter: quoted only when
/// they allowed it, otherwise a sentence that says so without giving it.
pub fn description(share: bool, text: &str) -> String {
    let text = text.trim();
    if share && !text.is_empty() {
        // One paragraph: the letter's Markdown would split it at blank lines.
        let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
        format!("W zgłoszeniu czytamy: „{joined}”")
    } else {
        "Treść zgłoszenia pozostaje do naszej wiadomości; na prośbę zgłaszającej organizacji \
         nie przytaczamy jej w tym piśmie."
            .to_owned()
    }
}

/// What a case is about as a letter says it after "w sprawie" (the
/// genitive), from its category (interventions) or topic (advisory).
pub fn matter(subject: Subject) -> &'static str {
    use Subject::{Advice, Problem};
    match subject {
        Problem(Category::ProgrammeNotAdopted) => {
            "nieuchwalenia lub braku konsultacji rocznego programu współpracy z organizacjami \
             pozarządowymi"
        }
        Problem(Category::CooperationRules) => {
            "naruszenia zasad współpracy z organizacjami pozarządowymi"
        }
        Problem(Category::Transparency) => {
            "braku przejrzystości współpracy z organizacjami pozarządowymi"
        }
        Problem(Category::OpenCompetition) => "nieprawidłowości w otwartym konkursie ofert",
        Advice(Topic::Programme) => "rocznego programu współpracy z organizacjami pozarządowymi",
        Advice(Topic::Competition) => "otwartego konkursu ofert i rozliczenia dotacji",
        Advice(Topic::SmallGrants) => {
            "zlecania realizacji zadań publicznych w trybie art. 19a (małe granty)"
        }
        Advice(Topic::Consultation) => "konsultacji z organizacjami pozarządowymi",
        Advice(Topic::PublicInformation) => "dostępu do informacji publicznej",
        Advice(Topic::Council) => "rady działalności pożytku publicznego",
        Advice(Topic::Statute) => "statutu i organów organizacji",
        Problem(Category::Other) | Advice(Topic::Other) => {
            "współpracy z organizacjami pozarządowymi"
        }
    }
}

/// The notice a reminder ends with when the letter it follows was a
/// request for public information; nothing otherwise.
pub fn inaction_notice(public_information: bool) -> String {
    if public_information {
        "Przypominamy, że nieudostępnienie informacji publicznej w terminie określonym w art. 13 \
         ustawy o dostępie do informacji publicznej stanowi bezczynność, na którą przysługuje \
         skarga do wojewódzkiego sądu administracyjnego."
            .to_owned()
    } else {
        String::new()
    }
}

/// Why a step of a letter was refused.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error(transparent)]
    Move(#[from] super::cases::MoveError),
    #[error("To pismo zostało już wysłane.")]
    AlreadySent,
    #[error("Sprawa jest w stanie „nowa”. Najpierw zmień stan sprawy na „w analizie”.")]
    NotUnderReview,
    #[error("Najpierw zapisz wysyłkę pisma.")]
    NotSent,
    #[error("Odpowiedź na to pismo jest już zapisana.")]
    AlreadyReplied,
    #[error("Termin można przedłużyć tylko przy wniosku o udostępnienie informacji publicznej.")]
    NotPublicInformation,
    #[error("Data nie może być wcześniejsza niż data wysłania pisma.")]
    BeforeSending,
    #[error(transparent)]
    Dates(#[from] SendingError),
}

/// Why the dates of a letter's sending were refused, and which field is
/// wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendingError {
    #[error("Pismo nie mogło zostać wysłane przed datą, którą nosi ({0}). Popraw datę wysłania.")]
    SentBeforeDated(DayText),
    #[error("Data doręczenia nie może być wcześniejsza niż data wysłania ({0}).")]
    DeliveredBeforeSent(DayText),
    #[error("Data wysłania nie może być późniejsza niż dzisiejsza ({0}).")]
    SentAfterToday(DayText),
    #[error("Data doręczenia nie może być późniejsza niż dzisiejsza ({0}).")]
    DeliveredAfterToday(DayText),
    #[error("Przy wysyłce pocztą wpisz datę doręczenia z potwierdzenia odbioru; od niej biegnie termin odpowiedzi. Zapisz wysyłkę, gdy ją znasz.")]
    DeliveryUnknown,
}

impl SendingError {
    /// The form field the message belongs to.
    pub fn field(self) -> &'static str {
        match self {
            SendingError::SentBeforeDated(_) | SendingError::SentAfterToday(_) => "sent_on",
            SendingError::DeliveredBeforeSent(_)
            | SendingError::DeliveredAfterToday(_)
            | SendingError::DeliveryUnknown => "delivered_on",
        }
    }
}

/// A date as a message prints it ("28 listopada 2026 r.").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayText(pub Date);

impl std::fmt::Display for DayText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} r.", crate::domain::format::date(self.0))
    }
}

/// When a letter reached the office, as the sending form gives it: by
/// e-mail and ePUAP on the day it was sent unless a date is typed; by post
/// only the date on the confirmation of receipt will do. The reply
/// deadline runs from it.
pub fn delivery(via: SentVia, sent_on: Date, typed: Option<Date>) -> Result<Date, SendingError> {
    match (via, typed) {
        (_, Some(d)) => Ok(d),
        (SentVia::Post, None) => Err(SendingError::DeliveryUnknown),
        (_, None) => Ok(sent_on),
    }
}

/// A letter is sent on or after its own date and delivered on or after
/// it was sent, both no later than today.
pub fn check_sending(
    dated_on: Date,
    sent_on: Date,
    delivered_on: Date,
    today: Date,
) -> Result<(), SendingError> {
    if sent_on < dated_on {
        return Err(SendingError::SentBeforeDated(DayText(dated_on)));
    }
    if sent_on > today {
        return Err(SendingError::SentAfterToday(DayText(today)));
    }
    if delivered_on < sent_on {
        return Err(SendingError::DeliveredBeforeSent(DayText(sent_on)));
    }
    if delivered_on > today {
        return Err(SendingError::DeliveredAfterToday(DayText(today)));
    }
    Ok(())
}

/// The letterhead: the sender's name, its postal address, the e-mail
/// address replies go to, then any further lines (KRS, phone).
pub fn sender(name: &str, address: &[String], email: &str, more: &[String]) -> Vec<String> {
    let mut lines = vec![name.to_owned()];
    lines.extend(address.iter().filter(|l| !l.trim().is_empty()).cloned());
    if !email.is_empty() {
        lines.push(format!("e-mail: {email}"));
    }
    lines.extend(more.iter().cloned());
    lines
}

/// The addressee block: the organ, its office and the office's postal
/// address (typed with one line each, or with semicolons between them).
pub fn recipient(organ: &str, office: &str, address: &str) -> Vec<String> {
    let mut lines = vec![organ.to_owned()];
    if !office.trim().is_empty() {
        lines.push(office.trim().to_owned());
    }
    lines.extend(
        address
            .split(['\n', ';'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned),
    );
    lines
}

/// The signature block: the closing, who signs, their function.
pub fn signature(name: &str, function: &str) -> Vec<String> {
    let mut lines = vec!["Z poważaniem".to_owned(), name.to_owned()];
    if !function.trim().is_empty() {
        lines.push(function.trim().to_owned());
    }
    lines
}

/// Everything printed on a letter.
#[derive(Clone, Debug)]
pub struct PrintedLetter {
    /// The federation: name first, then address and contact lines.
    pub sender: Vec<String>,
    /// The JST and its office's address lines.
    pub recipient: Vec<String>,
    pub place: String,
    pub dated_on: Date,
    pub reference: String,
    pub title: String,
    pub body_md: String,
    /// Who signs, then their function.
    pub signature: Vec<String>,
}

/// One block of a letter's body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    Item(String),
}

/// The Markdown staff write in letters, as blocks: paragraphs, `#`
/// headings and `-` items; emphasis marks are dropped.
pub fn blocks(md: &str) -> Vec<Block> {
    let plain = |s: &str| s.replace("**", "").replace("__", "").trim().to_owned();
    let mut out = Vec::new();
    let mut paragraph = String::new();
    let flush = |paragraph: &mut String, out: &mut Vec<Block>| {
        if !paragraph.trim().is_empty() {
            out.push(Block::Paragraph(plain(paragraph)));
        }
        paragraph.clear();
    };
    for line in md.lines() {
        let t = line.trim();
        if t.is_empty() {
            flush(&mut paragraph, &mut out);
        } else if let Some(h) = t.strip_prefix('#') {
            flush(&mut paragraph, &mut out);
            out.push(Block::Heading(plain(h.trim_start_matches('#'))));
        } else if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            flush(&mut paragraph, &mut out);
            out.push(Block::Item(plain(item)));
        } else {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(t);
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_unknown_ones_stay() {
        let text = fill(
            "Do {{urzad}} w sprawie {{ znak }}: {{nieznany}} i {{ niedomkniety",
            &[
                ("urzad", "Gmina Płońsk".into()),
                ("znak", "INT/2026/001".into()),
            ],
        );
        assert_eq!(
            text,
            "Do Gmina Płońsk w sprawie INT/2026/001: {{nieznany}} i {{ niedomkniety"
        );
    }

    #[test]
    fn the_reporter_is_named_only_when_they_allowed_it() {
        assert_eq!(
            reporter(true, "Stowarzyszenie Razem"),
            "organizacja pozarządowa „Stowarzyszenie Razem”"
        );
        assert!(!reporter(false, "Stowarzyszenie Razem").contains("Razem"));
        // Either form completes "Sprawę zgłosiła nam …" in the nominative.
        for r in [reporter(true, "Fundacja X"), reporter(false, "Fundacja X")] {
            assert!(r.starts_with("organizacja pozarządowa "), "{r}");
        }
    }

    #[test]
    fn the_description_is_quoted_only_when_the_reporter_allowed_it() {
        let text = "Rada nie uchwaliła programu.\n\nNikt nie odpowiada.";
        assert_eq!(
            description(true, text),
            "W zgłoszeniu czytamy: „Rada nie uchwaliła programu. Nikt nie odpowiada.”"
        );
        let withheld = description(false, text);
        assert!(!withheld.contains("Rada"), "{withheld}");
        assert!(withheld.contains("pozostaje do naszej wiadomości"));
    }

    #[test]
    fn every_category_and_topic_reads_after_w_sprawie() {
        let subjects = Category::ALL
            .iter()
            .map(|c| Subject::Problem(*c))
            .chain(Topic::ALL.iter().map(|t| Subject::Advice(*t)));
        for subject in subjects {
            let m = matter(subject);
            assert!(
                !m.is_empty() && m.chars().next().is_some_and(char::is_lowercase),
                "{subject:?}"
            );
        }
        assert_eq!(
            matter(Subject::Problem(Category::OpenCompetition)),
            "nieprawidłowości w otwartym konkursie ofert"
        );
    }

    #[test]
    fn sending_before_the_letters_date_or_delivery_before_sending_is_refused() {
        let d = |day| jiff::civil::date(2026, 12, day);
        assert_eq!(check_sending(d(2), d(2), d(2), d(9)), Ok(()));
        assert_eq!(check_sending(d(2), d(3), d(7), d(9)), Ok(()));
        let early = check_sending(d(2), d(1), d(3), d(9)).unwrap_err();
        assert_eq!(early.field(), "sent_on");
        assert_eq!(
            early.to_string(),
            "Pismo nie mogło zostać wysłane przed datą, którą nosi (2 grudnia 2026 r.). Popraw datę wysłania."
        );
        let late = check_sending(d(2), d(4), d(3), d(9)).unwrap_err();
        assert_eq!(late.field(), "delivered_on");
        assert!(late.to_string().contains("4 grudnia 2026 r."));
    }

    #[test]
    fn sending_or_delivery_after_today_is_refused_and_post_needs_its_delivery() {
        let d = |day| jiff::civil::date(2026, 12, day);
        let future = check_sending(d(2), d(9), d(9), d(2)).unwrap_err();
        assert_eq!(future.field(), "sent_on");
        assert_eq!(
            future.to_string(),
            "Data wysłania nie może być późniejsza niż dzisiejsza (2 grudnia 2026 r.)."
        );
        let delivered = check_sending(d(1), d(2), d(3), d(2)).unwrap_err();
        assert_eq!(delivered, SendingError::DeliveredAfterToday(DayText(d(2))));
        assert_eq!(delivery(SentVia::Email, d(2), None), Ok(d(2)));
        assert_eq!(delivery(SentVia::Post, d(2), Some(d(4))), Ok(d(4)));
        let unknown = delivery(SentVia::Post, d(2), None).unwrap_err();
        assert_eq!(unknown.field(), "delivered_on");
    }

    #[test]
    fn a_letter_is_dated_between_the_report_and_today() {
        let d = |y, m, day| jiff::civil::date(y, m, day);
        let (reported, today) = (d(2026, 12, 2), d(2026, 12, 9));
        assert_eq!(check_dated(d(2026, 12, 2), reported, today), Ok(()));
        assert_eq!(check_dated(d(2026, 12, 9), reported, today), Ok(()));
        assert_eq!(
            check_dated(d(2020, 1, 1), reported, today)
                .unwrap_err()
                .to_string(),
            "Pismo nie może nosić daty wcześniejszej niż dzień zgłoszenia sprawy (2 grudnia 2026 r.)."
        );
        assert_eq!(
            check_dated(d(2026, 12, 10), reported, today),
            Err(DatedError::AfterToday(DayText(today)))
        );
    }

    #[test]
    fn a_reminder_follows_a_sent_letter_whose_deadline_passed_unanswered() {
        let d = |day| jiff::civil::date(2026, 12, day);
        let due = |day| Earlier {
            reply_due: Some(d(day)),
            replied: false,
        };
        assert_eq!(check_reminder(None, d(20)), Err(ReminderError::NothingSent));
        let early = check_reminder(Some(due(14)), d(14)).unwrap_err();
        assert_eq!(
            early.to_string(),
            "Na odpowiedź urzędu czekamy jeszcze do 14 grudnia 2026 r. włącznie; przypomnienie \
             będzie można przygotować od 15 grudnia 2026 r."
        );
        assert_eq!(check_reminder(Some(due(14)), d(15)), Ok(()));
        let answered = Earlier {
            replied: true,
            ..due(1)
        };
        assert_eq!(
            check_reminder(Some(answered), d(20)),
            Err(ReminderError::Answered)
        );
    }

    #[test]
    fn a_left_placeholder_is_found_and_each_category_cites_its_own_provisions() {
        assert_eq!(
            unfilled("z dnia {{poprzednie_pismo}} (znak: X)"),
            Some("{{poprzednie_pismo}}".to_owned())
        );
        assert_eq!(unfilled("bez pól"), None);
        assert_eq!(unfilled("koniec {{ otwarte"), Some("{{ otwarte".to_owned()));
        use Subject::{Advice, Problem};
        assert!(legal_basis(Problem(Category::ProgrammeNotAdopted)).contains("art. 5a ust. 1"));
        let transparency = legal_basis(Problem(Category::Transparency));
        assert!(transparency.contains("art. 5a ust. 3"), "{transparency}");
        assert!(!transparency.contains("art. 5a ust. 1"), "{transparency}");
        assert!(legal_basis(Problem(Category::OpenCompetition)).contains("art. 15 ust. 2a–2j"));
        assert!(legal_basis(Advice(Topic::SmallGrants)).contains("art. 19a"));
        assert!(legal_basis(Advice(Topic::Consultation)).contains("art. 5 ust. 5"));
        assert!(legal_basis(Advice(Topic::Council)).contains("art. 41e"));
        assert!(legal_basis(Advice(Topic::PublicInformation)).contains("art. 61 Konstytucji"));
        assert!(legal_basis(Problem(Category::Other)).contains("art. 5 ust. 3"));
        assert!(legal_basis(Advice(Topic::Other)).contains("art. 5 ust. 3"));
    }

    #[test]
    fn markdown_becomes_paragraphs_headings_and_items() {
        assert_eq!(
            blocks("# Wniosek\n\nPierwszy\nwiersz **ważny**.\n\n- jeden\n- dwa\n"),
            vec![
                Block::Heading("Wniosek".into()),
                Block::Paragraph("Pierwszy wiersz ważny.".into()),
                Block::Item("jeden".into()),
                Block::Item("dwa".into()),
            ]
        );
    }
}
