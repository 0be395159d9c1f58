"""The report's sections, in reading order: one registry that every renderer walks.

A section is an anchor, a title, the template partial that draws it (HTML and PDF) and the tables it
contributes to the spreadsheet formats (XLSX sheets, CSV files). A new section is one entry here and
one partial in templates/report/.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from game.report import tables
from game.report.model import Report

Rows = list[list]


@dataclass(frozen=True)
class Section:
    anchor: str                                   # the HTML id (the PDF's named destination)
    title: str                                    # key into the report's strings (game/report/text.py)
    partial: str                                  # templates/report/<partial>
    tables: Callable[[Report, dict], list[tuple[str, str, Rows]]] = lambda r, t: []   # (key, sheet name, rows)
    shown: Callable[[Report], bool] = lambda r: True
    in_contents: bool = True


SECTIONS: tuple[Section, ...] = (
    Section("summary", "note", "_note.html", tables.note_tables),
    Section("more", "note_more", "_more.html", shown=lambda r: bool(r.note.rest)),
    Section("groups", "groups_title", "_groups.html", tables.group_tables,
            shown=lambda r: any(c.groups and len(c.groups.groups) >= 2 for c in r.cards)),
    Section("cards", "cards", "_cards.html", tables.card_tables),
    Section("perceptions", "perceptions", "_perceptions.html", tables.perception_tables),
    Section("actions", "actions", "_actions.html", tables.action_tables),
    Section("submissions", "submissions", "_submissions.html", tables.submission_tables, shown=lambda r: bool(r.submissions)),
    Section("comparison", "comparison", "_comparison.html", tables.comparison_tables, shown=lambda r: r.comparison is not None),
    Section("method", "method", "_method.html", tables.summary_tables),
)


def sections_of(report: Report) -> list[Section]:
    """The sections this report has (some only when there is something to show)."""
    return [s for s in SECTIONS if s.shown(report)]


def all_tables(report: Report, t: dict) -> list[tuple[str, str, Rows]]:
    """Every table of the report, in section order: the spreadsheet formats' sheets and files."""
    return [table for section in sections_of(report) for table in section.tables(report, t)]
