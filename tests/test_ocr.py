"""OCR of scans with the real Tesseract engine, on pages of real documents (tests/data/ocr/README.md).

What OCR must find is the page's own text layer (``pdftotext`` of the PDF the scan was rendered
from): every line of it with at least 8 letters or digits is a phrase, compared on letters and
digits only (OCR and the text layer write bullets, quotes and Chinese punctuation differently).
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from llmops.ingest import ocr
from llmops.ingest.images import read_image
from llmops.ingest.readers import Extracted, IngestError, ReadContext, ReadLimits

DATA = Path(__file__).parent / "data" / "ocr"
HAN_GAP = re.compile(r"[\u4e00-\u9fff][^\S\n]+[\u4e00-\u9fff，。：；、）]")


def _letters(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum()).lower()


def _recovered(text_layer: Path, ocr_text: str) -> float:
    """The share of the text layer's lines (8+ letters or digits, page numbers aside) found in OCR's text."""
    phrases = [_letters(line) for line in text_layer.read_text(encoding="utf-8").splitlines()
               if len(_letters(line)) >= 8 and not re.fullmatch(r"[\d /]+", line.strip())]
    found = _letters(ocr_text)
    assert len(phrases) >= 10
    return sum(phrase in found for phrase in phrases) / len(phrases)


def _read(data: bytes, limits: ReadLimits | None = None) -> Extracted:
    [document] = read_image(io.BytesIO(data), ReadContext(limits or ReadLimits()))
    return document


def _text(document: Extracted, location: str = "") -> str:
    return "\n\n".join(block.text for block in document.blocks if not location or block.location == location)


@pytest.fixture(scope="module")
def english() -> Extracted:
    return _read((DATA / "edu-en-p10.png").read_bytes())


@pytest.fixture(scope="module")
def chinese() -> Extracted:
    return _read((DATA / "edu-zh-p10.png").read_bytes())


def test_english_scan_gives_the_text_layer(english: Extracted) -> None:
    assert _recovered(DATA / "edu-en-p10.txt", _text(english)) >= 0.9
    assert (english.pages, english.ocr_pages) == (1, 1)
    assert english.metadata == {"ocr_languages": "eng+chi_sim"}
    assert len(english.blocks) > 5  # Tesseract's paragraphs, not one wall of text
    assert {(block.kind, block.location) for block in english.blocks} == {("paragraph", "page 1")}
    assert "web-traffic" in _text(english)  # the "ﬀ" ligature comes back as two letters


def test_chinese_scan_gives_the_text_layer_without_spaces_between_characters(chinese: Extracted) -> None:
    text = _text(chinese)
    assert _recovered(DATA / "edu-zh-p10.txt", text) >= 0.9
    assert not HAN_GAP.search(text), HAN_GAP.search(text)
    assert "客户端的网络配置是使用 DHCP 自动完成的" in text  # spaces around a Latin word stay
    assert "互\n联网" not in text and "互联网" in text  # a sentence wrapped mid-word is joined again


def test_every_frame_of_a_tiff_is_a_page() -> None:
    document = _read((DATA / "edu-p11-en-zh.tif").read_bytes())  # 300 dpi black-and-white, Group 4
    assert (document.pages, document.ocr_pages) == (2, 2)
    assert [block.location for block in document.blocks][0] == "page 1"
    assert {block.location for block in document.blocks} == {"page 1", "page 2"}
    assert _recovered(DATA / "edu-p11-en-zh.page1.txt", _text(document, "page 1")) >= 0.9
    assert _recovered(DATA / "edu-p11-en-zh.page2.txt", _text(document, "page 2")) >= 0.9


def test_a_page_in_shadow_is_still_read() -> None:
    """A page lit from one side (a photo, a book's inner margin) darkens to 40% across: a global
    threshold loses the dark half; the adaptive one Tesseract is told to use keeps it."""
    page = Image.open(DATA / "edu-en-p10.png")
    shade = Image.linear_gradient("L").rotate(90).resize(page.size).point(lambda v: 255 - round(v * 0.6))
    shaded = ImageChops.multiply(page.convert("L"), shade)
    text = "\n".join(block.text for block in ocr.ocr_image(shaded, ReadLimits(), dpi=150))
    assert _recovered(DATA / "edu-en-p10.txt", text) >= 0.9


def test_a_photo_is_turned_upright_by_its_exif_orientation() -> None:
    page = Image.open(DATA / "edu-en-p10.png").rotate(90, expand=True)  # stored on its side...
    exif = Image.Exif()
    exif[0x0112] = 6  # ...with the tag that says "rotate 90° clockwise to view", as a phone writes it
    photo = io.BytesIO()
    page.save(photo, format="JPEG", quality=90, exif=exif, dpi=(150, 150))
    assert _recovered(DATA / "edu-en-p10.txt", _text(_read(photo.getvalue()))) >= 0.9


def test_cjk_spacing_is_removed_between_chinese_characters_only() -> None:
    assert ocr.tidy_cjk_spacing("在 Debian 社 区 中 有 这 几 类 常 见 的 角 色 :") == "在 Debian 社区中有这几类常见的角色:"
    assert ocr.tidy_cjk_spacing("Upstream author ( 上 游 作 者 ): 程 序 。") == "Upstream author (上游作者): 程序。"
    assert ocr.tidy_cjk_spacing("不 过 别 因 此 而 气 馁 , 如 果") == "不过别因此而气馁,如果"
    assert ocr.tidy_cjk_spacing("格 式 通 常 是 .deb ( 或 者 .udeb)") == "格式通常是 .deb (或者 .udeb)"
    assert ocr.tidy_cjk_spacing("line one\n第 二 行") == "line one\n第二行"


def test_grayscale_keeps_16_bit_scans_and_transparent_images_readable() -> None:
    sixteen = Image.new("I;16", (2, 1))
    sixteen.putpixel((0, 0), 0x8000)
    assert ocr.grayscale(sixteen).getpixel((0, 0)) == 128  # not clipped to white
    clear = Image.new("RGBA", (2, 1), (0, 0, 0, 0))
    clear.putpixel((1, 0), (0, 0, 0, 255))
    assert list(ocr.grayscale(clear).getdata()) == [255, 0]  # transparent is paper, not ink


def test_a_page_over_the_time_limit_is_quarantined_naming_the_setting() -> None:
    page = Image.open(DATA / "edu-en-p10.png")
    with pytest.raises(IngestError, match=r"OCR of page 4 took over 0\.01 s \(ocr_timeout_s\)"):
        ocr.ocr_image(page, ReadLimits(ocr_timeout_s=0.01), "page 4")


def test_images_are_refused_with_the_reason_when_ocr_is_off_or_missing() -> None:
    scan = (DATA / "edu-en-p10.png").read_bytes()
    with pytest.raises(IngestError, match=r"OCR is turned off \(ocr: false\)"):
        _read(scan, ReadLimits(ocr=False))
    with pytest.raises(IngestError, match="language pack xx_fake missing: apt-get install tesseract-ocr-xx-fake"):
        _read(scan, ReadLimits(ocr_languages="eng+xx_fake"))
    assert ocr.ocr_available("eng+chi_sim") is None


def test_a_missing_engine_is_named_with_its_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "TESSERACT", "tesseract-not-installed-here")
    ocr.ocr_available.cache_clear()
    try:
        reason = ocr.ocr_available("eng+chi_sim")
    finally:
        ocr.ocr_available.cache_clear()
    assert reason == "tesseract not installed: apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim"


def test_corrupt_and_disguised_images_are_refused() -> None:
    scan = (DATA / "edu-en-p10.png").read_bytes()
    with pytest.raises(IngestError, match="corrupt image: page 1: image file is truncated"):
        _read(scan[: len(scan) // 2])
    with pytest.raises(IngestError, match="corrupt image or not a PNG, JPEG or TIFF file"):
        _read(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    postscript = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\nshowpage\n"  # never handed to Ghostscript
    with pytest.raises(IngestError, match="not a PNG, JPEG or TIFF file"):
        _read(postscript)


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG of a few bytes whose header claims width x height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def test_decompression_bombs_are_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(IngestError, match="decompression bomb refused"):
        _read(_png_claiming(100_000, 100_000))
    tiff = io.BytesIO()
    pages = [Image.new("1", (100, 100), 1), Image.new("1", (200, 200), 1)]
    pages[0].save(tiff, format="TIFF", save_all=True, append_images=pages[1:])
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 20_000)  # between the two pages' sizes
    with pytest.raises(IngestError, match=r"page 2: 200 x 200 pixels, over the 20,000 allowed .*decompression bomb"):
        _read(tiff.getvalue())
