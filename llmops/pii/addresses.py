"""Street addresses as people write them in many countries: "221B Baker Street", "47 rue de la
République", "Bahnhofstraße 71a", "Calle de Alcalá 123", with their unit, city and postcode parts, and
the street line of a letter's address block above a postcode-and-city line."""

from __future__ import annotations

from presidio_analyzer import Pattern

from llmops.pii.names import NAME

# Street addresses in the formats support data carries: "221B Baker Street" (EN/US/IN/CN in
# English), "47 rue de la République" (FR), "Bahnhofstraße 71a" / "Am Mühlbach 12" /
# "Dorpsstraat 78" (DE/NL), "Calle de Alcalá 123" (ES), each optionally behind a flat/room
# prefix and followed by city, district, state and postcode parts.
_ADDRESS_WORD = r"\p{Lu}[\p{L}'’.\-]*"
_UNIT_PREFIX = (
    r"(?:(?:Flat|Apt\.?|Apartment|Unit|Suite|Room)[ \t]*\d+[A-Za-z]?,?[ \t]*"
    r"(?:(?:Building|Block|Tower)[ \t]*\w+,?[ \t]*)?)?"
)
_EN_SUFFIX = (
    r"(?:(?:Street|Avenue|Road|Lane|Boulevard|Drive|Way|Court|Place|Parkway|Terrace|Close|"
    r"Crescent|Square|Highway|Circle|Row|Gardens|Grove|Mews|Hill|Rise|Walk|Green|Parade|"
    r"Esplanade|Promenade|Quay|Wharf|Trail|Heights|Plaza|Vale|View|Circuit|Loop|Pike|Alley|"
    r"Turnpike|Expressway|Freeway|Crossing|Cove|Glen|Meadows?|Ridge|Strand|Park)\b"
    r"|(?:St|Ave|Rd|Ln|Blvd|Dr|Ct|Pl|Pkwy|Sq|Hwy)\b\.?)"
)
_STREET_EN = (
    rf"\b\d{{1,5}}[A-Za-z]?(?:-\d{{1,5}})?[ \t]+(?:{_ADDRESS_WORD}[ \t]+){{1,4}}{_EN_SUFFIX}"
    r"(?:,?[ \t]*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor)\.?[ \t]*#?[\w-]+)?"
)
_PARTICLES = r"(?:(?:de|du|des|del|la|las|los|le|di|da|l'|d')[ \t]*)*"
_STREET_FR = (
    r"\b\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+"
    r"(?i:rue|boulevard|bd|avenue|av\.|place|chemin|allée|quai|impasse|route|cours|passage)"
    rf"[ \t]+{_PARTICLES}{_ADDRESS_WORD}(?:[ \t]+{_PARTICLES}{_ADDRESS_WORD}){{0,3}}"
)
_STREET_DE = (
    r"\b(?:(?:Am|An[ \t]+der|Im|Auf[ \t]+dem)[ \t]+\p{Lu}[\p{L}\-]*|\p{Lu}[\p{L}\-]*"
    r"(?:straße|strasse|str\.|weg|platz|allee|gasse|straat|laan|gracht|plein|steeg|kade|dijk)"
    r"|\p{Lu}[\p{L}\-]*[ \t]+(?:Straße|Strasse|Str\.|Weg|Platz|Allee|Gasse))"
    r"[ \t]+\d{1,4}[a-zA-Z]?\b"
)
_STREET_ES = (
    r"\b(?:Calle|C/|Avenida|Avda\.|Plaza|Paseo|Carrer|Camino|Ronda|Via|Viale|Piazza|Corso|Rua)"
    rf"[ \t]+{_PARTICLES}{_ADDRESS_WORD}(?:[ \t]+{_PARTICLES}{_ADDRESS_WORD}){{0,3}},?[ \t]+"
    r"\d{1,4}[a-zA-Z]?\b"
)
_STREET = rf"{_UNIT_PREFIX}(?:{_STREET_EN}|{_STREET_FR}|{_STREET_DE}|{_STREET_ES})"
# City words need a lower-case letter so that a UK postcode ("NW1 6XE") is not read as a city.
_CITY = (
    r"\p{Lu}\p{Ll}[\p{L}'’\-]*"
    r"(?:[ \t]+(?:(?:am|an|im|der|de|sur|upon|on|la|le)[ \t]+)?\p{Lu}\p{Ll}[\p{L}'’\-]*){0,2}\b"
)
_POSTCODE = (
    r"(?:[A-Z]{2,3}[ \t]+\d{4,5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}"
    r"|\d{4}[ \t]?[A-Z]{2}|\d{4,6}(?:-\d{4})?|\d{1,2}[ºª°](?:[ \t]*[A-Z])?"
    r"|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)\b"  # Canada: "K4P 9X6"
)
_ADDRESS_PART = rf"(?:{_POSTCODE}|{_CITY})"
_ADDRESS_TAIL = rf",[ \t]*{_ADDRESS_PART}(?:,?[ \t]+{_ADDRESS_PART}|,[ \t]*{_ADDRESS_PART}){{0,4}}"
# Any "<number> <Words>" is a street once a postcode follows ("2105 Stewart Springs, East
# Adrianamouth, NY 70380"): street-type words differ in every language, postcodes are the evidence.
_NUMBERED_STREET = (
    rf"\b\d{{1,5}}[A-Za-z]?[ \t]+(?:\p{{Ll}}{{2,8}}[ \t]+)?(?:{_ADDRESS_WORD}[ \t]+){{0,3}}{_ADDRESS_WORD}"
    r"(?:,?[ \t]+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor)\.?[ \t]*#?[\w-]+)?"
)
_POSTCODE_TAIL = rf",[ \t]*(?:{_CITY},?[ \t]+)?{_POSTCODE}"
# The line under a street in a letter's address block: "74-217 Włocławek", "6731 DN Oudezijl",
# "LV-3486 Jelgava", "Whitemouth, AS 09166", "New Simontown N59 6RP", "Makati 1273".
_POSTCODE_CITY = (
    rf"(?:(?:[A-Z]{{1,2}}-)?(?:\d{{2,3}}[ -]\d{{2,3}}|\d{{4,5}}(?:-\d{{3,4}})?|\d{{4}}[ \t]?[A-Z]{{2}})[ \t]+{_CITY}"
    rf"|{_CITY},?[ \t]+(?:[A-Z]{{2}}[ \t]+)?(?:\d{{4,6}}(?:-\d{{4}})?|[A-Z]{{1,2}}\d[A-Z\d]?[ \t]*\d[A-Z]{{2}}))"
)
POSTCODE_CITY_LINE = rf"{_POSTCODE_CITY}[ \t]*$"
# A street line: number first, number last ("Skolgränd 775", "Contrada Smirnoff, 64 Appartamento 1",
# "Selma-Dehmel-Allee 5/3"), or a flat before the street ("Flat 7, Harrison Glen").
STREET_LINE = (
    rf"(?:\d{{1,5}}[A-Za-z]?(?:[/-]\d{{1,4}})?,?[ \t]+(?:\p{{L}}+\.?[ \t]+)?{_ADDRESS_WORD}[^\n:]{{0,40}}"
    rf"|(?:\p{{L}}{{1,4}}\.[ \t]+)?{_ADDRESS_WORD}(?:[ \t]+(?:{_PARTICLES}{_ADDRESS_WORD}|\p{{Ll}}{{3,9}})){{0,2}},?[ \t]+\d{{1,5}}[a-zA-Z]?"
    r"(?:[/-]\d{1,4})?\.?(?:[ \t]+\p{L}+[ \t]+\d{1,4})?"
    r"|(?:Flat|Apt\.?|Apartment|Unit|Suite|Room)[ \t]*\d+[A-Za-z]?,[ \t]*[^\n:]{3,40})"
)
ADDRESS_PATTERNS = [
    # With a city and/or postcode the shape alone is convincing.
    Pattern("street, city/postcode", rf"{_STREET}{_ADDRESS_TAIL}", 0.6),
    Pattern("numbered street, postcode", rf"{_NUMBERED_STREET}{_POSTCODE_TAIL}", 0.6),
    # Signatures and CV headers put the block on one line: "Industrigatan 67, 11266 Uppsala",
    # "Staufferstrasse 655 · 2855 Birsfelden".
    Pattern("street line, postcode city", rf"(?<![\p{{L}}\d])(?:{STREET_LINE})[ \t]*[,·|][ \t]*{_POSTCODE_CITY}", 0.6),
    # Below a name line, above a postcode-and-city line: a letter's or a delivery note's address.
    Pattern(
        "address block",
        rf"(?<=^[ \t]*{NAME}[ \t]*\r?\n[ \t]*){STREET_LINE}[ \t]*\r?\n[ \t]*{POSTCODE_CITY_LINE}",
        0.6,
    ),
    # A bare "12 Foo Road" is also a product-name shape: it needs a context word to pass, and
    # must not be followed by a noun ("2 Lumen Drive units"); prepositions may follow.
    Pattern(
        "street only",
        rf"{_STREET}(?![ \t]+(?!(?:in|at|on|near|and|or|for|to|since|until|from)\b)\p{{Ll}})",
        0.3,
    ),
]
ADDRESS_CONTEXT = [
    "address", "live", "reside", "ship", "deliver", "mail", "home", "billing", "located", "visit",
]

