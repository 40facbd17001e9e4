"""Raw enterprise documents in: read each file of the raw folder, normalise and hash its text,
drop duplicates, and quarantine what cannot be read, with the reason (``records_seen = documents +
duplicates + quarantined``).

May import: llmops.settings
"""
