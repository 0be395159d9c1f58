"""This session against an earlier one (the six-month follow-up): per shared card, the first votes then and
now, the share of the camp that leads now, and whether the shift is larger than chance (Fisher's exact
test); and the earlier session's actions with their status."""
from __future__ import annotations

from game.report import model as rm
from game.report.load import RoomData
from game.report.tally import camp_label
from game.rules import agreement
from game.rules.kinds import kind_of


def compare(previous: RoomData, played: list[rm.CardResult], before: dict[str, rm.CardResult], min_group: int,
            language: str, previous_actions: list[rm.Action]) -> rm.Comparison:
    """Both sessions compared on their first votes (the vote before any discussion of the day)."""
    rows, rewritten = [], []
    for card in played:
        old = before.get(card.key)
        if old is None:
            continue
        if not _same_question(card, old):
            rewritten.append(f"{card.position}. {card.title}")
            continue
        rows.append(_row(card, old))
    prev_date = previous.ended_at or previous.created_at
    return rm.Comparison(
        previous_code=previous.code, previous_title=previous.title, previous_date=prev_date.date().isoformat(),
        previous_participants=len(previous.participant_ids), cards=rows, previous_actions=previous_actions,
        not_in_previous=[f"{c.position}. {c.title}" for c in played if c.key not in before],
        rewritten_since_previous=rewritten)


def _same_question(card: rm.CardResult, old: rm.CardResult) -> bool:
    """Whether both sessions answered the same question: a card keeps its id when a deck is edited, and votes on
    a rewritten text or other options would be set side by side as if people had changed their minds."""
    return (card.kind == old.kind and card.text.strip() == old.text.strip()
            and [c.label.strip() for c in card.choices] == [c.label.strip() for c in old.choices])


def _row(card: rm.CardResult, old: rm.CardResult) -> rm.ComparisonRow:
    kind = kind_of(card.kind)
    now, then = card.first, old.first
    camp = camp_index = None
    label = ""
    prev_share = cur_share = None
    difference = None
    if now and then and now.agreement:
        camp = now.agreement.top_camp
        camp_index = kind.camp_values(len(card.choices)).index(camp)
        label = camp_label(kind, card.choices, camp)
        in_now, in_then = now.camps[camp_index], then.camps[camp_index]
        cur_share, prev_share = round(in_now / now.total, 4), round(in_then / then.total, 4)
        d = agreement.independent_difference(in_then, then.total, in_now, now.total)
        difference = rm.Difference(d.test, d.p, d.beyond_chance)
    return rm.ComparisonRow(
        card=card.key, title=card.title, kind=card.kind, previous=then, current=now, camp=camp, camp_label=label,
        previous_share=prev_share, current_share=cur_share, difference=difference,
        majority_changed=bool(now and then and now.agreement and then.agreement
                              and (now.agreement.top_camp != then.agreement.top_camp)))
