#!/usr/bin/env bash
# Fetch a larger held-out set of real documents (not committed) for bench/ingest_formats.py.
#
#   bench/fetch_real_docs.sh [folder]        (default /tmp/real_docs_big)
#
# Downloads Debian documentation packages with `apt-get download` (Debian Reference in English,
# 261 pages, and Simplified Chinese, 251 pages; the FAQ in Chinese; the New Maintainers' Guide
# in English and Chinese), takes their PDFs, renders a few pages as 150 dpi scans (PNG, JPEG,
# TIFF) and one image-only PDF, and writes a MANIFEST.json of the same shape as
# tests/data/real_docs/MANIFEST.json. Expected phrases come from the packages' plain-text
# editions (*.txt.gz), located on a page with poppler's pdftotext, never from this project's
# readers. Needs apt-get, dpkg-deb, poppler-utils (pdftotext, pdftoppm) and python3 with Pillow
# for the image-only PDF (the project's .venv has it).
set -euo pipefail

DEST=${1:-/tmp/real_docs_big}
PY=${PYTHON:-$(dirname "$0")/../.venv/bin/python}
[ -x "$PY" ] || PY=python3
PACKAGES="debian-reference-en debian-reference-zh-cn debian-faq-zh-cn maint-guide maint-guide-zh-cn"

mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && apt-get download $PACKAGES >/dev/null)
for deb in "$WORK"/*.deb; do dpkg-deb -x "$deb" "$WORK/root"; done
find "$WORK/root" -name '*.pdf.gz' -exec gunzip -f {} \;

"$PY" - "$WORK" "$DEST" <<'PYEOF'
import gzip, json, re, shutil, subprocess, sys, unicodedata
from pathlib import Path

work, dest = Path(sys.argv[1]), Path(sys.argv[2])
root = work / "root"
versions = {}
for deb in work.glob("*.deb"):
    name, version = deb.name.split("_")[:2]
    versions[name] = version

def norm(s, zh):
    s = unicodedata.normalize("NFKC", s).casefold()
    return re.sub(r"\s+", "" if zh else " ", s).strip()

def page_texts(pdf):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")

def candidates(text, zh):
    if zh:
        for run in re.findall(r"[\u4e00-\u9fff]{10,18}", text):
            yield run
    else:
        for sent in re.split(r"(?<=[.;:!?])\s+", re.sub(r"\s+", " ", text)):
            words = sent.split()
            if len(words) >= 10:
                frag = " ".join(words[1:9])
                if re.fullmatch(r"[A-Za-z ,]+", frag) and not frag.endswith(","):
                    yield frag

def located(pages, text, zh, n):
    seen, found = set(), []
    normed = [norm(p, zh) for p in pages]
    for cand in candidates(text, zh):
        if cand in seen:
            continue
        seen.add(cand)
        hits = [i for i, p in enumerate(normed) if norm(cand, zh) in p]
        if len(hits) == 1:
            found.append((hits[0] + 1, cand))
    found.sort()
    if len(found) <= n:
        return found
    step = len(found) / n
    return [found[int(k * step)] for k in range(n)]

DOCS = [  # package, pdf inside, txt edition, lang, licence
    ("debian-reference-en", "usr/share/debian-reference/debian-reference.en.pdf", "usr/share/debian-reference/debian-reference.en.txt.gz", "en", "GPL-2.0-or-later"),
    ("debian-reference-zh-cn", "usr/share/debian-reference/debian-reference.zh-cn.pdf", "usr/share/debian-reference/debian-reference.zh-cn.txt.gz", "zh", "GPL-2.0-or-later"),
    ("maint-guide", "usr/share/doc/maint-guide/maint-guide.en.pdf", "usr/share/doc/maint-guide/maint-guide.en.txt.gz", "en", "GPL-2.0-or-later"),
    ("maint-guide-zh-cn", "usr/share/doc/maint-guide-zh-cn/maint-guide.zh-cn.pdf", "usr/share/doc/maint-guide-zh-cn/maint-guide.zh-cn.txt.gz", "zh", "GPL-2.0-or-later"),
    ("debian-faq-zh-cn", "usr/share/doc/debian/FAQ/debian-faq.zh-cn.pdf", "usr/share/doc/debian/FAQ/debian-faq.zh-cn.txt.gz", "zh", "GPL-2.0-or-later"),
]
manifest = []
(dest / "pdf").mkdir(exist_ok=True)
(dest / "scans").mkdir(exist_ok=True)
scan_pages = []
for pkg, pdf_rel, txt_rel, lang, licence in DOCS:
    pdf, txt = root / pdf_rel, root / txt_rel
    if not pdf.exists() or not txt.exists():
        continue
    zh = lang == "zh"
    pages = page_texts(pdf)
    chosen = located(pages, gzip.open(txt, "rt", encoding="utf-8").read(), zh, 15)
    if not chosen:
        continue
    rel = f"pdf/{pdf.name}"
    shutil.copyfile(pdf, dest / rel)
    origin = f"Debian 12 package {pkg} {versions.get(pkg, '?')}, /{pdf_rel}"
    manifest.append({"file": rel, "format": "pdf", "lang": lang, "origin": origin, "licence": licence,
                     "phrases": [{"text": t, "location": f"page {p}", "heading": None} for p, t in chosen]})
    if pkg.startswith("debian-reference"):
        body = norm(gzip.open(txt, "rt", encoding="utf-8").read(), zh)
        for page in (len(pages) // 3, 2 * len(pages) // 3):
            lines = []
            for line in pages[page - 1].splitlines():
                frag = " ".join(line.split()[:8]) if not zh else max(re.findall(r"[\u4e00-\u9fff]{8,18}", line) or [""], key=len)
                ok = len(frag) >= 8 and norm(frag, zh) in body and (zh or re.fullmatch(r"[A-Za-z ,.]+", frag))
                if ok and len(frag.split()) >= (1 if zh else 5) and frag not in lines:
                    lines.append(frag)
            if len(lines) >= 5:
                scan_pages.append((pdf, pkg, page, lang, origin, licence, lines[:10]))

kinds = ["png", "jpeg", "tiff", "png"]
images = []
for k, (pdf, pkg, page, lang, origin, licence, lines) in enumerate(scan_pages):
    kind = kinds[k % len(kinds)]
    stem = dest / "scans" / f"{pdf.stem}-p{page}"
    args = ["pdftoppm", "-r", "150", f"-{kind}", *(["-tiffcompression", "lzw"] if kind == "tiff" else []), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)]
    subprocess.run(args, check=True)
    ext = {"png": ".png", "jpeg": ".jpg", "tiff": ".tif"}[kind]
    made = stem.with_suffix(stem.suffix + ext) if stem.suffix else Path(str(stem) + ext)
    if kind == "tiff":
        made = made.rename(made.with_suffix(".tiff"))
    images.append((made, lines, lang))
    manifest.append({"file": made.relative_to(dest).as_posix(), "format": {"png": "png", "jpeg": "jpg", "tiff": "tiff"}[kind],
                     "lang": lang, "origin": f"{origin} page {page}, pdftoppm -r 150 -{kind}", "licence": licence,
                     "phrases": [{"text": t, "location": None, "heading": None} for t in lines]})
try:
    from PIL import Image
    if len(images) >= 2:
        target = dest / "scans" / "scanned-debian-reference.pdf"
        pngs = [Image.open(p).convert("L") for p, _, _ in images]
        pngs[0].save(target, save_all=True, append_images=pngs[1:], resolution=150.0)
        phrases = [{"text": t, "location": f"page {i + 1}", "heading": None} for i, (_, lines, _) in enumerate(images) for t in lines]
        langs = {lang for _, _, lang in images}
        manifest.append({"file": target.relative_to(dest).as_posix(), "format": "scanned-pdf",
                         "lang": langs.pop() if len(langs) == 1 else "mixed",
                         "origin": "the scans above joined into an image-only PDF with Pillow", "licence": "GPL-2.0-or-later",
                         "phrases": phrases})
except ImportError:
    print("Pillow not found: no image-only PDF", file=sys.stderr)

(dest / "MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
for entry in manifest:
    size = (dest / entry["file"]).stat().st_size
    print(f"{entry['file']:60s} {entry['format']:11s} {entry['lang']:5s} {size / 1e6:6.2f} MB  {len(entry['phrases']):2d} phrases")
print(f"{len(manifest)} files in {dest} (MANIFEST.json); run: .venv/bin/python bench/ingest_formats.py {dest}")
PYEOF
