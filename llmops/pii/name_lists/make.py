"""Build the name lists of this folder (given.txt.gz, surnames.txt.gz, ambiguous.txt.gz) from the
`names-dataset` package, deterministically. Not part of the runtime: it needs a scratch venv and a
Debian word list package, none of which is a project dependency (README.md here says why and how):

    python3 -m venv /tmp/nd
    /tmp/nd/bin/pip install names-dataset==3.3.1 wordfreq==3.1.1 faker==40.63.0
    apt-get install scowl               # SCOWL 2020.12.07 word lists by size, /usr/share/dict/scowl
    /tmp/nd/bin/python llmops/pii/name_lists/make.py            # writes the three lists
    /tmp/nd/bin/python llmops/pii/name_lists/make.py --check    # coverage, junk, load time
    /tmp/nd/bin/python llmops/pii/name_lists/make.py --sweep 500,1000,2000,3000   # how N was chosen

Faker is used by --check and --sweep only, as a yardstick; nothing in the lists comes from it.
"""

from __future__ import annotations

import argparse
import gzip
import io
import re
import sys
import time
import tracemalloc
import unicodedata
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = {"given": "given.txt.gz", "surnames": "surnames.txt.gz", "ambiguous": "ambiguous.txt.gz"}
PINNED = {"names-dataset": "3.3.1", "wordfreq": "3.1.1"}

# Per country, the N best-ranked names that pass `name_form` (first names of both genders ranked
# together, as the dataset ranks them). Chosen with --sweep: past 2000 the Faker coverage gains a
# point or two per extra 1000 while the lists grow ~45% and the tail is visibly noisier.
TOP_N = 2000
# ...but never deeper than this share of a country's ranked names: in small countries (Burundi has
# 4.4k ranked first names, El Salvador 0.5k) rank 2000 is a handful of profiles and mostly noise
# ("Muziclover", "Losamantesdelosputo", "Møhãmëđ"). Countries with >= 10k ranked names are unaffected.
SMALL_COUNTRY_SHARE = 0.2
# A listed name is ambiguous when its lower-case form is at least this frequent in English
# (wordfreq zipf: log10 of occurrences per 10^9 words; 3.0 = once per million words) AND is an
# English word rather than a name: wordfreq counts "david" and "singh" too (names are frequent in
# text), so frequency alone would flag 7k names, David, Singh and Chen among them. "A word" means a
# lower-case entry of SCOWL's core sizes (<= 20: will, mark, rose, smith, jack), or of its sizes
# <= 50 (the size of Debian's default dictionary) that SCOWL does not also list as a proper noun
# (multimedia, seller, orchard; not maria, martin, peter, dean, whose word sense is rare).
AMBIGUOUS_ZIPF = 3.0
SCOWL = Path("/usr/share/dict/scowl")
SCOWL_CORE, SCOWL_COMMON = 20, 50

# Vowel-less tokens are abbreviations or keyboard noise ("Bsc", "Lrt", "Gdjfkgn") except these,
# which stand for names in South and South-East Asia (Md/Mhd = Mohammad, Mst = Mosammat) or are one
# (Ng, a Cantonese/Vietnamese surname).
VOWELLESS_NAMES = frozenset({"Ng", "Md", "Mhd", "Mst"})
VOWELS = frozenset("aeiouyæøœıə")
# Entries that are never a person's name: English function words that came in with Facebook
# display names, titles and suffixes, and page/business words. Words that are also somebody's name
# in some culture stay in the lists and are flagged ambiguous instead (He, An, So, In, Do, To, No,
# Or, Nor, Her, My, Can, Will, May, Page, King, Bank, ...).
NOT_NAMES = frozenset("""
The Is Are Was Were Been Have Has Had With From At Into Over You We Them Him Us But If Then Why How
Might Must Just Like Also Here Some Any All Either
Mr Mrs Ms Dr Prof Engr Eng Jr Sr Ii Iii Iv Phd Mba
Official Shop Store Online Fans Group Company Club Music Gaming Channel Photos Salon Hotel Sales
Property Spa
""".split())
# Words common in technical documentation that are (also) listed as names: flagged ambiguous even
# when the English-word rule does not catch them (product, language and tool names).
TECH_WORDS = frozenset(w.title() for w in """
Linux Debian Ubuntu Fedora Gentoo Centos Alpine Arch Mint Suse Redhat Unix Posix Windows Android
Python Perl Java Ruby Rust Go Julia Pascal Ada Haskell Scala Kotlin Swift Dart Elixir Erlang Lisp
Fortran Cobol Lua Bash Zsh Shell Awk Sed Vim Emacs Nano Git Github Gitlab Apache Nginx Docker
Kubernetes Helm Ansible Terraform Jenkins Travis Django Flask Celery Redis Kafka Spark Hadoop Hive
Presto Trino Pandas Numpy Scipy Torch Keras Jupyter Conda Pip Npm Node React Angular Vue Ember
Dagster Airflow Ray Dask Polars Arrow Parquet Avro Delta Iceberg Lance Mlflow Presidio Spacy Sphinx
Llama Mistral Gemma Falcon Phi Qwen Bert Claude Gemini Alpaca Vicuna Ollama Triton Cuda Nvidia
Intel Amazon Oracle Azure Alexa Siri Cortana Mac Tor Server Client Table Index Options Default
Master Slave Main Admin Root Daemon Kernel Cluster Node Module Package Config Query Cache Token
Model Agent Batch Job Task Queue Worker Stream Record Field Key Value Type Class Object Array List
Set Map Filter Error Warning Debug Info Trace Build Release Patch Merge Commit Branch Tag Ticket
""".split())


def name_form(raw: str) -> str | None:
    """The entry as a name token (NFC, typographic apostrophe made ASCII), or None where it does not
    look like one: Latin-script letters only, one optional apostrophe ("O'Brien", "D'Angelo") and
    internal hyphens between parts of >= 2 letters ("Jean-Luc", not "T-Back"), >= 2 characters,
    title-cased, no mojibake ("Ãhmêd"), no letter tripled, at least one vowel."""
    s = unicodedata.normalize("NFC", raw).replace("\u2019", "'")
    if len(s) < 2 or s != s.title() or "Ã" in s or "Â" in s or s in NOT_NAMES:
        return None
    pieces = s.split("'")
    if len(pieces) > 2 or not all(pieces):
        return None
    for i, piece in enumerate(pieces):
        parts = piece.split("-")
        elided = len(pieces) == 2 and i == 0 and len(parts) == 1  # the O of O'Brien
        if not elided and any(len(p) < 2 for p in parts):
            return None
        if not all(unicodedata.category(ch).startswith("L") and unicodedata.name(ch, "").startswith("LATIN")
                   for p in parts for ch in p):
            return None
    if re.search(r"(.)\1\1", s.lower()):
        return None
    if s not in VOWELLESS_NAMES and not any(unicodedata.normalize("NFD", ch)[0].lower() in VOWELS for ch in s):
        return None
    return s


def ranked_by_country(table: dict) -> dict[str, list[str]]:
    """Country code -> the dataset's entries of that country, best rank first."""
    by_country: dict[str, list[tuple[int, str]]] = {}
    for name, info in table.items():
        for country, rank in info["rank"].items():
            by_country.setdefault(country, []).append((rank, name))
    return {c: [name for _, name in sorted(entries)] for c, entries in sorted(by_country.items())}


def top_names(ranked: dict[str, list[str]], n: int, share: float) -> set[str]:
    """The union over countries of each country's best-ranked `n` names that pass `name_form`
    (fewer in small countries, see SMALL_COUNTRY_SHARE)."""
    names: set[str] = set()
    for entries in ranked.values():
        cap, taken = min(n, int(len(entries) * share)), 0
        for raw in entries:
            if taken >= cap:
                break
            if (form := name_form(raw)) is not None:
                names.add(form)
                taken += 1
    return names


def load_ranked() -> dict[str, dict[str, list[str]]]:
    """{'given': ..., 'surnames': ...}, each from `ranked_by_country`; loads one table at a time
    (each is ~1 GB in memory)."""
    for package, version in PINNED.items():
        if metadata.version(package) != version:
            sys.exit(f"{package} {metadata.version(package)} is installed; these lists are built from {version}")
    from names_dataset import NameDataset

    given = ranked_by_country(NameDataset(load_first_names=True, load_last_names=False).first_names)
    surnames = ranked_by_country(NameDataset(load_first_names=False, load_last_names=True).last_names)
    return {"given": given, "surnames": surnames}


def _scowl(kinds: tuple[str, ...], max_size: int) -> set[str]:
    out: set[str] = set()
    for kind in kinds:
        for path in sorted(SCOWL.glob(f"*-{kind}.*")):
            if path.name.split("-")[0] in ("english", "american") and int(path.suffix[1:]) <= max_size:
                out.update(path.read_text(encoding="utf-8").split())
    return out


def english_words() -> frozenset[str]:
    """The lower-case English words that count as words, not names (see AMBIGUOUS_ZIPF)."""
    if not SCOWL.is_dir():
        sys.exit(f"{SCOWL} is missing: apt-get install scowl")
    lower = lambda ws: {w for w in ws if w.islower() and "'" not in w}  # noqa: E731
    proper = {w.lower() for w in _scowl(("upper", "proper-names"), SCOWL_COMMON) if w[:1].isupper()}
    return frozenset(lower(_scowl(("words",), SCOWL_CORE)) | (lower(_scowl(("words",), SCOWL_COMMON)) - proper))


def ambiguous_names(names: set[str], words: frozenset[str], zipf: float) -> set[str]:
    """The names that are also common English words (see AMBIGUOUS_ZIPF) or technical words."""
    from wordfreq import zipf_frequency

    return {n for n in names
            if n in TECH_WORDS or (n.lower() in words and zipf_frequency(n.lower(), "en") >= zipf)}


def gzip_bytes(names: set[str]) -> bytes:
    """One name a line, sorted by code point, UTF-8, gzip with no name and no time in the header."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write("".join(f"{n}\n" for n in sorted(names)).encode("utf-8"))
    return buf.getvalue()


def read_list(path: Path) -> set[str]:
    """What a recognizer does at start-up: one gzip'd list into a set."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return set(f.read().split("\n")) - {""}


def build(ranked: dict, n: int, share: float, zipf: float, words: frozenset[str]) -> dict[str, set[str]]:
    given, surnames = top_names(ranked["given"], n, share), top_names(ranked["surnames"], n, share)
    return {"given": given, "surnames": surnames, "ambiguous": ambiguous_names(given | surnames, words, zipf)}


# --- the yardstick: Faker's name providers (--check, --sweep) ----------------------------------------

LOCALES = ("cs_CZ de_DE es_ES fi_FI fr_FR it_IT ja_JP nl_NL pl_PL pt_BR sv_SE tr_TR zh_CN en_IN "
           "ru_RU vi_VN ar_AA ko_KR hi_IN en_US").split()
NATIVE_SCRIPT_ONLY = {"ar_AA", "ko_KR", "hi_IN"}  # Faker has no romanized provider; lists are Latin-only
SAMPLE = 500
# ru_RU has no romanized provider: a plain passport-style transliteration of Faker's Cyrillic.
_RU = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
               "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split()))


def _translit(name: str) -> str:
    out = "".join(_RU[c.lower()].replace("-", "") if c.lower() in _RU else c for c in name)
    return out[:1].upper() + out[1:]


def faker_samples() -> dict[str, tuple[list[str], list[str]]]:
    """Locale -> (SAMPLE given names, SAMPLE surnames), romanized where Faker can, seeded."""
    from faker import Faker

    samples = {}
    for locale in LOCALES:
        if locale in NATIVE_SCRIPT_ONLY:
            continue
        fake = Faker(locale)
        fake.seed_instance(18)
        first = getattr(fake, "first_romanized_name", fake.first_name)
        if locale == "vi_VN":  # its first_name falls back to en's John/Jane; the real lists are per gender
            first = lambda: fake.random_element((fake.first_name_female, fake.first_name_male))()  # noqa: E731
        last = getattr(fake, "last_romanized_name", fake.last_name)
        given, surnames = [first() for _ in range(SAMPLE)], [last() for _ in range(SAMPLE)]
        if locale == "ru_RU":
            given, surnames = [_translit(x) for x in given], [_translit(x) for x in surnames]
        samples[locale] = (given, surnames)
    return samples


def _tokens(name: str) -> list[str]:
    """The capitalised words of a generated name ("van der Laarse" -> ["Laarse"])."""
    name = unicodedata.normalize("NFC", name).replace("\u2019", "'")
    return [t for t in name.split() if t[:1].isupper()]


def found(name: str, names: set[str]) -> bool:
    toks = _tokens(name)
    return bool(toks) and all(t in names for t in toks)


def coverage(samples: dict, lists: dict[str, set[str]]) -> dict[str, tuple[float, float, float, float]]:
    """Locale -> (% given found, % surnames found, % given flagged ambiguous, % surnames flagged)."""
    amb = lists["ambiguous"]
    pct = lambda xs, test: 100.0 * sum(map(test, xs)) / len(xs)  # noqa: E731
    return {loc: (pct(g, lambda x: found(x, lists["given"])), pct(s, lambda x: found(x, lists["surnames"])),
                  pct(g, lambda x: any(t in amb for t in _tokens(x))), pct(s, lambda x: any(t in amb for t in _tokens(x))))
            for loc, (g, s) in samples.items()}


def sweep(ns: list[int], share: float, zipf: float) -> None:
    ranked, words, samples = load_ranked(), english_words(), faker_samples()
    print("| N | given | surnames | ambiguous | gz KB (3 files) | mean given % | mean surname % | "
          + " | ".join(samples) + " |")
    for n in ns:
        lists = build(ranked, n, share, zipf, words)
        cov = coverage(samples, lists)
        kb = sum(len(gzip_bytes(v)) for v in lists.values()) / 1000
        mg = sum(c[0] for c in cov.values()) / len(cov)
        ms = sum(c[1] for c in cov.values()) / len(cov)
        cells = " | ".join(f"{c[0]:.0f}/{c[1]:.0f}" for c in cov.values())
        print(f"| {n} | {len(lists['given'])} | {len(lists['surnames'])} | {len(lists['ambiguous'])} | {kb:.0f} | "
              f"{mg:.1f} | {ms:.1f} | {cells} |", flush=True)


def check(out_dir: Path, zipf: float) -> None:
    """Sizes, junk, load time and memory, Faker coverage, and the rule for ambiguity compared with
    a bare zipf threshold."""
    paths = {k: out_dir / f for k, f in FILES.items()}
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        lists = {k: read_list(p) for k, p in paths.items()}
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    again = {k: read_list(p) for k, p in paths.items()}
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert again == lists
    print(f"load: {best * 1000:.0f} ms (best of 5) for the three files; sets hold {current / 1e6:.1f} MB "
          f"(peak while reading {peak / 1e6:.1f} MB)")
    for k, p in paths.items():
        print(f"{FILES[k]}: {len(lists[k])} names, {p.stat().st_size} bytes")
    amb = lists["ambiguous"]
    print(f"junk: {len(lists['given'] & amb)} of given and {len(lists['surnames'] & amb)} of surnames are in ambiguous")
    print(f"given & surnames: {len(lists['given'] & lists['surnames'])} names are in both")

    from wordfreq import zipf_frequency

    union = lists["given"] | lists["surnames"]
    bare = {n for n in union if zipf_frequency(n.lower(), "en") >= zipf}
    print(f"a bare zipf >= {zipf} rule would flag {len(bare)} names, among them "
          + ", ".join(sorted(n for n in bare - amb if n in {"David", "Maria", "Mohamed", "Ahmed", "Singh", "Kumar",
                                                             "Wang", "Chen", "Zhang", "Nguyen", "Garcia", "Sato"})))
    samples = faker_samples()
    print("| locale | given found % | surnames found % | given flagged ambiguous % | surnames flagged % |")
    for loc, c in coverage(samples, lists).items():
        print(f"| {loc} | {c[0]:.1f} | {c[1]:.1f} | {c[2]:.1f} | {c[3]:.1f} |")
    for loc in sorted(NATIVE_SCRIPT_ONLY):
        print(f"| {loc} | n/a | n/a | n/a | n/a |  (Faker writes these in native script only)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", type=Path, default=HERE)
    ap.add_argument("--n", type=int, default=TOP_N)
    ap.add_argument("--share", type=float, default=SMALL_COUNTRY_SHARE)
    ap.add_argument("--zipf", type=float, default=AMBIGUOUS_ZIPF)
    ap.add_argument("--check", action="store_true", help="measure the lists in --out-dir instead of writing them")
    ap.add_argument("--sweep", help="comma-separated N values: print coverage and sizes for each, write nothing")
    args = ap.parse_args()
    if args.sweep:
        return sweep([int(x) for x in args.sweep.split(",")], args.share, args.zipf)
    if args.check:
        return check(args.out_dir, args.zipf)
    lists = build(load_ranked(), args.n, args.share, args.zipf, english_words())
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for key, filename in FILES.items():
        (args.out_dir / filename).write_bytes(gzip_bytes(lists[key]))
        print(f"{filename}: {len(lists[key])} names")


if __name__ == "__main__":
    main()
