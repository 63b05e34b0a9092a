"""Spans of a text, so that a long text is read in linear time.

`Taken`: the positions that spans already picked cover. The pickers that keep the best of overlapping
candidates (gazetteer `resolve`, `find_dates`) ask, for each candidate, whether it overlaps one kept
before: that costs the candidate's length, not the number of spans kept so far.

`pieces`: a text cut into pieces of bounded length, for what costs more than linear time in the length
of what it reads at once (natasha's NER, a sentence's lookups).

`Rewrite`: a text rewritten (Kazakh Latin read in Cyrillic) with the map of its characters back to the
original's, so that the evidence found in the rewritten text points at the original characters.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator


class Taken:
    """Non-empty spans [start, end) marked on a map of the text's positions (grown as needed)."""

    def __init__(self, size: int = 0) -> None:
        self._map = bytearray(size)

    def first(self, start: int, end: int) -> int:
        """The first position of [start, end) a span taken covers, -1 if none does. When `start` itself
        is free, that is the start of the first span taken that overlaps [start, end)."""
        return self._map.find(1, start, end)

    def free(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps no span taken."""
        return self.first(start, end) == -1

    def take(self, start: int, end: int) -> None:
        if end > len(self._map):
            self._map.extend(bytes(max(end - len(self._map), len(self._map))))
        self._map[start:end] = b"\x01" * (end - start)


def pieces(text: str, limit: int, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive pieces of `text[start:end]` of at most `limit` characters, each cut
    after its last line break (else its last space; a piece without either is cut at `limit`)."""
    end = len(text) if end is None else end
    while end - start > limit:
        cut = text.rfind("\n", start, start + limit) + 1 or text.rfind(" ", start, start + limit) + 1 or start + limit
        yield start, cut
        start = cut
    yield start, end


class Rewrite:
    """A text rewritten piece by piece (into another script, say) and the way back to the original.

    `pieces` are (start, end, new) in the order of the text, without overlaps: the characters
    `original[start:end]` are written `new`; what no piece covers stays as it is. Every character of
    `text` knows the piece of the original it was written from, so `original_span` maps a span of
    `text` onto the exact characters of `original` ("ш" written from "sh" maps back to both letters,
    a span that starts or ends inside a piece takes all of it)."""

    def __init__(self, original: str, pieces: Iterable[tuple[int, int, str]]) -> None:
        self.original = original
        out: list[str] = []
        starts = array("l")
        ends = array("l")
        pos = 0
        for start, end, new in pieces:
            if start < pos or end < start:
                raise ValueError("pieces overlap or are out of order")
            out.append(original[pos:start])
            starts.extend(range(pos, start))
            ends.extend(range(pos + 1, start + 1))
            out.append(new)
            starts.extend([start] * len(new))
            ends.extend([end] * len(new))
            pos = end
        out.append(original[pos:])
        starts.extend(range(pos, len(original)))
        ends.extend(range(pos + 1, len(original) + 1))
        starts.append(len(original))
        self.text = "".join(out)
        self._starts = starts
        self._ends = ends

    def rewritten_offset(self, pos: int) -> int:
        """Where the character `original[pos]` went in `text`: the start of what its piece was written as."""
        i = max(bisect_right(self._starts, pos) - 1, 0)
        return bisect_left(self._starts, self._starts[i])

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of `original` that `text[start:end]` was written from."""
        start = min(max(start, 0), len(self.text))
        end = min(max(end, start), len(self.text))
        if end == start:
            return self._starts[start], self._starts[start]
        return self._starts[start], self._ends[end - 1]
