"""Personal data out before anything is trained or indexed.

Owns the entity list (`entities`), the one scrub configuration and the shipped allow-list
(`config`, `allow_list.txt`), the recognizers and check digits (`recognizers`, `checksums`), with
their own modules for host IP addresses told from section and version numbers (`ip_addresses`),
values typed by their label or table column (`fields`), name shapes, company names and the
shipped first-name and surname lists (`names`, `name_lists/`), street addresses (`addresses`), and
Chinese names, addresses and identifiers (`chinese`, names in prose read by Baidu's LAC: `lac`);
the scrub engine (`scrubber`), its windows over long texts (`segments`) and the corpus vocabulary
it learns so that a manual's terms are not people (`vocabulary`); the residual scan and quality gate
of the scrubbed corpus (`residual`, `scrubbed_corpus`) and the PII-leak probe (`probe`).

May import: llmops.settings, llmops.ingest.language
"""

import os

# Presidio's e-mail recognizer uses tldextract, which otherwise tries to download the public-suffix
# list on first use (offline: tracebacks, then a fallback). Set before any submodule imports presidio.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
