"""The decision note: the one page an MT reads first (docs/report.md, "The decision note").

Each card lands in at most one list, in this order of precedence:
- decide: the group ended divided or polarised — the MT has a question to decide (with the strongest
  argument of each of the two largest camps);
- moved:  people who voted twice changed their vote more than chance gives (paired test), or a fifth
  or more of them changed and the leading camp changed with them;
- agree:  the group ended with strong agreement — to confirm as policy.
Each list shows at most NOTE_MAX cards, the clearest first; every other card is in `rest` (the
appendix), one line each, so nothing is hidden. Actions are grouped by owner, earliest due date first.
"""
from __future__ import annotations

from collections import defaultdict

from game.report import model as rm
from game.report.groups import lean_text
from game.rules import agreement
from game.rules.kinds import kind_of

NOTE_MAX = 5
MOVED_SHARE = 0.2   # a fifth of the paired voters changed ...
DECIDE = (agreement.POLARISED, agreement.DIVIDED)


def headline(card: rm.CardResult, t: dict, *, labels: bool = True) -> str:
    """'14 van 20 kozen B. Tijdelijk detacheren' / '17 van 20 eens' — the final vote in words."""
    return tally_headline(card, card.final, t, labels=labels)


def tally_headline(card: rm.CardResult, view: rm.Tally | None, t: dict, *, labels: bool = True) -> str:
    """One ballot in words. A clear lead names its camp ('14 van 20 kozen B. Tijdelijk detacheren'); a split
    (divided, polarised) or a tie also names the runner-up and every camp tied with the leader, by letter
    ('10 van 20 kozen A, 10 kozen B'; '10 van 24 oneens, 10 eens'), so a reader sees the split the reading
    names. `labels=False`: options by letter only (the decision note's question spells them out)."""
    if view is None or view.agreement is None:
        return t["too_few_votes"]
    a = view.agreement
    if view.unanimous:
        return t["everyone_chose"].format(choice=a.top_label)
    kind = kind_of(card.kind)
    camps = kind.camp_values(len(card.choices))
    ranked = sorted(range(len(view.camps)), key=lambda i: -view.camps[i])   # stable: the leader first
    split = a.tied or a.reading in DECIDE
    others = [i for k, i in enumerate(ranked[1:]) if view.camps[i] and (view.camps[i] == a.top_count or (split and k == 0))]
    if kind.is_scale:
        text = t[f"count_side_{a.top_camp}"].format(count=a.top_count, total=a.total)
        return ", ".join([text] + [t[f"and_side_{camps[i]}"].format(count=view.camps[i]) for i in others])
    if others or not labels:
        choice = card.choices[a.top_camp - 1].mark
    else:
        choice = _short(a.top_label)
    text = t["count_chose"].format(count=a.top_count, total=a.total, choice=choice)
    return ", ".join([text] + [t["and_chose_one" if view.camps[i] == 1 else "and_chose"].format(
        count=view.camps[i], choice=card.choices[camps[i] - 1].mark) for i in others])


def _short(label: str, limit: int = 80) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def moves_text(card: rm.CardResult, t: dict) -> str:
    """'5 van 18 veranderden hun stem: 3 van A naar B, 2 van C naar B.'"""
    change = card.change
    if change is None:
        return ""
    # Options by letter (listed on the card's page); scale points by their words ("van neutraal naar eens").
    marks = {c.value: (c.label if kind_of(card.kind).is_scale else c.mark) for c in card.choices}
    parts = [t["move"].format(count=m.count, source=marks[m.source], target=marks[m.target]) for m in change.moves[:4]]
    text = t["changed_votes"].format(changed=change.changed, paired=change.paired)
    text += (": " + ", ".join(parts) if parts else "") + "."
    # The chance test is about this net shift (into the camp that leads after the discussion, against out
    # of it), not about the individual changes above: say so, so that "within chance" is read right.
    camp = f"“{t[f'side_{change.camp}']}”" if kind_of(card.kind).is_scale else card.choices[change.camp - 1].mark
    return text + " " + t["net_shift"].format(camp=camp, before=change.before, after=change.after)


def _question(card: rm.CardResult, t: dict) -> str:
    final = card.final
    if kind_of(card.kind).is_scale:
        return t["question_statement"].format(title=card.title.rstrip("?").rstrip())
    ranked = sorted(range(len(final.counts)), key=lambda i: -final.counts[i])[:2]
    # An option is usually a sentence: its full stop would clash with the question's comma and mark.
    first, second = (f"{card.choices[i].mark}. {_short(card.choices[i].label, 60).rstrip('.!?')}" for i in ranked)
    return t["question_dilemma"].format(first=first, second=second)


def _side_arguments(card: rm.CardResult) -> list[rm.ArgumentQuote]:
    """The most *nuttig* argument for each of the two largest camps (statements: for and against)."""
    kind = kind_of(card.kind)
    final = card.final
    camps = kind.camp_values(len(card.choices))
    ranked = sorted(range(len(final.camps)), key=lambda i: -final.camps[i])
    stances = [kind.stance_of_camp(camps[i]) for i in ranked if kind.stance_of_camp(camps[i])][:2]
    picked = []
    for stance in stances:
        candidates = [a for a in card.arguments if a.stance == stance]
        if candidates:
            picked.append(max(candidates, key=lambda a: (a.helpful, len(a.text))))
    return picked


def _moved(card: rm.CardResult) -> bool:
    change = card.change
    if change is None or not change.changed:
        return False
    if change.difference.beyond_chance:
        return True
    first_top = card.first.agreement.top_camp if card.first and card.first.agreement else None
    return change.changed >= MOVED_SHARE * change.paired and first_top != change.camp


def place(card: rm.CardResult) -> str | None:
    """Which list of the note a card belongs to (None: the appendix)."""
    final = card.final
    if final is None or final.agreement is None:
        return None
    if final.agreement.reading in DECIDE:
        return "decide"
    if _moved(card):
        return "moved"
    if final.agreement.reading == agreement.STRONG:
        return "agree"
    return None


def _entry(card: rm.CardResult, t: dict) -> rm.NoteCard:
    final = card.final
    return rm.NoteCard(card=card.key, position=card.position, title=card.title, headline=headline(card, t),
                       reading=final.agreement.reading if final and final.agreement else None,
                       moves=moves_text(card, t),
                       beyond_chance=card.change.difference.beyond_chance if card.change else None)


def _rest_entry(card: rm.CardResult, t: dict) -> rm.NoteCard:
    """An appendix line: where the card ended; who moved only for a card that belongs to a list but did not fit
    (a card that no list takes did not move clearly: its changes are on its own page)."""
    entry = _entry(card, t)
    if card.place is None:
        entry.moves, entry.beyond_chance = "", None
    return entry


def decision_note(report: rm.Report, t: dict) -> rm.DecisionNote:
    lists: dict[str, list[rm.CardResult]] = defaultdict(list)
    for card in report.cards:
        card.place = place(card)
        lists[card.place].append(card)

    def closeness(c: rm.CardResult) -> float:
        camps = sorted(c.final.camps, reverse=True)
        return camps[1] / camps[0] if len(camps) > 1 and camps[0] else 0.0

    ranked = {
        "agree": sorted(lists["agree"], key=lambda c: (-c.final.agreement.share, -c.final.total, c.position)),
        "decide": sorted(lists["decide"], key=lambda c: (c.final.agreement.reading != agreement.POLARISED,
                                                         -closeness(c), -c.final.total, c.position)),
        "moved": sorted(lists["moved"], key=lambda c: (not c.change.difference.beyond_chance,
                                                       -c.change.changed / c.change.paired, c.position)),
    }
    shown: dict[str, list[rm.NoteCard]] = {}
    overflow: list[rm.CardResult] = []
    for key, cards in ranked.items():
        shown[key] = []
        for card in cards[:NOTE_MAX]:
            entry = _entry(card, t)
            if key == "decide":
                entry.question = _question(card, t)
                entry.arguments = _side_arguments(card)
            shown[key].append(entry)
        overflow += cards[NOTE_MAX:]
    rest = sorted(overflow + lists[None], key=lambda c: c.position)
    by_owner: dict[str, list[rm.Action]] = defaultdict(list)
    for action in report.actions:
        by_owner[" ".join(action.owner.split()) or t["no_owner"]].append(action)
    owners = [rm.OwnerActions(owner, sorted(actions, key=lambda a: (a.due or "9999", a.card_position)))
              for owner, actions in sorted(by_owner.items(), key=lambda kv: kv[0].casefold())]
    differ, share = [], []
    for card in report.cards:
        if card.groups is None or card.groups.same_lean is None:
            continue
        scale = kind_of(card.kind).is_scale
        entry = rm.GroupsNoteCard(card.key, card.position, card.title, [lean_text(g, t, scale) for g in card.groups.groups],
                                  card.groups.difference.beyond_chance if card.groups.difference else None)
        (share if card.groups.same_lean else differ).append((card, entry))
    # Where groups differ: the clearest differences first (the chance test's p), at most NOTE_MAX; where
    # every group leans the same way: the strongest overall agreement first.
    differ.sort(key=lambda ce: (ce[0].groups.difference.p if ce[0].groups.difference else 1.0, ce[0].position))
    share.sort(key=lambda ce: (-(ce[0].first.agreement.share if ce[0].first and ce[0].first.agreement else 0), ce[0].position))
    return rm.DecisionNote(agree=shown["agree"], decide=shown["decide"], moved=shown["moved"], actions_by_owner=owners,
                           rest=[_rest_entry(c, t) for c in rest], max_per_list=NOTE_MAX,
                           groups_differ=[e for _, e in differ[:NOTE_MAX]], groups_share=[e for _, e in share[:NOTE_MAX]])
