"""Which reports are one event: a clustering that depends on the set of reports, never on their order.

The reports that can be one event with another (a positive comparison, `reports.compare`) form
connected *components*; each component is clustered on its own by `cluster`, so a store that adds one
report only re-clusters that report's component, and gets what clustering everything at once would.

Within a component, the pairs that join are taken from the strongest to the weakest (ties by the
reports' keys, which are the same in every store); a pair joins its two groups unless some report of
one conflicts with some report of the other — so a later report that proves two stored events one joins
them (transitively), and never a report that cannot be one with a member. A report that fits two groups
which cannot be one event about equally well (its weaker tie at least DOMINANCE of its stronger) asks
nothing and joins none: it is left alone and its candidates recorded; the groups are then formed again
without it, until no report is left fitting two.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from kurultai.merge.copies import similarity
from kurultai.merge.reports import Comparison, Report, compare

DOMINANCE = 0.75  # a report fits two groups when its tie to the weaker is at least this share of the stronger


@dataclass
class Clustering:
    groups: list[list[int]]  # indices of the reports given, each group in key order, groups by first key
    joined: dict[int, Comparison] = field(default_factory=dict)  # a report's strongest tie in its group
    ambiguous: dict[int, list[int]] = field(default_factory=dict)  # a report left alone: whom it fits


def comparisons(reports: list[Report]) -> dict[tuple[int, int], Comparison]:
    """Every pair (i < j) of `reports` that joins or conflicts."""
    out = {}
    for i, j in combinations(range(len(reports)), 2):
        a, b = reports[i], reports[j]
        copies = similarity(a.signature, b.signature) if a.signature and b.signature else 0.0
        c = compare(a, b, copies)
        if c.conflict or c.score > 0:
            out[i, j] = c
    return out


def cluster(reports: list[Report], pairs: dict[tuple[int, int], Comparison] | None = None,
            same: list[tuple[int, int]] = (), apart: list[tuple[int, int]] = ()) -> Clustering:
    """`same` and `apart`: pairs an analyst decided are one event or two; they hold over any comparison."""
    n = len(reports)
    pairs = dict(comparisons(reports) if pairs is None else pairs)
    for i, j in apart:
        pairs[min(i, j), max(i, j)] = Comparison("analyst")
    decided = {(min(i, j), max(i, j)) for i, j in same}
    conflicts: list[set[int]] = [set() for _ in range(n)]
    fits: list[set[int]] = [set() for _ in range(n)]
    edges = []
    for (i, j), c in pairs.items():
        if (i, j) in decided:
            continue
        if c.conflict:
            conflicts[i].add(j)
            conflicts[j].add(i)
        else:
            fits[i].add(j)
            fits[j].add(i)
            edges.append((-c.score, reports[i].key, reports[j].key, i, j))
    edges.sort()
    pinned = {k for pair in decided for k in pair}
    forced = [(-float("inf"), "", "", i, j) for i, j in sorted(decided)]
    alone: set[int] = set()
    while True:
        group = _agglomerate(n, edges, conflicts, alone, forced)
        fitting_two = {i for i in range(n) if i not in alone and i not in pinned
                       and _fits_two(i, group, fits, conflicts, pairs, alone)}
        if not fitting_two:
            break
        alone |= fitting_two
    seen: dict[int, list[int]] = {}
    for i in sorted(range(n), key=lambda k: reports[k].key):
        seen.setdefault(id(group[i]), []).append(i)
    result = Clustering(sorted(seen.values(), key=lambda g: reports[g[0]].key))
    for i in range(n):
        mates = sorted((j for j in fits[i] if group[j] is group[i]), key=lambda k: reports[k].key)
        if mates:  # the strongest tie; of equal ones, the mate first in key order
            best = max(mates, key=lambda j: pairs[min(i, j), max(i, j)].score)
            result.joined[i] = pairs[min(i, best), max(i, best)]
        elif i in pinned and len(group[i]) > 1:
            result.joined[i] = Comparison(None, float("inf"), ("analyst",))
        if i in alone:
            result.ambiguous[i] = sorted((j for j in fits[i] if j not in alone), key=lambda k: reports[k].key)
    return result


def _fits_two(i: int, group: list[set[int]], fits: list[set[int]], conflicts: list[set[int]],
              pairs: dict[tuple[int, int], Comparison], alone: set[int]) -> bool:
    """Whether `i` fits another group about as well as its own (within DOMINANCE of the best): a group
    fits when `i` has a tie to one of its members and conflicts with none."""
    best: dict[int, float] = {}
    for j in fits[i]:
        if j in alone:
            continue
        g = group[j]
        if g is not group[i] and conflicts[i] & g:
            continue
        score = pairs[min(i, j), max(i, j)].score
        if score > best.get(id(g), 0.0):
            best[id(g)] = score
    if len(best) < 2:
        return False
    top = max(best.values())
    return sum(1 for v in best.values() if v >= DOMINANCE * top) >= 2


def _agglomerate(n: int, edges: list, conflicts: list[set[int]], alone: set[int], forced: list = ()) -> list[set[int]]:
    """Each report's group (a shared set object per group): the `forced` pairs joined first, whatever
    conflicts, then the `edges` in their order."""
    group: list[set[int]] = [{i} for i in range(n)]
    for k, (_, _, _, i, j) in enumerate([*forced, *edges]):
        is_forced = k < len(forced)
        if not is_forced and (i in alone or j in alone):
            continue
        gi, gj = group[i], group[j]
        if gi is gj or (not is_forced and any(conflicts[x] & gj for x in gi)):
            continue
        if len(gi) < len(gj):
            gi, gj = gj, gi
        gi |= gj
        for k in gj:
            group[k] = gi
    return group
