"""Agreement measures and anonymity: pure functions over vote counts and group sizes.

Agreement:
- statement cards (ordinal 5-point scale): Tastle & Wierman's consensus (2007),
  Cns = 1 + sum_i p_i * log2(1 - |X_i - mu| / d), d = X_max - X_min (the scale's width).
  1 = everyone chose the same point; 0 = half at each extreme.
- dilemma cards (nominal options): 1 - H / log2(k), H the Shannon entropy of the distribution over
  the card's k options. 1 = everyone chose the same option; 0 = spread evenly over all options.

Anonymity: a breakdown (by role or by team) shows a group only when at least `min_group` people in it
voted on the card; smaller groups are merged into "overig", and if that rest is itself too small the
smallest shown groups join it (complementary suppression), so no hidden group can be worked out by
subtracting the shown ones from the total. When two breakdowns of the same votes are shown (roles and
teams), `leaks_across` checks that no combination of their numbers isolates fewer than `min_group`
people; if it would, only one breakdown is shown.
"""
from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

# --- agreement: readings and the thresholds behind them (documented in docs/report.md) ---
STRONG, MODERATE, DIVIDED, POLARISED = "strong", "moderate", "divided", "polarised"

# Ordinal consensus (statement cards): lower bounds of each reading.
ORDINAL_STRONG = 0.80     # e.g. everyone on "eens"/"helemaal eens"
ORDINAL_MODERATE = 0.60   # one side, with some spread
ORDINAL_DIVIDED = 0.40    # a uniform spread over all five points scores 0.43
# Below ORDINAL_DIVIDED: polarised (mass on both sides of the scale; an even split over the extremes is 0).

# Nominal agreement (dilemma cards): entropy-based scores are lower for the same majority,
# so the bounds are lower: 0.50 ~ 90/10 over two options, 0.20 ~ 75/25.
NOMINAL_STRONG = 0.50
NOMINAL_MODERATE = 0.20
# Below NOMINAL_MODERATE: divided. A dilemma counts as polarised when, in addition, the two largest
# options each hold at least this share of the votes (two camps):
NOMINAL_CAMP_SHARE = 0.35

# --- anonymity ---
DEFAULT_MIN_GROUP = 5   # the common practice of employee-survey tools
LOWEST_MIN_GROUP = 3    # a facilitator may go down to this, with a warning in the report
OTHER = "overig"         # the merged group's key (its label comes from the report's strings)


def ordinal_consensus(counts: Sequence[int]) -> float | None:
    """Tastle & Wierman's consensus over an ordinal scale with len(counts) points (None: no votes)."""
    n = sum(counts)
    if n == 0:
        return None
    width = len(counts) - 1
    if width == 0:
        return 1.0
    shares = [c / n for c in counts]
    mean = sum((i + 1) * p for i, p in enumerate(shares))
    total = 0.0
    for i, p in enumerate(shares):
        if p:
            total += p * math.log2(1 - abs(i + 1 - mean) / width)
    return _clip(1 + total)


def nominal_agreement(counts: Sequence[int]) -> float | None:
    """1 - normalised Shannon entropy over the card's options (None: no votes)."""
    n = sum(counts)
    if n == 0:
        return None
    k = len(counts)
    if k < 2:
        return 1.0
    entropy = -sum((c / n) * math.log2(c / n) for c in counts if c)
    return _clip(1 - entropy / math.log2(k))


def _clip(value: float) -> float:
    # Floating-point noise must not give -0.0000001 or 1.0000001.
    return round(min(1.0, max(0.0, value)), 6)


def agreement(kind: str, counts: Sequence[int]) -> float | None:
    """The card kind's agreement score: ordinal for statements, nominal for dilemmas."""
    return ordinal_consensus(counts) if kind == "statement" else nominal_agreement(counts)


def reading(kind: str, counts: Sequence[int]) -> str | None:
    """Plain-language reading of a distribution: strong, moderate, divided or polarised."""
    score = agreement(kind, counts)
    if score is None:
        return None
    if kind == "statement":
        if score >= ORDINAL_STRONG:
            return STRONG
        if score >= ORDINAL_MODERATE:
            return MODERATE
        return DIVIDED if score >= ORDINAL_DIVIDED else POLARISED
    if score >= NOMINAL_STRONG:
        return STRONG
    if score >= NOMINAL_MODERATE:
        return MODERATE
    top = sorted(counts, reverse=True)
    n = sum(counts)
    two_camps = len(top) >= 2 and top[1] / n >= NOMINAL_CAMP_SHARE
    return POLARISED if two_camps else DIVIDED


def majority(counts: Sequence[int]) -> int | None:
    """The 1-based choice with the most votes, or None when there is no single largest."""
    if not counts or sum(counts) == 0:
        return None
    best = max(counts)
    winners = [i + 1 for i, c in enumerate(counts) if c == best]
    return winners[0] if len(winners) == 1 else None


def mean_position(counts: Sequence[int]) -> float | None:
    """The mean scale point (statement cards)."""
    n = sum(counts)
    return None if n == 0 else sum((i + 1) * c for i, c in enumerate(counts)) / n


# --- anonymity: which groups of a breakdown may be shown ---

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
    graph: dict[tuple[str, Hashable], dict[tuple[str, Hashable], int]] = {}
    for (u, v), w in weights.items():
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
    while len(nodes) > 1:
        weights = {v: 0 for v in nodes}
        order: list = []
        remaining = set(nodes)
        while remaining:
            node = max(remaining, key=lambda v: (weights[v], str(v)))
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
