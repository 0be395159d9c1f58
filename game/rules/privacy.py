"""The privacy gate: every figure about a group's votes, predictions or comfort answers passes here.

The rule (docs/privacy.md):

1. **Minimum group.** A figure about a group of fewer than `min_group` people who answered is never
   shown (`release_group` returns None). Whether a figure is withheld depends only on how many answered,
   which every surface shows anyway ("x of y voted"), never on what they answered: a withheld figure
   therefore says nothing about the answers.
2. **Unanimity.** A unanimous group gives away every member's answer, so it is shown only when the group
   is at or above the minimum, and then as "everyone agreed" (`Released.unanimous`), never as n/n or
   100 %: the statement is about the group, and it reads as one.
3. **All but one.** When everyone but one person chose the same, the distribution is shown like any
   other (the group is at or above the minimum): each of the n members could be the one who differs, so
   nobody's answer can be told, and labelling it would invite guessing. No special text for it.
4. **Breakdowns** (several groups of the same voters: roles, teams, role x team): small groups are
   merged into OTHER; if OTHER itself is too small the smallest shown groups join it (complementary
   suppression), so no hidden group is the difference between shown totals. Two breakdowns of the same
   voters are shown together only when no combination of their numbers isolates fewer than `min_group`
   people (`release_breakdowns`, minimum cut across the two); otherwise the later one is withheld.
5. **Counts** ("x of y can hardly live with it"): shown only when y is at or above the minimum.

Pure: no Flask, no database, no clock.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

DEFAULT_MIN_GROUP = 5   # the common practice of employee-survey tools
LOWEST_MIN_GROUP = 3    # a facilitator may go down to this, with a warning in the report
OTHER = "overig"         # the merged group's key (its label comes from each surface's strings)

# Breakdown notes: why a breakdown shows fewer groups than it has.
MERGED = "merged"                  # some groups were folded into OTHER, which is shown
HIDDEN = "hidden"                  # groups large enough exist, but showing them would expose the rest: withheld
ALL_SMALL = "all_small"            # every group is below the minimum: withheld
CROSS_WITHHELD = "cross_withheld"  # together with an earlier breakdown it would isolate < min_group people
UNPUBLISHED = "(unpublished)"      # a person in no cell of a breakdown published elsewhere: the rest, as one cell


@dataclass(frozen=True)
class Released:
    """What may be shown of one group's answers."""

    group: Hashable          # the group's key, or OTHER
    n: int                   # how many answered (always >= min_group when shown)
    counts: tuple[int, ...]  # the distribution over the answer values, in order
    unanimous: bool          # everyone chose the same: show as "everyone agreed", never as n/n


@dataclass(frozen=True)
class Breakdown:
    """The shown groups of one breakdown (then OTHER if shown) and why some are missing."""

    groups: tuple[Released, ...]
    note: str | None          # None, MERGED, HIDDEN, ALL_SMALL or CROSS_WITHHELD


def release_group(counts: Sequence[int], min_group: int, group: Hashable = None) -> Released | None:
    """One group's distribution, or None when it must be withheld (fewer than min_group answered)."""
    n = sum(counts)
    if n < max(min_group, 1):
        return None
    return Released(group, n, tuple(counts), unanimous=sum(1 for c in counts if c) == 1)


def release_count(part: int, whole: int, min_group: int) -> tuple[int, int] | None:
    """A count such as "part of whole find it hard", or None when fewer than min_group answered."""
    if whole < max(min_group, 1) or not 0 <= part <= whole:
        return None
    return part, whole


def release_breakdown(members: Mapping[Hashable, Hashable], answers: Mapping[Hashable, int],
                      values: Sequence[int], min_group: int) -> Breakdown:
    """One breakdown of the people who answered (person -> group), with complementary suppression."""
    answers = _valid(answers, values)
    cell_of, note = _cells(members, answers, min_group)
    return _breakdown(cell_of, answers, values, min_group, note)


def release_breakdowns(dimensions: Mapping[str, Mapping[Hashable, Hashable]], answers: Mapping[Hashable, int],
                       values: Sequence[int], min_group: int,
                       published: Sequence[Mapping[Hashable, Hashable]] = ()) -> dict[str, Breakdown]:
    """Several breakdowns of the same voters; one that would, together with an earlier one, isolate
    fewer than min_group people is withheld (note CROSS_WITHHELD). Earlier dimensions win. `published`:
    cells already shown elsewhere (person -> cell, e.g. the tables the live surfaces showed, everyone else
    in one cell), against which every breakdown is checked the same way."""
    answers = _valid(answers, values)
    result: dict[str, Breakdown] = {}
    accepted: list[dict[Hashable, Hashable]] = []
    for name, members in dimensions.items():
        cell_of, note = _cells(members, answers, min_group)
        elsewhere = [{p: shown.get(p, UNPUBLISHED) for p in cell_of} for shown in published]
        if cell_of and any(leaks_across(earlier, cell_of, min_group) for earlier in elsewhere + accepted):
            result[name] = Breakdown((), CROSS_WITHHELD)
            continue
        if cell_of:
            accepted.append(cell_of)
        result[name] = _breakdown(cell_of, answers, values, min_group, note)
    return result


def _valid(answers: Mapping[Hashable, int], values: Sequence[int]) -> dict[Hashable, int]:
    allowed = set(values)
    return {p: a for p, a in answers.items() if a in allowed}


def _cells(members: Mapping[Hashable, Hashable], answers: Mapping[Hashable, int],
           min_group: int) -> tuple[dict[Hashable, Hashable], str | None]:
    """Each answering person's published cell (their group or OTHER); {} when the breakdown is withheld."""
    voters = {p: members[p] for p in answers if p in members}
    sizes: dict[Hashable, int] = {}
    for g in voters.values():
        sizes[g] = sizes.get(g, 0) + 1
    if not sizes:
        return {}, None
    decision = suppress(sizes, min_group)
    if decision.suppressed:
        return {}, HIDDEN if any(n >= min_group for n in sizes.values()) else ALL_SMALL
    return cells(voters, decision), (MERGED if decision.merged else None)


def _breakdown(cell_of: Mapping[Hashable, Hashable], answers: Mapping[Hashable, int], values: Sequence[int],
               min_group: int, note: str | None) -> Breakdown:
    index = {v: i for i, v in enumerate(values)}
    tallies: dict[Hashable, list[int]] = {}
    for person, cell in cell_of.items():
        tallies.setdefault(cell, [0] * len(values))[index[answers[person]]] += 1
    shown = [release_group(tallies[g], min_group, g) for g in sorted((g for g in tallies if g != OTHER), key=str)]
    if OTHER in tallies:
        shown.append(release_group(tallies[OTHER], min_group, OTHER))
    # After suppression every cell holds >= min_group people; None cannot occur, filtered for safety.
    return Breakdown(tuple(r for r in shown if r is not None), note)


# --- the suppression machinery (the same as the report's; it moves here) ---

@dataclass(frozen=True)
class Suppression:
    """The outcome for one breakdown: groups shown, groups merged into "overig", and "overig" itself."""

    shown: tuple[Hashable, ...]          # groups shown on their own (each >= min_group voters)
    merged: tuple[Hashable, ...]         # groups folded into "overig" (too small, or complementary)
    other_size: int                      # voters in "overig" (0 = none)
    other_shown: bool                    # "overig" is shown (>= min_group) ...
    suppressed: bool                     # ... or the whole breakdown is withheld (nothing safe to show)


def suppress(sizes: Mapping[Hashable, int], min_group: int) -> Suppression:
    """Decide which groups of a breakdown to show so that every shown or derivable group has >= min_group."""
    present = {g: n for g, n in sizes.items() if n > 0}
    shown = {g: n for g, n in present.items() if n >= min_group}
    merged = [g for g in present if g not in shown]
    rest = sum(present[g] for g in merged)
    # Complementary suppression: a too-small rest could be computed as total - shown groups,
    # so the smallest shown groups join it until it is large enough (or nothing is shown).
    while 0 < rest < min_group and shown:
        smallest = min(shown, key=lambda g: (shown[g], str(g)))
        rest += shown.pop(smallest)
        merged.append(smallest)
    if not shown:
        # One group (or only "overig") is the total itself: no breakdown to show.
        return Suppression((), tuple(merged), rest, False, True)
    return Suppression(tuple(sorted(shown, key=str)), tuple(merged), rest, rest >= min_group, False)


def cells(membership: Mapping[Hashable, Hashable], decision: Suppression) -> dict[Hashable, Hashable]:
    """Each person's published cell under a suppression decision (shown group, or OTHER)."""
    visible = set(decision.shown)
    return {person: (group if group in visible else OTHER) for person, group in membership.items()}


def min_cut_across(a: Mapping[Hashable, Hashable], b: Mapping[Hashable, Hashable]) -> int | None:
    """The fewest people any combination of two published breakdowns of the same voters isolates.

    Both breakdowns (person -> published cell) are fully known to a reader, because the total is shown:
    a reader can form any sum of a-cells minus b-cells, which counts exactly the people whose a-cell and
    b-cell got different weights. In the bipartite graph of cells (edge weight = people in both), that is
    an edge cut; the smallest non-empty one is the graph's minimum cut (Stoer-Wagner per component).
    None when no combination isolates anybody (every component is a single a-cell/b-cell pair)."""
    weights: dict[tuple[tuple[str, Hashable], tuple[str, Hashable]], int] = {}
    for person, cell_a in a.items():
        key = (("a", cell_a), ("b", b[person]))
        weights[key] = weights.get(key, 0) + 1
    return _min_cut_of_cells(frozenset(weights.items()))


@functools.lru_cache(maxsize=1024)
def _min_cut_of_cells(weights: frozenset[tuple[tuple[tuple[str, Hashable], tuple[str, Hashable]], int]]) -> int | None:
    """min_cut_across for the cell graph only: the same people in the same groups on card after card give
    the same graph, so a report computes each one once."""
    graph: dict[tuple[str, Hashable], dict[tuple[str, Hashable], int]] = {}
    for (u, v), w in weights:
        graph.setdefault(u, {})[v] = w
        graph.setdefault(v, {})[u] = w
    best: int | None = None
    for component in _components(graph):
        if len(component) < 3:
            continue  # one a-cell equal to one b-cell: nothing new can be derived
        cut = _stoer_wagner({u: {v: w for v, w in graph[u].items()} for u in component})
        best = cut if best is None else min(best, cut)
    return best


def leaks_across(a: Mapping[Hashable, Hashable], b: Mapping[Hashable, Hashable], min_group: int) -> bool:
    """True when showing both breakdowns would let a reader isolate fewer than min_group people."""
    cut = min_cut_across(a, b)
    return cut is not None and cut < min_group


def _components(graph: dict) -> list[set]:
    seen: set = set()
    result = []
    for start in graph:
        if start in seen:
            continue
        stack, component = [start], set()
        while stack:
            node = stack.pop()
            if node in component:
                continue
            component.add(node)
            stack.extend(n for n in graph[node] if n not in component)
        seen |= component
        result.append(component)
    return result


def _stoer_wagner(graph: dict) -> int:
    """Global minimum edge cut of a small connected weighted graph (adjacency dict, mutated)."""
    best = math.inf
    nodes = list(graph)
    # Ties go to the node whose text sorts last, as before; ranked once, since building str(v) for every
    # candidate of every step was most of a 40-card report's aggregation (docs/benchmarks.md).
    rank = {v: i for i, v in enumerate(sorted(nodes, key=str))}
    while len(nodes) > 1:
        weights = {v: 0 for v in nodes}
        order: list = []
        remaining = set(nodes)
        while remaining:
            node = max(remaining, key=lambda v: (weights[v], rank[v]))
            remaining.remove(node)
            order.append(node)
            for neighbour, w in graph[node].items():
                if neighbour in remaining:
                    weights[neighbour] += w
        last, before = order[-1], order[-2]
        best = min(best, weights[last])
        # Merge `last` into `before`.
        for neighbour, w in graph.pop(last).items():
            graph[neighbour].pop(last, None)
            if neighbour != before:
                graph[before][neighbour] = graph[before].get(neighbour, 0) + w
                graph[neighbour][before] = graph[neighbour].get(before, 0) + w
        nodes.remove(last)
    return int(best)
