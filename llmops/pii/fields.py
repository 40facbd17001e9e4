"""Personal data by the field it is written in: "Claimant: Laurie Mcclain", "Private phone: 7013742225",
a ``surname`` column of a CSV export, the ``Phone`` column of a Markdown table.

Forms, exports and tables say what each value is in a label or a header; the value itself often gives
no clue (a bare given name, ten digits, a date). One table from label words to entity types
(`field_entity`) types both "Label: value" fields and table columns, so a field means the same
wherever it is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from llmops.pii import chinese
from llmops.pii.names import NOT_NAMES, ORG_WORDS, looks_like_name, name_lists

_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# Dates as people write them: ISO, day/month/year in any order of separators, month names, Chinese.
DATE = (
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+{_MONTH},?[ \t]+\d{{4}}"
    rf"|{_MONTH}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}}"
    rf"|\d{{1,2}}[-/.]{_MONTH}[-/.](?:\d{{4}}|\d{{2}})|\d{{1,2}}{_MONTH}\d{{4}}"
    r"|\d{1,2}\.[ \t]\d{1,2}\.[ \t]?\d{4}"
    r"|\d{4}[ \t]*年[ \t]*\d{1,2}[ \t]*月[ \t]*\d{1,2}[ \t]*日)"
)

# Label words, matched against the label's lower-cased words (and word pairs), in this order: a
# "Birth name" is a name, a "Phone owner" is a phone, "Contact address" an address.
# Label words in the languages enterprise records come in, and the keys of vCard/LDAP exports.
_BIRTH = {"dob", "d.o.b", "d.o.b.", "birth", "born", "birthday", "birthdate", "bday", "出生日期", "出生", "生日",
          "geburtsdatum", "geboren", "naissance", "né", "née", "nacimiento", "nascita", "nascimento",
          "geboortedatum", "födelsedatum", "fødselsdato", "syntymäaika", "urodzenia", "narození",
          "születési", "doğum", "dzimšanas", "gimimo", "sünniaeg", "rođenja", "rojstva", "narodenia"}
# One-letter labels are signature lines: "T: 0207 946 0958", "M: 0612345678".
_PHONE = {"phone", "tel", "tel.", "telephone", "mobile", "mob", "ph", "cell", "cellphone", "fax", "whatsapp",
          "landline", "line", "t", "m", "p", "f", "电话", "手机", "联系电话", "手机号", "telefon", "telefono",
          "teléfono", "tél", "tél.", "téléphone", "portable", "handy", "mobil", "celular", "móvil", "cellulare",
          "puhelin", "tālrunis", "telefonas", "gsm", "telefoon", "homephone", "telephonenumber"}
_ADDRESS = {"address", "addr", "adr", "street", "residence", "domicile", "home", "地址", "住址", "家庭住址",
            "adresse", "anschrift", "dirección", "direccion", "domicilio", "indirizzo", "endereço", "adres",
            "osoite", "adresa", "cím", "adresas", "adrese", "aadress", "morada", "postaladdress"}
# Words that make an address label technical ("IP address", "E-mail address") or a name label a
# thing's ("Product name", "Host name", "User name" is a login): nothing personal to type.
_NOT_PERSONAL = {
    "e-mail", "email", "mail", "ip", "ipv4", "ipv6", "mac", "web", "url", "wallet", "memory", "server",
    "network", "product", "company", "brand", "model", "device", "host name", "hostname", "file", "app",
    "project", "team", "domain", "package", "branch", "field", "column", "org",
    "organisation", "organization", "department", "city", "country", "site", "location", "event",
    "plan", "merchant", "category", "employer", "school", "bank", "user", "username", "account",
    "service", "queue", "job", "task", "table", "database", "schema", "key", "tag", "label", "version",
    "release", "feature", "step", "stage", "menu", "screen", "button", "window", "method", "function",
    "class", "variable", "parameter", "option", "command", "font", "theme", "printer", "room",
    "building", "street", "role", "title", "job title", "position", "vendor", "supplier", "store",
}
_PERSON = {
    "name", "names", "surname", "surnames", "forename", "given", "first name", "last name",
    "family name", "full name", "maiden", *chinese.ROLE_LABELS,
    "customer", "client", "agent", "caller", "requester", "requestor", "reporter", "assignee", "owner",
    "technician", "engineer", "rep", "representative", "contact", "employee", "staff", "patient",
    "applicant", "driver", "passenger", "manager", "supervisor", "candidate", "chair", "chairperson",
    "host", "approver", "reviewer", "recipient", "sender", "buyer", "seller", "cardholder", "holder",
    "beneficiary", "payee", "guest", "tenant", "landlord", "consignee", "addressee", "attendee",
    "attendees", "participant", "participants", "present", "absent", "apologies", "invitees",
    "referee", "witness", "signatory", "signed", "countersigned", "claimant", "author", "authors",
    "implementer", "implementers", "owners", "approvers", "reviewers", "spouse", "partner", "child",
    "children", "dependant", "dependent", "parent", "father", "mother", "guardian", "kin", "member",
    "members", "person", "visitor", "doctor", "physician", "nurse", "student", "teacher",
    "instructor", "trainer", "interviewer", "interviewee", "speaker", "presenter", "moderator",
    "secretary", "treasurer", "minutes", "marshal", "lead", "director", "officer", "coordinator",
    "maintainer", "submitter", "requested by", "approved by", "reviewed by", "prepared by",
    "signed by", "checked by", "handled by", "from", "to", "cc", "attn", "attention", "who",
    "fn", "cn", "sn", "nombre", "apellido", "apellidos", "nom", "prénom", "vorname", "nachname", "naam",
    "voornaam", "achternaam", "navn", "namn", "efternamn", "nimi", "imię", "nazwisko", "jméno", "příjmení",
    "meno", "priezvisko", "név", "vārds", "uzvārds", "vardas", "pavardė", "nome", "cognome", "sobrenome",
    "ad", "soyad", "ime", "prezime", "priimek", "kontakt", "ansprechpartner", "titular", "paciente",
    "patient", "cliente", "kunde", "asiakas", "klient", "pasażer", "passager", "pasajero",
    "policyholder", "insured", "handler", "clinician", "traveller", "traveler", "account holder", "pupil",
    "consignor", "shipper", "renter", "hirer", "lessee", "borrower", "debtor", "creditor", "heir",
}
# Words too common to type a longer label ("Note from Victoria", "Home page"): only alone.
_ALONE_ONLY = {"t", "m", "p", "f", "fn", "cn", "sn", "ad", "nom", "né", "née", "from", "to", "cc", "attn", "who",
               "line", "home", "present", "absent", "minutes", "host", "signed", "child", "partner", "member",
               "person", "lead"}
_LABEL_TYPES = (("DATE_OF_BIRTH", _BIRTH), ("PHONE_NUMBER", _PHONE), ("STREET_ADDRESS", _ADDRESS),
                ("PERSON", _PERSON))
FIELD_ENTITIES = tuple(entity for entity, _ in _LABEL_TYPES)
_MAX_LABEL_WORDS = 5


def field_entity(label: str) -> str | None:
    """The entity type a field's values have, from its label or column header; None when untyped."""
    words = re.sub(r"[_*#()\[\]]+|(?<=[a-z])(?=[A-Z])", " ", label).lower().replace("-", " ").split()
    if not words or len(words) > _MAX_LABEL_WORDS:
        return None
    terms = set(words) | {" ".join(pair) for pair in zip(words, words[1:])} | {"".join(words)}
    if len(words) > 1:
        terms -= _ALONE_ONLY
    if "e mail" in terms:
        terms.add("e-mail")
    for entity, vocabulary in _LABEL_TYPES:
        if terms & vocabulary:
            # "Date of birth" is a birth date whatever else it says; the others lose to a thing-word.
            if entity != "DATE_OF_BIRTH" and terms & _NOT_PERSONAL and not terms & {"phone", "mobile"}:
                return None
            return entity
    return None


# A name item in a field value: name words (all-capital surnames too: "SCHLOSSER, Marko"), or
# "Surname, Given" written the way registers sort people.
_CAPS_WORD = regex.compile(r"\p{Lu}{2,}(?:-\p{Lu}{2,})*")
_SURNAME_FIRST = regex.compile(r"\p{Lu}[\p{L}'’\-]+,[ \t]+\p{Lu}[\p{L}'’\-]+(?:[ \t]+\p{Lu}[\p{L}'’.\-]*)?")
_ITEM_SEPARATORS = regex.compile(r"[ \t]*(?:/|->|→|=>|&|\+|,|;|\band\b|\bund\b|\bet\b|\by\b)[ \t]*")
_PARENTHESIS = regex.compile(r"[ \t]*[(\[（][^)\]）\n]*[)\]）]")
_PHONE_VALUE = regex.compile(r"(?:\+|\(\+?)?\d(?:[ .\-()/]{0,2}\d){6,16}")
# In a birth-date field even a bare "19710410" is the date.
_DATE_VALUE = regex.compile(rf"{DATE}|(?<!\d)(?:19|20)\d{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)")


_PARTICLES = {"van", "von", "de", "da", "der", "den", "del", "della", "di", "du", "la", "le", "dos", "das",
              "do", "ten", "ter", "al", "bin", "binti", "ibn", "ben"}


def _is_name(item: str) -> bool:
    """A name as forms write it: "Ana Lima"; a surname in capitals beside a written name ("SCHLOSSER
    Marko"); a name all in capitals ("MARY MAYNARD") only when the name lists know every word of it,
    since capitals are also how acronyms and teams are written ("IT OPS")."""
    if chinese.is_full_name(item):  # 王芳 under 姓名
        return True
    words = item.split()
    if not 1 <= len(words) <= 4 or not all(w[0].isupper() or w in _PARTICLES for w in words):
        return False
    mixed = [w for w in words if not _CAPS_WORD.fullmatch(w)]
    if not mixed:
        return name_lists().capitals_name(item)
    return looks_like_name(" ".join(mixed)) and NOT_NAMES.isdisjoint(words) and ORG_WORDS.isdisjoint(words)


def _names(value: str, offset: int) -> Iterator[tuple[int, int]]:
    """Spans of the person names in a field value: each item of a list of names."""
    if _SURNAME_FIRST.fullmatch(value.strip()):
        start = offset + len(value) - len(value.lstrip())
        yield start, start + len(value.strip())
        return
    position = 0
    for separator in [*_ITEM_SEPARATORS.finditer(value), None]:
        end = separator.start() if separator else len(value)
        item = value[position:end]
        core = item.strip()
        if core and _is_name(core):
            start = offset + position + item.index(core)
            yield start, start + len(core)
        position = separator.end() if separator else len(value)


def _value_spans(entity: str, value: str, offset: int) -> Iterator[tuple[int, int]]:
    """Where the personal data of a typed field lies in its value."""
    if entity == "PERSON":
        if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":  # YAML: name: "Purmals, Oskars"
            value, offset = value[1:-1], offset + 1
        cut = _PARENTHESIS.search(value)  # "Marja Ikonen (0419602179)": the name, not the remark
        yield from _names(value[: cut.start()] if cut else value, offset)
    elif entity == "PHONE_NUMBER":
        for match in _PHONE_VALUE.finditer(value):
            if sum(c.isdigit() for c in match.group()) >= 7:
                yield offset + match.start(), offset + match.end()
    elif entity == "DATE_OF_BIRTH":
        match = _DATE_VALUE.search(value)
        if match:
            yield offset + match.start(), offset + match.end()
    else:
        core = value.split("  ")[0].split(" (")[0].rstrip(" ,;.")
        if any(c.isdigit() for c in core) and sum(c.isalpha() for c in core) >= 3 and len(core) >= 6:
            start = offset + len(value) - len(value.lstrip())
            yield start, offset + len(core)


# "Label: value" fields, several to a line when set apart by two spaces, a tab or a bar; vCard
# parameters ("TEL;TYPE=cell:") and dotted leaders ("Patient name ....... MARY MAYNARD") too.
_FIELD = regex.compile(
    r"(?:^|(?<=[ \t]{2}|\t|\|))[ \t]*(?:[-*•][ \t]+|\d{1,2}[.)][ \t]+)?(?:\*\*|__)?"
    r"(?P<label>\p{L}[\p{L}\d'’()./ \-]{0,38}?)(?:;[^:\n]{0,40})?(?:\*\*|__)?"
    r"(?:[ \t]*[:：]|[ \t]*[.…_]{3,}[ \t]*:?)(?:\*\*|__)?[ \t]*"
    r"(?P<value>[^\n|]*?)(?=[ \t]{2,}|\t|[ \t]*\||[ \t]*$)",
    regex.MULTILINE,
)
# JSON and quoted YAML: "real_name": "Ana Lima".
_QUOTED_FIELD = regex.compile(r'"(?P<label>[^"\n]{1,40})"[ \t]*:[ \t]*"(?P<value>[^"\n]*)"')


def _label_fields(text: str) -> Iterator[tuple[str, int, int]]:
    for match in [*_FIELD.finditer(text), *_QUOTED_FIELD.finditer(text)]:
        entity = field_entity(match.group("label"))
        if entity and match.group("value"):
            for start, end in _value_spans(entity, match.group("value"), match.start("value")):
                yield entity, start, end


_SEPARATOR_ROW = re.compile(r"[ \t|:\-+=]+")


_ALIGNED_CELL = regex.compile(r"\S+(?: \S+)*")  # fixed-width columns: two spaces or more apart
ALIGNED = "  "


def _cells(line: str, delimiter: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a delimited line, quotes respected; a pipe row's outer bars dropped."""
    if delimiter == ALIGNED:
        return [m.span() for m in _ALIGNED_CELL.finditer(line)]
    cells, start, quoted = [], 0, False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            cells.append((start, i))
            start = i + 1
    cells.append((start, len(line)))
    if delimiter == "|":
        if cells and not line[: cells[0][1]].strip():
            cells = cells[1:]
        if cells and not line[cells[-1][0] :].strip():
            cells = cells[:-1]
    return cells


def _table_fields(text: str) -> Iterator[tuple[str, int, int]]:
    """Typed cells of CSV/TSV blocks, pipe tables and fixed-width listings: a header row, then rows
    of as many cells (a fixed-width listing may wrap a row onto lines of its own, which are passed
    over; a blank line ends it)."""
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    i = 0
    while i < len(lines) - 1:
        start, header = lines[i]
        for delimiter in ("|", "\t", ";", ",", ALIGNED):
            if delimiter not in header.strip():
                continue
            head = _cells(header, delimiter)
            columns = {n: field_entity(header[a:b].strip().strip('"')) for n, (a, b) in enumerate(head)}
            if len(head) < 2 or not any(columns.values()):
                continue
            j = i + 1
            while j < len(lines):
                row_start, row = lines[j]
                if delimiter == "|" and _SEPARATOR_ROW.fullmatch(row):
                    j += 1
                    continue
                cells = _cells(row, delimiter)
                if not row.strip() or (len(cells) != len(head) and delimiter != ALIGNED):
                    break
                if len(cells) != len(head):
                    j += 1
                    continue
                for n, (a, b) in enumerate(cells):
                    entity = columns[n]
                    if entity:
                        raw = row[a:b]
                        quote = 1 if raw.strip().startswith('"') else 0
                        value = raw.strip().strip('"') if quote else raw
                        value_start = row_start + a + (raw.index('"') + 1 if quote else 0)
                        for span in _value_spans(entity, value, value_start):
                            yield (entity, *span)
                j += 1
            if j > i + 1:
                i = j - 1
                break
        i += 1


class FieldRecognizer(EntityRecognizer):
    """Names, phone numbers, addresses and birth dates by the label or column they are written under."""

    FIELD_SCORE = 0.75

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_entities=list(FIELD_ENTITIES), name="FieldRecognizer",
                         supported_language=supported_language)

    def load(self) -> None:
        """Nothing to load: rules only."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """One result per typed value found in a labelled field or a table cell."""
        found = {*_label_fields(text), *_table_fields(text)}
        return [
            RecognizerResult(entity, start, end, self.FIELD_SCORE,
                             recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                   RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})
            for entity, start, end in sorted(found)
            if entity in entities and end > start
        ]
