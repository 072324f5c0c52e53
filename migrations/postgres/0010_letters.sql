-- Letters go to an organ of the JST (Wójt Gminy, Burmistrz, Prezydent
-- Miasta, Starosta, Marszałek Województwa), chosen by the kind of JST
-- unless staff wrote it on the office's record; the office's own name is
-- printed under it. Empty means "by the kind of JST".
ALTER TABLE office ADD COLUMN organ TEXT NOT NULL DEFAULT '';
ALTER TABLE office ADD COLUMN office_name TEXT NOT NULL DEFAULT '';

-- Whether the reporter allowed their description of the problem to be
-- quoted in letters to the JST. Reports made before the form asked are
-- taken as not allowed.
ALTER TABLE case_file ADD COLUMN share_description BIGINT NOT NULL DEFAULT 0;

-- The seeded letters, rewritten so that every sentence reads right with
-- its placeholders filled in; templates an admin already changed stay.
UPDATE letter_template SET body_md = 'Szanowni Państwo,

zwracamy się z prośbą o wyjaśnienia w sprawie {{kategoria}}.

Sprawę zgłosiła nam {{zglaszajacy}}.

{{opis}}

Zgodnie z art. 5 ust. 3 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego i o wolontariacie współpraca samorządu z organizacjami pozarządowymi odbywa się na zasadach pomocniczości, suwerenności stron, partnerstwa, efektywności, uczciwej konkurencji i jawności, a organ stanowiący jednostki samorządu terytorialnego uchwala roczny program współpracy (art. 5a ust. 1).

Prosimy o wyjaśnienie sprawy i wskazanie podjętych lub planowanych działań w terminie 14 dni od dnia otrzymania niniejszego pisma. Odpowiedź prosimy przesłać na adres poczty elektronicznej {{email_nadawcy}}.'
WHERE code = 'explanations' AND body_md = 'Szanowni Państwo,

zwracamy się z prośbą o wyjaśnienia w sprawie: {{kategoria}}.

Zgłoszenie w tej sprawie otrzymaliśmy od: {{zglaszajacy}}. Z przekazanych informacji wynika, że:

{{opis}}

Zgodnie z art. 5 ust. 3 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego i o wolontariacie współpraca samorządu z organizacjami pozarządowymi odbywa się na zasadach pomocniczości, suwerenności stron, partnerstwa, efektywności, uczciwej konkurencji i jawności, a organ stanowiący uchwala roczny program współpracy (art. 5a ust. 1).

Prosimy o wyjaśnienie sprawy i wskazanie podjętych lub planowanych działań w terminie 14 dni od otrzymania pisma.';

UPDATE letter_template SET body_md = 'Szanowni Państwo,

na podstawie art. 61 Konstytucji Rzeczypospolitej Polskiej oraz art. 2 ust. 1 i art. 10 ust. 1 ustawy z dnia 6 września 2001 r. o dostępie do informacji publicznej wnosimy o udostępnienie informacji publicznej w sprawie {{kategoria}}, a w szczególności:

- uchwał i zarządzeń dotyczących tej sprawy wraz z datami ich podjęcia,
- dokumentów z konsultacji z organizacjami pozarządowymi (ogłoszenia o konsultacjach i sprawozdania z ich przebiegu),
- opinii rady działalności pożytku publicznego, jeżeli została wydana.

Informację prosimy przekazać w formie elektronicznej na adres poczty elektronicznej nadawcy: {{email_nadawcy}}, bez zbędnej zwłoki, nie później niż w terminie 14 dni od dnia złożenia wniosku (art. 13 ust. 1). Jeżeli informacja nie może zostać udostępniona w tym terminie, prosimy o powiadomienie nas o powodach opóźnienia oraz o terminie jej udostępnienia, nie dłuższym niż 2 miesiące od dnia złożenia wniosku (art. 13 ust. 2).'
WHERE code = 'public_information' AND body_md = 'Szanowni Państwo,

na podstawie art. 2 ust. 1 ustawy z dnia 6 września 2001 r. o dostępie do informacji publicznej wnosimy o udostępnienie informacji publicznej w sprawie: {{kategoria}}, w tym:

{{opis}}

Informację prosimy przekazać w formie elektronicznej na adres poczty elektronicznej nadawcy, bez zbędnej zwłoki, nie później niż w terminie 14 dni od dnia złożenia wniosku (art. 13 ust. 1). Jeżeli informacja nie może być udostępniona w tym terminie, prosimy o powiadomienie nas o powodach opóźnienia i o terminie udostępnienia, nie dłuższym niż 2 miesiące od dnia złożenia wniosku (art. 13 ust. 2).';

UPDATE letter_template SET body_md = 'Szanowni Państwo,

w nawiązaniu do naszego pisma z dnia {{poprzednie_pismo}} (znak: {{znak}}) w sprawie {{kategoria}} uprzejmie przypominamy, że do dnia dzisiejszego nie otrzymaliśmy odpowiedzi.

Prosimy o odpowiedź w terminie 7 dni od dnia otrzymania niniejszego pisma na adres poczty elektronicznej {{email_nadawcy}}.

{{bezczynnosc}}'
WHERE code = 'reminder' AND body_md = 'Szanowni Państwo,

w nawiązaniu do naszego pisma z dnia {{poprzednie_pismo}} (znak {{znak}}) w sprawie: {{kategoria}}, uprzejmie przypominamy, że do dziś nie otrzymaliśmy odpowiedzi.

Prosimy o odpowiedź w terminie 7 dni od otrzymania niniejszego pisma. Brak odpowiedzi na wniosek o udostępnienie informacji publicznej stanowi bezczynność, na którą przysługuje skarga do wojewódzkiego sądu administracyjnego.';
