"""The report's tabular views (shared by CSV and XLSX): rows of plain values, one table per section."""
from __future__ import annotations

from game.report.aggregate import FIRST, SECOND
from game.report.text import strings


def _reading(t: dict, agreement: dict | None) -> str:
    return t[f"reading_{agreement['reading']}"] if agreement else t["reading_none"]


def section_rows(report: dict, key: str) -> list[list]:
    t = strings(report["language"])
    cards = {c["key"]: c for c in report["cards"]}
    rows = [[t["card"], "key", t["score"], t["reading"], t["reasons"]]]
    for entry in report["sections"][key]:
        card = cards[entry["card"]]
        view = card["second_vote"] or card
        rows.append([f"{card['position']}. {card['title']}", card["key"],
                     view["agreement"]["score"] if view["agreement"] else None, _reading(t, view["agreement"]),
                     "; ".join(t[f"reason_{r}"] for r in entry["reasons"])])
    return rows


def card_rows(report: dict) -> list[list]:
    t = strings(report["language"])
    rows = [["position", "key", "kind", "title", "ballot", "votes_total", "agreement", "measure", "reading", "majority", "mean",
             "comfort_answers", "comfort_low"]]
    for card in report["cards"]:
        comfort = card.get("comfort") or {}
        for ballot, view in ((FIRST, card), (SECOND, card["second_vote"])):
            if view:
                a = view["agreement"]
                rows.append([card["position"], card["key"], card["kind"], card["title"], ballot, view["votes_total"],
                             a["score"] if a else None, a["measure"] if a else None, _reading(t, a),
                             view["majority"], view["mean"], comfort.get("answers"), comfort.get("low")])
    return rows


def vote_rows(report: dict) -> list[list]:
    """Raw anonymous votes: one row per vote, no person, no role, no team, no time; sorted by card and choice."""
    rows = [["card_position", "card", "ballot", "choice", "choice_label"]]
    for card in report["cards"]:
        for ballot, view in ((FIRST, card), (SECOND, card["second_vote"])):
            if view:
                for v in view["votes"]:
                    rows.extend([card["position"], card["key"], ballot, v["value"], v["label"]] for _ in range(v["count"]))
    return rows


def breakdown_rows(report: dict) -> list[list]:
    t = strings(report["language"])
    rows = [["card_position", "card", "breakdown", "group", "n"] + [f"choice_{i}" for i in range(1, 6)] + ["agreement", "mean"]]
    for card in report["cards"]:
        for name, breakdown in card["breakdowns"].items():
            for g in breakdown["groups"]:
                counts = g["counts"] + [None] * (5 - len(g["counts"]))
                rows.append([card["position"], card["key"], name, t["other"] if g["other"] else g["group"], g["n"], *counts,
                             g["agreement"]["score"] if g["agreement"] else None, g["mean"]])
    return rows


def decision_rows(report: dict) -> list[list]:
    rows = [["card_position", "card", "title", "team", "position", "position_label", "no_agreement", "rationale"]]
    for card in report["cards"]:
        for team in card["teams"]:
            if team["decided"]:
                rows.append([card["position"], card["key"], card["title"], team["team"], team["position"],
                             team["position_label"], team["no_agreement"], team["rationale"]])
    return rows


def action_rows(report: dict) -> list[list]:
    rows = [["what", "owner", "due", "team", "card_position", "card", "card_title"]]
    rows += [[a["what"], a["owner"], a["due"], a["team"], a["card_position"], a["card"], a["card_title"]] for a in report["actions"]]
    return rows


def comparison_rows(report: dict) -> list[list]:
    rows = [["card", "title", "previous_total", "previous_agreement", "current_total", "current_agreement",
             "agreement_shift", "previous_mean", "current_mean", "majority_changed"]]
    for row in (report["comparison"] or {}).get("cards", []):
        p, c = row["previous"], row["current"]
        rows.append([row["card"], row["title"], p["total"], p["agreement"]["score"] if p["agreement"] else None, c["total"],
                     c["agreement"]["score"] if c["agreement"] else None, row["agreement_shift"], p["mean"], c["mean"],
                     row["majority_changed"]])
    return rows


def perception_rows(report: dict) -> list[list]:
    """Predictions of the team majority: per role (after suppression), then per card."""
    t = strings(report["language"])
    p = report["perceptions"]
    rows = [["table", "group_or_card", "n", "predictions", "right", "right_share", "expected", "voted", "gap"]]
    for g in p["by_role"]["groups"]:
        rows.append(["role", t["other"] if g["other"] else g["group"], g["n"], g["predictions"], g["right"], g["right_share"],
                     None, None, None])
    for c in p["cards"]:
        shares = [" ".join(f"{v['value']}:{v['share']}" for v in c[view]) for view in ("expected", "actual")]
        rows.append(["card", f"{c['position']}. {c['title']}", None, c["predictions"], c["right"], c["right_share"], *shares, c["gap"]])
    return rows


def submission_rows(report: dict) -> list[list]:
    rows = [["title", "text", "status", "option_1", "option_2", "option_3", "option_4"]]
    for s in report["submissions"]:
        rows.append([s["title"], s["text"], s["status"], *(list(s["options"]) + [None] * 4)[:4]])
    return rows


def summary_rows(report: dict) -> list[list]:
    t = strings(report["language"])
    room = report["room"]
    rows = [[t["session"], room["title"]], [t["date"], room["date"]], [t["deck"], room["deck"]["title"]],
            [t["code"], room["code"]], [t["participants"], report["participants"]], [t["voters"], report["voters"]],
            [t["teams"], room["teams"]], [t["cards_played"], report["cards_played"]],
            [t["min_group_label"], report["privacy"]["min_group"]], [], [t["role"], t["count"]]]
    rows += [[r["role"], r["count"]] for r in report["participants_by_role"]]
    rows += [[], [t["team"], t["count"]]] + [[r["team"], r["count"]] for r in report["participants_by_team"]]
    return rows


def tables(report: dict) -> list[tuple[str, str, list[list]]]:
    """(file/sheet key, localised sheet name, rows) for every table, in reading order."""
    t = strings(report["language"])
    result = [
        ("summary", t["sheet_summary"], summary_rows(report)),
        ("agreement", t["sheet_agree"], section_rows(report, "agreement")),
        ("friction", t["sheet_friction"], section_rows(report, "friction")),
        ("moved", t["sheet_moved"], section_rows(report, "moved")),
        ("cards", t["sheet_cards"], card_rows(report)),
        ("votes", t["sheet_votes"], vote_rows(report)),
        ("breakdowns", t["sheet_breakdown"], breakdown_rows(report)),
        ("decisions", t["sheet_decisions"], decision_rows(report)),
        ("actions", t["sheet_actions"], action_rows(report)),
    ]
    if report["perceptions"]["available"]:
        result.append(("perceptions", t["sheet_perceptions"], perception_rows(report)))
    if report["submissions"]:
        result.append(("submissions", t["sheet_submissions"], submission_rows(report)))
    if report["comparison"]:
        result.append(("comparison", t["sheet_comparison"], comparison_rows(report)))
    return result
