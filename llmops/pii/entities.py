"""The personal-data types the product removes: one list shared by the scrubber, the sample
corpus generator (which plants them) and the quality gate, so their names always agree; the
scrubber adds the identifiers of Chinese offices."""

PII_ENTITIES: tuple[str, ...] = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "CN_RESIDENT_ID",
    "IP_ADDRESS",
    "STREET_ADDRESS",
    "DATE_OF_BIRTH",
)
# Identifiers of Chinese and Taiwanese offices (llmops.pii.chinese): removed like the others; the
# sample company, written in English, plants none of them.
CN_OFFICE_ENTITIES: tuple[str, ...] = ("CN_USCC", "CN_PASSPORT", "CN_LICENSE_PLATE", "TW_NATIONAL_ID")
