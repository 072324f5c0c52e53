-- The signatory's function is typed with each letter and kept with it.
ALTER TABLE letter ADD COLUMN signatory_function TEXT NOT NULL DEFAULT '';

-- A request for explanations cites the provisions of its case's category
-- ({{podstawa_prawna}}), not always the annual programme's; templates an
-- admin already changed stay.
UPDATE letter_template SET body_md = 'Szanowni Państwo,

zwracamy się z prośbą o wyjaśnienia w sprawie {{kategoria}}.

Sprawę zgłosiła nam {{zglaszajacy}}.

{{opis}}

{{podstawa_prawna}}

Prosimy o wyjaśnienie sprawy i wskazanie podjętych lub planowanych działań w terminie 14 dni od dnia otrzymania niniejszego pisma. Odpowiedź prosimy przesłać na adres poczty elektronicznej {{email_nadawcy}}.'
WHERE code = 'explanations' AND body_md = 'Szanowni Państwo,

zwracamy się z prośbą o wyjaśnienia w sprawie {{kategoria}}.

Sprawę zgłosiła nam {{zglaszajacy}}.

{{opis}}

Zgodnie z art. 5 ust. 3 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego i o wolontariacie współpraca samorządu z organizacjami pozarządowymi odbywa się na zasadach pomocniczości, suwerenności stron, partnerstwa, efektywności, uczciwej konkurencji i jawności, a organ stanowiący jednostki samorządu terytorialnego uchwala roczny program współpracy (art. 5a ust. 1).

Prosimy o wyjaśnienie sprawy i wskazanie podjętych lub planowanych działań w terminie 14 dni od dnia otrzymania niniejszego pisma. Odpowiedź prosimy przesłać na adres poczty elektronicznej {{email_nadawcy}}.';
