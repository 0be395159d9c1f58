"""Which cards go into the three summary sections; every threshold is a named constant (docs/report.md)."""
from __future__ import annotations

from game.report import measures as m

# A card's "final" view is the vote after discussion when the room held one, else the first vote.
AGREE_READINGS = frozenset({m.STRONG})                  # "Waar we het over eens zijn"
FRICTION_READINGS = frozenset({m.DIVIDED, m.POLARISED})  # "Waar het schuurt"
# Groups (shown teams or roles) "differ" on a statement when their means are this far apart
# (on the 1-5 scale), and on a dilemma when their majorities are different options.
GROUP_MEAN_GAP = 1.0
# Teams "decided differently" on a statement when their positions are this far apart.
DECISION_GAP = 2
# "Waar het gesprek ons bracht": the second vote moved agreement by at least this much ...
SHIFT_AGREEMENT = 0.15
# ... or moved the mean by at least this many scale points (statements), or changed the majority.
SHIFT_MEAN = 0.5
# "Can you live with it?": a card chafes when at least this share of the answers was low (1 or 2).
LOW_COMFORT_SHARE = 0.2


def final(card: dict) -> dict:
    """The distribution the group ended with: the second vote if there was one, else the first."""
    return card["second_vote"] or card


def friction_reasons(card: dict) -> list[str]:
    """Why a card belongs on the MT's agenda (empty: it does not)."""
    reasons = []
    view = final(card)
    if view["agreement"] and view["agreement"]["reading"] in FRICTION_READINGS:
        reasons.append("low_agreement")
    decided = [t["position"] for t in card["teams"] if t["decided"] and t["position"] is not None]
    if any(t["no_agreement"] for t in card["teams"]):
        reasons.append("no_team_agreement")
    if len(decided) >= 2:
        spread = max(decided) - min(decided)
        if (card["kind"] == "statement" and spread >= DECISION_GAP) or (card["kind"] == "dilemma" and spread > 0):
            reasons.append("teams_decided_differently")
    for name in ("team", "role"):
        if _groups_differ(card["kind"], card["breakdowns"][name]["groups"]):
            reasons.append(f"{name}s_differ")
    comfort = card.get("comfort")
    if comfort and comfort["low"] / comfort["answers"] >= LOW_COMFORT_SHARE:
        reasons.append("low_comfort")
    return reasons


def _groups_differ(kind: str, groups: list[dict]) -> bool:
    if len(groups) < 2:
        return False
    if kind == "statement":
        means = [g["mean"] for g in groups if g["mean"] is not None]
        return len(means) >= 2 and max(means) - min(means) >= GROUP_MEAN_GAP
    majorities = {g["majority"] for g in groups if g["majority"] is not None}
    return len(majorities) >= 2


def moved_reasons(card: dict) -> list[str]:
    """How the conversation moved a card: between the two votes, or from vote to team decision."""
    reasons = []
    second = card["second_vote"]
    if second and card["agreement"] and second["agreement"]:
        shift = second["agreement"]["score"] - card["agreement"]["score"]
        if shift >= SHIFT_AGREEMENT:
            reasons.append("agreement_rose")
        elif shift <= -SHIFT_AGREEMENT:
            reasons.append("agreement_fell")
        if card["majority"] != second["majority"]:
            reasons.append("majority_changed")
        elif card["kind"] == "statement" and abs(second["mean"] - card["mean"]) >= SHIFT_MEAN:
            reasons.append("mean_moved")
    if any(t["differs_from_vote"] for t in card["teams"]):
        reasons.append("decision_differs_from_vote")
    return reasons


def select_sections(cards: list[dict]) -> dict:
    """The three sections as lists of {card, reasons}, each in the order the MT should read it."""
    agree, friction, moved = [], [], []
    for card in cards:
        rubs = friction_reasons(card)
        moves = moved_reasons(card)
        view = final(card)
        if rubs:
            friction.append({"card": card["key"], "reasons": rubs})
        elif view["agreement"] and view["agreement"]["reading"] in AGREE_READINGS:
            agree.append({"card": card["key"], "reasons": ["strong_agreement"]})
        if moves:
            moved.append({"card": card["key"], "reasons": moves})
    score = {c["key"]: (final(c)["agreement"] or {"score": 0})["score"] for c in cards}
    agree.sort(key=lambda e: -score[e["card"]])
    friction.sort(key=lambda e: (-len(e["reasons"]), score[e["card"]]))
    return {"agreement": agree, "friction": friction, "moved": moved}
