"""Agreement on one card, and whether a difference is larger than chance: pure functions over counts.

One measure for both card kinds (docs/report.md, "Measures"): the votes are grouped into *camps* — a
dilemma's camps are its options, a statement's camps are its sides (disagree = 1–2, neutral = 3,
agree = 4–5) — and a card's agreement is the share of voters in the largest camp ("14 van 20 kozen B").
Options nobody chose play no part, so the reading of a 10/10 split is the same on a two-option card as
on a four-option card, and an even split is never agreement.

Readings, checked in this order on exact counts (never on a rounded share):
- polarised: the two largest opposing camps (a dilemma: the two largest options; a statement: the
  agree and the disagree side) each hold at least POLARISED_MIN of the voters;
- strong:    the largest camp holds at least STRONG_MIN;
- moderate:  the largest camp holds at least MODERATE_MIN;
- divided:   anything else (the votes are spread, no camp leads clearly).

Chance (is a shown difference more than chance gives for this many voters?), two-sided, at ALPHA:
- the same people voting twice (first vote and the vote after discussion): McNemar's exact test on
  those who moved into the camp that leads after the discussion against those who moved out of it;
- two independent groups (this session and an earlier one, or two role groups): Fisher's exact test
  on the share of each group in the camp that leads overall.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

STRONG, MODERATE, DIVIDED, POLARISED = "strong", "moderate", "divided", "polarised"
READINGS = (STRONG, MODERATE, DIVIDED, POLARISED)

STRONG_MIN = Fraction(3, 4)      # three in four voters in one camp
MODERATE_MIN = Fraction(3, 5)    # three in five
POLARISED_MIN = Fraction(7, 20)  # 35 %: two opposing camps of at least this size are two camps, not a majority
ALPHA = 0.05                     # a difference is "more than chance" when its p-value is below this


@dataclass(frozen=True)
class Agreement:
    """The reading of one distribution over camps."""

    reading: str
    top_camp: int          # index into the camps of the largest one (the first of tied largest ones)
    top_count: int
    total: int
    tied: bool             # two or more camps share the largest count

    @property
    def share(self) -> float:
        return self.top_count / self.total


def read(camp_counts: Sequence[int], opposing: tuple[int, int] | None = None) -> Agreement | None:
    """The reading of counts over camps; `opposing` names the two camps that are each other's opposite
    (a statement's disagree and agree sides); without it the two largest camps are (dilemma options).
    None when nobody voted."""
    total = sum(camp_counts)
    if total == 0:
        return None
    top = max(camp_counts)
    top_camp = camp_counts.index(top)
    tied = list(camp_counts).count(top) > 1
    if opposing is None:
        first, second = sorted(camp_counts, reverse=True)[:2] if len(camp_counts) > 1 else (top, 0)
    else:
        first, second = camp_counts[opposing[0]], camp_counts[opposing[1]]
    if min(first, second) >= POLARISED_MIN * total:
        reading = POLARISED
    elif top >= STRONG_MIN * total:
        reading = STRONG
    elif top >= MODERATE_MIN * total:
        reading = MODERATE
    else:
        reading = DIVIDED
    return Agreement(reading, top_camp, top, total, tied)


# --- chance ---

def mcnemar_exact(moved_in: int, moved_out: int) -> float:
    """Two-sided exact McNemar p-value for paired votes: under chance, each of the b + c people who
    changed sides was as likely to move in as out (binomial, p = 1/2). 1.0 when nobody changed."""
    changed = moved_in + moved_out
    if changed == 0:
        return 1.0
    low = min(moved_in, moved_out)
    tail = sum(math.comb(changed, k) for k in range(low + 1)) / 2 ** changed
    return min(1.0, 2 * tail)


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher's exact p-value of the 2x2 table [[a, b], [c, d]] (rows: the two groups;
    columns: in the camp, not in it): the chance of a table at most as likely as this one, with the
    same margins."""
    row1, row2, col1 = a + b, c + d, a + c
    n = row1 + row2
    if n == 0 or row1 == 0 or row2 == 0 or col1 == 0 or col1 == n:
        return 1.0
    denominator = math.comb(n, col1)

    def probability(x: int) -> float:
        return math.comb(row1, x) * math.comb(row2, col1 - x) / denominator

    observed = probability(a)
    low, high = max(0, col1 - row2), min(row1, col1)
    p = sum(pr for x in range(low, high + 1) if (pr := probability(x)) <= observed * (1 + 1e-9))
    return min(1.0, p)


@dataclass(frozen=True)
class Difference:
    """A shown difference with its chance test: `p` and whether it is more than chance (p < ALPHA)."""

    test: str              # "mcnemar-exact" or "fisher-exact"
    p: float
    beyond_chance: bool


def paired_difference(moved_in: int, moved_out: int) -> Difference:
    p = mcnemar_exact(moved_in, moved_out)
    return Difference("mcnemar-exact", round(p, 4), p < ALPHA)


def independent_difference(in_a: int, total_a: int, in_b: int, total_b: int) -> Difference:
    p = fisher_exact(in_a, total_a - in_a, in_b, total_b - in_b)
    return Difference("fisher-exact", round(p, 4), p < ALPHA)


def groups_difference(in_camp: Sequence[int], totals: Sequence[int]) -> Difference | None:
    """Do several independent groups differ in their share of one camp? Fisher's exact test on the two
    groups furthest apart, Bonferroni-corrected for the number of pairs one could have picked. None
    with fewer than two groups."""
    groups = [(i, n) for i, n in zip(in_camp, totals) if n]
    if len(groups) < 2:
        return None
    low = min(groups, key=lambda g: g[0] / g[1])
    high = max(groups, key=lambda g: g[0] / g[1])
    pairs = len(groups) * (len(groups) - 1) // 2
    p = min(1.0, pairs * fisher_exact(high[0], high[1] - high[0], low[0], low[1] - low[0]))
    return Difference("fisher-exact-bonferroni", round(p, 4), p < ALPHA)
