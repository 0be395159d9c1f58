"""The report's tables (XLSX sheets and CSV files), one function per section, headers in the report's language.

Values are plain: numbers as numbers, dates as datetime.date (a date in the spreadsheet), None as empty.
"""
from __future__ import annotations

import datetime as dt

from game.report import model as rm
from game.report.groups import expected_matches

Table = tuple[str, str, list[list]]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _reading(t: dict, reading: rm.Reading | None) -> str:
    return t[f"reading_{reading.reading}"] if reading else t["reading_none"]


def _chance(t: dict, difference: rm.Difference | None) -> str | None:
    if difference is None:
        return None
    return t["beyond_chance"] if difference.beyond_chance else t["within_chance"]


def note_tables(report: rm.Report, t: dict) -> list[Table]:
    """The decision note as the first sheet: the three lists, then the actions by owner."""
    rows = [[t["list"], t["card"], t["headline"], t["reading"], t["question"], t["paired_change"], t["argument_for_side"],
             t["chance"]]]
    for key in ("agree", "decide", "moved"):
        for e in getattr(report.note, key):
            rows.append([t[f"note_{key}"], f"{e.position}. {e.title}", e.headline,
                         t[f"reading_{e.reading}"] if e.reading else None, e.question or None, e.moves or None,
                         " | ".join(a.text for a in e.arguments) or None,
                         None if e.beyond_chance is None else t["beyond_chance" if e.beyond_chance else "within_chance"]])
    # Where the role groups see it differently, or alike (on the first vote), as on the note's page.
    for key, entries in (("note_groups_differ", report.note.groups_differ), ("note_groups_share", report.note.groups_share)):
        for g in entries:
            tested = key == "note_groups_differ" and g.beyond_chance is not None   # the page tests only a difference
            rows.append([t[key], f"{g.position}. {g.title}", " · ".join(g.leans), None, None, None, None,
                         t["beyond_chance" if g.beyond_chance else "within_chance"] if tested else None])
    rows += [[], [t["note_actions"]], [t["owner"], t["what"], t["due"], t["team"], t["card"], t["status"]]]
    for group in report.note.actions_by_owner:
        for a in group.actions:
            rows.append([group.owner, a.what, _date(a.due), a.team, f"{a.card_position}. {a.card_title}", t[f"status_{a.status}"]])
    return [("note", t["sheet_note"], rows)]


def card_tables(report: rm.Report, t: dict) -> list[Table]:
    cards = [[t["position"], t["card"], t["kind"], t["ballot"], t["sheet_votes"], t["largest_camp"], t["share_col"], t["reading"],
              t["mean"], t["comfort_answers"], t["comfort_low"], t["list"]]]
    votes = [[t["position"], t["card"], t["ballot"], t["choice"], t["choice_label"], t["count"]]]
    breakdowns = [[t["position"], t["card"], t["breakdown"], t["group"], t["n_people"]]
                  + [f"{t['choice']} {i}" for i in range(1, 6)] + [t["share_col"], t["mean"], t["p_value"]]]
    decisions = [[t["position"], t["card"], t["team"], t["decision"], t["no_agreement"], t["rationale"]]]
    arguments = [[t["position"], t["card"], t["stance"], t["argument"], t["helpful"]]]
    for c in report.cards:
        comfort = c.comfort
        for ballot, view in ((t["first_vote"], c.first), (t["second_vote"], c.second)):
            if view is None:
                continue
            a = view.agreement
            cards.append([c.position, c.title, t[c.kind], ballot, view.total, a.top_label if a else None,
                          a.share if a else None, _reading(t, a), view.mean, comfort.answers if comfort else None,
                          comfort.low if comfort else None, t[f"place_{c.place}"] if c.place else None])
            votes += [[c.position, c.title, ballot, choice.mark, choice.label, n] for choice, n in zip(c.choices, view.counts)]
        for name, b in c.breakdowns.items():
            for g in b.groups:
                counts = g.counts + [None] * (5 - len(g.counts))
                breakdowns.append([c.position, c.title, t[f"breakdown_{name}"], t["other"] if g.other else g.group, g.n, *counts,
                                   g.agreement.share if g.agreement else None, g.mean,
                                   b.difference.p if b.difference else None])
        for row in c.teams:
            if row.decided:
                decisions.append([c.position, c.title, row.team, row.position_label, row.no_agreement, row.rationale])
        for q in c.arguments:
            arguments.append([c.position, c.title, q.stance_label, q.text, q.helpful])
    return [("cards", t["sheet_cards"], cards), ("votes", t["sheet_votes"], votes),
            ("breakdowns", t["sheet_breakdown"], breakdowns), ("decisions", t["sheet_decisions"], decisions),
            ("arguments", t["sheet_arguments"], arguments)]


def group_tables(report: rm.Report, t: dict) -> list[Table]:
    """Per card and role group: the group's own lean and what it expected the majority to choose."""
    rows = [[t["position"], t["card"], t["group"], t["n_people"], t["groups_voted"], t["share_col"], t["groups_expected"],
             t["predictions"], t["groups_same"], t["p_value"], t["groups_expected_vs_chose"]]]
    for c in report.cards:
        if not c.groups or len(c.groups.groups) < 2:
            continue
        cg = c.groups
        same = (t["groups_same_yes"] if cg.same_lean else t["groups_same_no"] if cg.difference and cg.difference.beyond_chance
                else t["groups_lean_within"])
        for g in cg.groups:
            match = expected_matches(g)
            rows.append([c.position, c.title, g.group, g.n, g.lean.top_label if g.lean else None,
                         g.lean.share if g.lean else None, g.expected.top_label if g.expected else None, g.expected_n or None,
                         same, cg.difference.p if cg.difference else None,
                         None if match is None else t["groups_expected_same" if match else "groups_expected_differs"]])
    return [("groups", t["sheet_groups"], rows)]


def action_tables(report: rm.Report, t: dict) -> list[Table]:
    rows = [[t["what"], t["owner"], t["due"], t["team"], t["card"], t["status"]]]
    rows += [[a.what, a.owner, _date(a.due), a.team, f"{a.card_position}. {a.card_title}", t[f"status_{a.status}"]]
             for a in report.actions]
    return [("actions", t["sheet_actions"], rows)]


def comparison_tables(report: rm.Report, t: dict) -> list[Table]:
    rows = [[t["card"], t["largest_camp"], t["previous"], t["now"], t["previous_n"], t["current_n"], t["p_value"],
             t["chance"], t["majority_changed_col"]]]
    for row in report.comparison.cards:
        rows.append([row.title, row.camp_label or None, row.previous_share, row.current_share,
                     row.previous.total if row.previous else None, row.current.total if row.current else None,
                     row.difference.p if row.difference else None, _chance(t, row.difference), row.majority_changed])
    if report.comparison.rewritten_since_previous:
        rows += [[], [t["rewritten_since_previous"].format(cards="; ".join(report.comparison.rewritten_since_previous))]]
    rows += [[], [t["previous_actions"]], [t["what"], t["owner"], t["due"], t["team"], t["card"], t["status"]]]
    rows += [[a.what, a.owner, _date(a.due), a.team, f"{a.card_position}. {a.card_title}", t[f"status_{a.status}"]]
             for a in report.comparison.previous_actions]
    return [("comparison", t["sheet_comparison"], rows)]


def perception_tables(report: rm.Report, t: dict) -> list[Table]:
    p = report.perceptions
    if not p.get("available"):
        return []
    rows = [[t["table"], t["group_or_card"], t["n_people"], t["predictions"], t["right"], t["share_col"], t["expected"],
             t["voted"], t["gap"]]]
    for g in p["by_role"]["groups"]:
        rows.append([t["role"], t["other"] if g["other"] else g["group"], g["n"], g["predictions"], g["right"],
                     g["right_share"], None, None, None])
    for c in p["cards"]:
        shares = [" ".join(f"{v['value']}:{v['share']}" for v in c[view]) for view in ("expected", "actual")]
        rows.append([t["card"], f"{c['position']}. {c['title']}", None, c["predictions"], c["right"], c["right_share"],
                     *shares, c["gap"]])
    return [("perceptions", t["sheet_perceptions"], rows)]


def submission_tables(report: rm.Report, t: dict) -> list[Table]:
    rows = [[t["title"], t["text"], t["status"]] + [f"{t['option']} {i}" for i in range(1, 5)]]
    for s in report.submissions:
        rows.append([s["title"], s["text"], t[f"submission_{s['status']}"], *(list(s["options"]) + [None] * 4)[:4]])
    return [("submissions", t["sheet_submissions"], rows)]


def summary_tables(report: rm.Report, t: dict) -> list[Table]:
    room = report.room
    rows = [[t["session"], room.title], [t["date"], _date(room.date)], [t["deck"], room.deck_title],
            [t["participants"], report.participants], [t["voters"], report.voters], [t["teams"], room.teams],
            [t["cards_played"], report.cards_played], [t["min_group_label"], report.privacy.min_group], []]
    # Where the cards landed (the decision note's lists, counted over every card, also those in the appendix).
    places = [c.place for c in report.cards]
    rows += [[t[f"note_{key}"], places.count(key)] for key in ("agree", "decide", "moved")]
    rows += [[t["note_actions"], len(report.actions)], [], [t["role"], t["count"]]]
    rows += [[r.name, r.count] for r in report.participants_by_role]
    rows += [[], [t["team"], t["count"]]] + [[r.name, r.count] for r in report.participants_by_team]
    return [("session", t["sheet_summary"], rows)]
