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

from bisect import bisect_right
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
    `text` onto the exact characters of `original`: a piece written letter for letter (as many
    characters as it had) maps character by character, any other maps as a whole ("ш" written from
    "sh" maps back to both letters; a span that starts or ends inside it takes all of it).

    The map holds one segment per run of letter-for-letter pieces and one per other piece, not one
    entry per character: a long text costs little more than its rewritten copy."""

    def __init__(self, original: str, pieces: Iterable[tuple[int, int, str]]) -> None:
        self.original = original
        out: list[str] = []
        # segments (new start, new length, original start, original length), in text order
        segs: list[list[int]] = []
        new_pos = pos = 0

        def add(start: int, end: int, new_len: int) -> None:
            last = segs[-1] if segs else None
            if last is not None and new_len == end - start and last[1] == last[3] and last[2] + last[3] == start:
                last[1] += new_len  # one more letter-for-letter run: the same segment
                last[3] += new_len
            elif end > start or new_len:
                segs.append([new_pos, new_len, start, end - start])

        for start, end, new in pieces:
            if start < pos or end < start:
                raise ValueError("pieces overlap or are out of order")
            if start > pos:
                out.append(original[pos:start])
                add(pos, start, start - pos)
                new_pos += start - pos
            out.append(new)
            add(start, end, len(new))
            new_pos += len(new)
            pos = end
        if pos < len(original):
            out.append(original[pos:])
            add(pos, len(original), len(original) - pos)
        self.text = "".join(out)
        self._segs = [tuple(x) for x in segs]
        self._written = [x for x in self._segs if x[1]]  # the segments that wrote characters
        self._new_starts = [x[0] for x in self._written]
        self._orig_starts = [x[2] for x in self._segs]

    def _at(self, i: int) -> tuple[int, int]:
        """The span of `original` that the character `text[i]` was written from."""
        new_start, new_len, start, length = self._written[bisect_right(self._new_starts, i) - 1]
        if new_len == length:
            return start + i - new_start, start + i - new_start + 1
        return start, start + length

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of `original` that `text[start:end]` was written from."""
        start = min(max(start, 0), len(self.text))
        end = min(max(end, start), len(self.text))
        if start == len(self.text):
            return len(self.original), len(self.original)
        if end == start:
            return self._at(start)[0], self._at(start)[0]
        return self._at(start)[0], self._at(end - 1)[1]

    def rewritten_offset(self, pos: int) -> int:
        """Where the character `original[pos]` went in `text`: the start of what its piece was written as."""
        i = bisect_right(self._orig_starts, pos) - 1
        if i < 0:
            return 0
        new_start, new_len, start, length = self._segs[i]
        if pos >= start + length:
            return new_start + new_len
        return new_start + (pos - start if new_len == length else 0)
