"""How the role groups see each card: each group's lean, what it expected the majority to be, and whether
all groups lean the same way (agreement across groups, as Pol.is calls consensus across opinion groups).

Only groups the privacy gate released in the card's role-group breakdown are described, with the same
members; a group's predictions are shown only when at least the minimum number of its members predicted.
"""
from __future__ import annotations

from collections import Counter

from game.report import model as rm
from game.report.tally import camp_reading
from game.rules import privacy
from game.rules.kinds import LETTERS, SIDES, KindDefinition


def card_groups(kind: KindDefinition, choices: list[rm.Choice], breakdown: rm.Breakdown, first: dict, group_of: dict,
                data, min_group: int) -> rm.CardGroups:  # noqa: ANN001
    camps = kind.camp_values(len(choices))
    named = {g.group for g in breakdown.groups if not g.other}
    members: dict[str, list] = {g.group: [] for g in breakdown.groups}
    other_key = next((g.group for g in breakdown.groups if g.other), None)
    for player, vote in first.items():
        if player not in data.players:
            continue
        group = group_of.get(data.players[player][0], data.players[player][0])
        key = group if group in named else other_key
        if key is not None:
            members[key].append(vote)
    merged = sorted({group_of.get(data.players[p][0], data.players[p][0]) for p in first if p in data.players} - named)
    leans = []
    for g in breakdown.groups:
        lean = camp_reading(kind, choices, kind.camp_counts(g.counts))
        predicted = Counter(v.prediction for v in members[g.group] if v.prediction is not None)
        released = privacy.release_group([predicted.get(c, 0) for c in camps], min_group)
        expected = camp_reading(kind, choices, list(released.counts)) if released else None
        leans.append(rm.GroupLean(group=" + ".join(merged) if g.other else g.group, other=g.other, n=g.n, lean=lean,
                                  unanimous=g.unanimous,
                                  expected=expected, expected_n=sum(released.counts) if released else 0,
                                  camps=list(kind.camp_counts(g.counts))))
    return rm.CardGroups(groups=leans, same_lean=_same_lean(leans, camps), difference=breakdown.difference,
                         note=breakdown.note)


def _same_lean(leans: list[rm.GroupLean], camps: tuple[int, ...]) -> bool | None:
    """True: every group's largest camp is the same one; False: two groups' largest camps have none in common;
    None: fewer than two groups, or a group tied between camps one of which another group leans to (two groups
    split 6-6 over A and B alike lean neither the same way nor different ways)."""
    if len(leans) < 2 or any(not lg.camps or not sum(lg.camps) for lg in leans):
        return None
    tops = [frozenset(v for v, n in zip(camps, lg.camps) if n == max(lg.camps)) for lg in leans]
    if len(set(tops)) == 1 and len(tops[0]) == 1:
        return True
    if any(not (a & b) for i, a in enumerate(tops) for b in tops[i + 1:]):
        return False
    return None


def choice_text(group: rm.GroupLean, t: dict, scale: bool) -> str:
    """What the group chose, without its name: '8 van 12 kozen C' / 'iedereen: eens'."""
    lean = group.lean
    if lean is None:
        return "–"
    if group.unanimous:
        return t["everyone_chose"].format(choice=lean.top_label if scale else _mark(lean))
    if scale:
        text = t[f"count_side_{lean.top_camp}"].format(count=lean.top_count, total=lean.total)
    else:
        # The option's letter only: the card's options are listed on its page.
        text = t["count_chose"].format(count=lean.top_count, total=lean.total, choice=_mark(lean))
    if not lean.tied:
        return text
    # A tie names every camp level with the leader, as the card's headline does ('6 van 12 kozen A, 6 kozen C').
    values = SIDES if scale else range(1, len(group.camps) + 1)
    tied = [v for v, n in zip(values, group.camps) if n == lean.top_count and v != lean.top_camp]
    if not tied:
        return text + " " + t["tied_note"]
    if scale:
        return ", ".join([text] + [t[f"and_side_{v}"].format(count=lean.top_count) for v in tied])
    return ", ".join([text] + [t["and_chose"].format(count=lean.top_count, choice=LETTERS[v - 1]) for v in tied])


def lean_text(group: rm.GroupLean, t: dict, scale: bool) -> str:
    """'Leiding: 8 van 12 kozen C' / 'HR: iedereen: A'."""
    return f"{group.group}: " + choice_text(group, t, scale)


def _mark(reading: rm.Reading) -> str:
    return reading.top_label.split(".", 1)[0]


def expected_text(group: rm.GroupLean, scale: bool, t: dict | None = None) -> str:
    """What the group expected its team's majority to choose: 'B (7 van 12 voorspellingen)' (without `t`:
    'B (7/12)')."""
    e = group.expected
    if e is None:
        return "–"
    choice = e.top_label if scale else _mark(e)
    if t is None:
        return f"{choice} ({e.top_count}/{e.total})"
    return t["groups_expected_count"].format(choice=choice, count=e.top_count, total=e.total) + (" " + t["tied_note"] if e.tied else "")


def expected_matches(group: rm.GroupLean) -> bool | None:
    """Did the group expect its team's majority to choose what the group itself mostly chose? None when
    either side is unknown or tied (no single camp to compare)."""
    if group.expected is None or group.lean is None or group.expected.tied or group.lean.tied:
        return None
    return group.expected.top_camp == group.lean.top_camp


def merged_groups(cards: list[rm.CardResult]) -> list[str]:
    """The names under which groups too small to show were counted together, over all cards (in card order)."""
    return list(dict.fromkeys(g.group for c in cards if c.groups for g in c.groups.groups if g.other))
