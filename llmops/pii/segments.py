"""Overlapping analysis windows for texts too long to hand to spaCy whole.

spaCy refuses a text over ``nlp.max_length`` (E088) and slows down on very long ones, so the scrubber
analyzes a long text as windows. Each window owns a *core*; the cores tile the text, and a detection
counts only in the window whose core holds its start. A window reaches ``overlap`` characters or
more past its core on either side, so a value up to ``overlap`` long that starts in a core lies whole
in that window, with at least ``overlap`` characters of context before it: a value across a cut is
found whole, once. Cuts and window edges fall at the strongest boundary nearby (blank line, line
break, sentence end, whitespace), never inside a word unless a stretch holds no whitespace at all.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Strongest first; a boundary is the position just after the match (the start of the next unit).
_BOUNDARIES = (
    re.compile(r"\n[^\S\n]*\n\s*"),  # blank line: a paragraph ends
    re.compile(r"\n\s*"),
    re.compile(r"[.!?。！？][\"'”’)\]]*\s+"),
    re.compile(r"\s+"),
)


class Segment(NamedTuple):
    """Window [start, end) of a text analyzed on its own; its detections count if they start in
    [core_start, core_end)."""

    start: int
    end: int
    core_start: int
    core_end: int


def segment(text: str, size: int, overlap: int) -> list[Segment]:
    """Windows of at most ``size`` characters covering ``text``; one window when it fits.

    A core is at most ``size - 4 * overlap`` long and a window adds between ``overlap`` and
    ``2 * overlap`` on each side (cut at a boundary), so a window never exceeds ``size``.
    """
    if len(text) <= size:
        return [Segment(0, len(text), 0, len(text))]
    check_window(size, overlap)
    step = size - 4 * overlap
    cuts = [0]
    while len(text) - cuts[-1] > step:
        cuts.append(_boundary(text, cuts[-1] + step // 2, cuts[-1] + step, last=True))
    cuts.append(len(text))
    windows = []
    for core_start, core_end in zip(cuts, cuts[1:]):
        start = _boundary(text, max(core_start - 2 * overlap, 0), max(core_start - overlap, 0), last=True)
        end = _boundary(text, min(core_end + overlap, len(text)), min(core_end + 2 * overlap, len(text)), last=False)
        windows.append(Segment(start, end, core_start, core_end))
    return windows


def check_window(size: int, overlap: int) -> None:
    """Reject sizes that leave a window no core of its own (segment() would never advance)."""
    if overlap < 1 or size <= 4 * overlap:
        raise ValueError(
            f"segment_chars ({size}) must exceed 4 x segment_overlap_chars ({overlap}), which must be >= 1"
        )


def _boundary(text: str, lo: int, hi: int, last: bool) -> int:
    """A position in [lo, hi] just after the strongest boundary there: the last such one (cuts,
    window starts) or the first (window ends). ``hi`` itself when the stretch has no whitespace."""
    for pattern in _BOUNDARIES:
        ends = [m.end() for m in pattern.finditer(text, lo, hi)]
        if ends:
            return ends[-1] if last else ends[0]
    return hi
