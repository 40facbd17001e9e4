"""Raw enterprise documents in: read each regular file of the raw folder, normalise and hash its
text, drop duplicates, and quarantine what cannot be read, with the reason (``records_seen =
documents + duplicates + quarantined``). Every reader finds, opens and quarantines files through
`files` (nothing outside the root, no links unless asked, no special files) and decodes them
through `encoding`.

May import: llmops.settings
"""
