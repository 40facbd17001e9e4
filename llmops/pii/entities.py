"""The personal-data types the product removes: one list shared by the scrubber, the sample
corpus generator (which plants them) and the quality gate, so their names always agree."""

PII_ENTITIES: tuple[str, ...] = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "CN_RESIDENT_ID",
    "CN_USCC",
    "CN_PASSPORT",
    "CN_LICENSE_PLATE",
    "IP_ADDRESS",
    "STREET_ADDRESS",
    "DATE_OF_BIRTH",
)
