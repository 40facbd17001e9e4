"""OCR of scanned pages and images with the Tesseract engine, English and Chinese alike.

Tesseract runs as a subprocess that reads the page from stdin and writes its word table (TSV);
its blocks and paragraphs become paragraph blocks. Chinese comes back with a space between every
two characters: `tidy_cjk_spacing` removes those and keeps the spaces between Latin words.

The settings were measured on pages of real English and Chinese PDFs rendered at 200 dpi
(tests/data/ocr/README.md has the numbers); each one is there for a reason:

* ``OMP_THREAD_LIMIT=1``: with its OpenMP threads Tesseract took 26-73 s for a page that takes
  3 s on one thread on a busy 2-core machine, and saved only 10-14% on a quiet one for 45% more
  CPU; parallelism comes from reading files side by side.
* every configured language in one pass (``eng+chi_sim``): Chinese pages are full of Latin words
  (commands, product names); a Chinese-only pass recovered 78% of the text layer's lines against
  84% for the joint one. Choosing the language per page would only save time on English pages
  (1.8 s instead of 3.1 s), and needs a detection pass first: Tesseract's script detection
  called a Chinese page Latin.
* ``-c thresholding_method=2`` (Sauvola, adaptive): a page in shadow (a photo, a book's inner
  margin) kept 76-91% of its lines instead of 38-39%; clean pages read the same.
* the page's resolution passed on (``dpi``): Tesseract's own guess overshoots on small print
  (230-307 for 200 dpi pages), which cost 7% of the Chinese lines (84% -> 78%).
* ``--oem 1`` (the LSTM engine, the only one Debian's language packs carry) and ``--psm 3``
  (automatic layout), so a multi-column page keeps its reading order.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import subprocess

from PIL import Image

from llmops.ingest.blocks import Block
from llmops.ingest.readers import IngestError, ReadLimits

TESSERACT = "tesseract"
# Han ideographs, CJK punctuation, kana, fullwidth forms: scripts written without spaces.
_WIDE = (r"\u2e80-\u2fdf\u3000-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
         r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f")
_WIDE_GAP = re.compile(rf"(?<=[{_WIDE}])[^\S\n]+(?=[{_WIDE}])")
# Tesseract writes a Chinese full stop or bracket as its ASCII twin with a space around it (but
# "或者 .udeb" keeps its space: a mark that starts a word is not punctuation).
_GAP_BEFORE_CLOSE = re.compile(rf"(?<=[{_WIDE}])[^\S\n]+(?=[)\]}}]|[,.:;!?%](?:\s|$|[{_WIDE})\]}}]))")
_GAP_AFTER_OPEN = re.compile(rf"(?<=[(\[{{])[^\S\n]+(?=[{_WIDE}])")
_GAP_AFTER_MARK = re.compile(rf"(?<=[{_WIDE}][,.:;!?])[^\S\n]+(?=[{_WIDE}])")
_WIDE_BREAK = re.compile(rf"(?<=[{_WIDE}])\n(?=[{_WIDE}])")
_HYPHEN_BREAK = re.compile(r"(?<=[a-z])-\n(?=[a-z])")  # a word hyphenated across a line break


def tidy_cjk_spacing(text: str) -> str:
    """Text without the spaces OCR puts between Chinese characters (and between them and their
    punctuation); spaces between Latin words, and between Latin and Chinese, stay."""
    for gap in (_WIDE_GAP, _GAP_BEFORE_CLOSE, _GAP_AFTER_OPEN, _GAP_AFTER_MARK):
        text = gap.sub("", text)
    return text


@functools.cache
def ocr_available(languages: str) -> str | None:
    """None when Tesseract and every language pack of ``languages`` ("eng+chi_sim") are
    installed, else why not, with the package to install. Checked once per process."""
    if shutil.which(TESSERACT) is None:
        return f"tesseract not installed: apt-get install tesseract-ocr {_packages(languages)}"
    try:
        listed = subprocess.run([TESSERACT, "--list-langs"], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"tesseract does not run ({exc}): reinstall it with apt-get install --reinstall tesseract-ocr"
    installed = set(listed.stdout.split())
    missing = [lang for lang in languages.split("+") if lang and lang not in installed]
    if missing:
        packs = f"language pack{'s' * (len(missing) > 1)} {', '.join(missing)}"
        return f"{packs} missing: apt-get install {_packages('+'.join(missing))}"
    return None


def _packages(languages: str) -> str:
    """Debian's package names for Tesseract language codes (chi_sim -> tesseract-ocr-chi-sim)."""
    return " ".join(f"tesseract-ocr-{lang.lower().replace('_', '-')}" for lang in languages.split("+") if lang)


def grayscale(image: Image.Image) -> Image.Image:
    """The image as 8-bit gray, transparent areas white and 16-bit scans scaled rather than
    clipped (Pillow's plain conversion turns both into a black or a white page)."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        return image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("L")
    return image.convert("L")


def _tesseract_lines(image: Image.Image, limits: ReadLimits, location: str, dpi: float | None) -> list[list[str]]:
    """Tesseract's paragraphs of the page in reading order, each as its lines of words."""
    page = io.BytesIO()
    grayscale(image).save(page, format="PPM")  # 8-bit gray PGM: no compression to spend time on
    command = [TESSERACT, "stdin", "stdout", "-l", limits.ocr_languages, "--oem", "1", "--psm", "3",
               "-c", "thresholding_method=2", *(["--dpi", str(round(dpi))] if dpi else []), "tsv"]
    where = f" of {location}" if location else ""
    try:
        done = subprocess.run(command, input=page.getvalue(), capture_output=True,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"}, timeout=limits.ocr_timeout_s)
    except subprocess.TimeoutExpired as exc:
        raise IngestError(f"OCR{where} took over {limits.ocr_timeout_s:g} s (ocr_timeout_s)") from exc
    except OSError as exc:
        raise IngestError(f"OCR{where} cannot run: {exc}") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()[-300:]
        raise IngestError(f"OCR{where} failed: tesseract exited with {done.returncode}: {detail}")
    paragraphs: dict[tuple[int, int], dict[int, list[str]]] = {}
    table = io.StringIO(done.stdout.decode("utf-8", "replace"))
    for row in csv.DictReader(table, delimiter="\t", quoting=csv.QUOTE_NONE):
        word = (row.get("text") or "").strip()
        if row["level"] == "5" and word:  # a word, with its block, paragraph and line numbers
            lines = paragraphs.setdefault((int(row["block_num"]), int(row["par_num"])), {})
            lines.setdefault(int(row["line_num"]), []).append(word)
    return [[" ".join(words) for words in lines.values()] for lines in paragraphs.values()]


def _paragraph_text(lines: list[str]) -> str:
    """A paragraph's lines, one per text line, with words split across lines joined again (a
    hyphenated English word, a Chinese sentence wrapped in the middle)."""
    text = _HYPHEN_BREAK.sub("", tidy_cjk_spacing("\n".join(lines)))
    return _WIDE_BREAK.sub("", text)


def ocr_image(image: Image.Image, limits: ReadLimits, location: str = "", dpi: float | None = None) -> list[Block]:
    """The text of one page image as paragraph blocks (Tesseract's paragraphs, in reading order),
    tagged with ``location`` ("page 3"). ``dpi`` is the image's resolution (a rendered PDF page:
    ``limits.ocr_dpi``); without it the file's own, else Tesseract's guess, which overshoots on
    small print and loses a few lines of Chinese. IngestError past ``limits.ocr_timeout_s``."""
    if dpi is None and isinstance(stated := image.info.get("dpi"), tuple) and stated[0] >= 1:
        dpi = float(stated[0])
    blocks = []
    for lines in _tesseract_lines(image, limits, location, dpi):
        if text := _paragraph_text(lines).strip():
            blocks.append(Block("paragraph", text, location=location))
    return blocks
