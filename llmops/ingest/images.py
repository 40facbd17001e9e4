"""Reader of scans and photos of documents (.png, .jpg, .jpeg, .tif, .tiff): the text is what OCR
reads, so an image without OCR (turned off, engine missing) is quarantined with that reason rather
than kept as an empty document.

Every frame of a multi-page TIFF (the usual output of a document scanner) is a page, ``page N``.
Only PNG, JPEG and TIFF parsers are let near the bytes, whatever the suffix says: a file named
.png that is really PostScript would otherwise reach Ghostscript through Pillow. An image larger
than Pillow's ``Image.MAX_IMAGE_PIXELS`` is refused before it is decoded (a few kilobytes of
compressed data can claim gigabytes of pixels).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from PIL import Image, ImageOps

from llmops.ingest.blocks import Block
from llmops.ingest.ocr import ocr_available, ocr_image
from llmops.ingest.readers import Extracted, IngestError, ReadContext, check_pages

IMAGE_FORMATS = ("PNG", "JPEG", "TIFF")
_CORRUPT = (OSError, SyntaxError, ValueError, EOFError)  # what Pillow raises for broken data


def _check_size(image: Image.Image, location: str) -> None:
    limit = Image.MAX_IMAGE_PIXELS
    if limit and image.width * image.height > limit:
        raise IngestError(f"{location}: {image.width:,} x {image.height:,} pixels, over the {limit:,} allowed "
                          "(PIL.Image.MAX_IMAGE_PIXELS): possibly a decompression bomb")


def read_image(stream: BinaryIO, context: ReadContext) -> Iterator[Extracted]:
    """One document of the image's pages, each read by OCR at the resolution the file states."""
    limits = context.limits
    if not limits.ocr:
        raise IngestError("an image's text can only be read by OCR, and OCR is turned off (ocr: false)")
    if missing := ocr_available(limits.ocr_languages):
        raise IngestError(f"an image's text can only be read by OCR, and OCR cannot run: {missing}")
    try:
        image = Image.open(stream, formats=IMAGE_FORMATS)
    except Image.DecompressionBombError as exc:
        raise IngestError(f"decompression bomb refused: {exc} (PIL.Image.MAX_IMAGE_PIXELS)") from exc
    except _CORRUPT as exc:
        raise IngestError(f"corrupt image or not a PNG, JPEG or TIFF file: {exc}") from exc
    with image:
        try:
            pages = image.n_frames if image.format == "TIFF" else 1  # other formats' extra frames are previews
            check_pages(pages, limits)
            for index in range(pages):  # every page's size, before any OCR time is spent
                image.seek(index)
                _check_size(image, f"page {index + 1}")
        except IngestError:
            raise
        except _CORRUPT as exc:
            raise IngestError(f"corrupt image: {exc}") from exc
        blocks: list[Block] = []
        for index in range(pages):
            location = f"page {index + 1}"
            try:
                image.seek(index)
                page = ImageOps.exif_transpose(image)  # a phone photo stands the way it was held
            except _CORRUPT as exc:
                raise IngestError(f"corrupt image: {location}: {exc}") from exc
            blocks.extend(ocr_image(page, limits, location))
    yield Extracted(blocks, metadata={"ocr_languages": limits.ocr_languages}, pages=pages, ocr_pages=pages)
