"""The character positions of a text that spans already picked cover.

The pickers that keep the best of overlapping candidates (gazetteer `resolve`, `find_dates`) ask, for
each candidate, whether it overlaps one kept before: here that costs the candidate's length, not the
number of spans kept so far, so a long text is not read in quadratic time.
"""

from __future__ import annotations


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
