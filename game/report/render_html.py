"""The report as one self-contained HTML document (the web page, the HTML download and the PDF's source)."""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, select_autoescape

from game import config as settings
from game.report import charts
from game.report.aggregate import MAX_TEAM_ROWS
from game.report.model import Action, CardResult, Report
from game.report.groups import choice_text, expected_matches, expected_text, lean_text, merged_groups
from game.report.note import moves_text, tally_headline
from game.report.sections import sections_of
from game.report.text import long_date, strings
from game.rules.kinds import SIDES, kind_of

CSS_FILES = ("css/report.css", "css/report-print.css")
SORT_KEYS = ("due", "owner", "team", "card", "what")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # A plain Jinja environment (not Flask's), so the CLI and the benchmark render without an app.
    env = Environment(loader=FileSystemLoader(str(settings.ROOT / "templates")), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    return env


def _css() -> str:
    return "\n".join((settings.ROOT / "static" / name).read_text(encoding="utf-8") for name in CSS_FILES)


def number(language: str):  # noqa: ANN201
    """A number formatter in the report's language (Dutch: decimal comma)."""
    def fmt(value: float | None, digits: int = 2) -> str:
        if value is None:
            return "–"
        text = f"{value:.{digits}f}"
        return text.replace(".", ",") if language == "nl" else text
    return fmt


def p_value(language: str):  # noqa: ANN201
    """'p = 0,23', or 'p < 0,01' for the smallest (two decimals cannot say more)."""
    fmt = number(language)
    return lambda p: f"p < {fmt(0.01)}" if p < 0.01 else f"p = {fmt(p)}"


def percent(count: int, total: int) -> str:
    return "–" if not total else f"{round(100 * count / total)}%"


def sorted_actions(actions: list[Action], sort: str | None) -> list[Action]:
    """Actions sorted by one column (due date by default), then by card and team."""
    key = sort if sort in SORT_KEYS else "due"

    def order(action: Action) -> tuple:
        raw = getattr(action, key)
        value = action.card_position if key == "card" else (raw or "")
        return (raw is None, value.lower() if isinstance(value, str) else value, action.card_position, action.team)

    return sorted(actions, key=order)


def render_html(report: Report, *, for_pdf: bool = False, toolbar: dict | None = None, sort: str | None = None,
                show_code: bool = True) -> str:
    """Render the report as HTML; `toolbar` (links and forms for the web page) is left out of the PDF;
    `show_code=False` leaves out the join code (a share link must not let its holder into the room)."""
    language = report.language
    t = strings(language)
    cards = {c.key: c for c in report.cards}
    num = number(language)

    def share(agreement) -> str:  # noqa: ANN001
        return "–" if agreement is None else f"{charts.share_percent(agreement)}%"

    context = {
        "r": report, "t": t, "cards": cards, "for_pdf": for_pdf, "toolbar": None if for_pdf else toolbar,
        "sections": sections_of(report), "show_code": show_code, "share": share, "pval": p_value(language),
        # On paper by letter only: the options table beside it names them.
        "headline_of": lambda card, view: tally_headline(card, view, t, labels=not for_pdf),
        "moves": lambda card: moves_text(card, t),
        "pct_share": lambda value: f"{int(100 * value)}%",
        "lean": lambda card, group: lean_text(group, t, _scale(card)),
        "chose": lambda card, group: choice_text(group, t, _scale(card)), "merged_groups": merged_groups,
        "expected": lambda card, group: expected_text(group, _scale(card), t), "expected_matches": expected_matches,
        "css": _css(), "num": num, "pct": percent, "letters": charts.LETTERS,
        # An option by its letter, a side of a statement's scale by its name (the kind's definition decides).
        "camp_mark": lambda kind, camp: kind_of(kind).camp_mark(camp, {s: t[f"side_{s}"] for s in SIDES}),
        "date": lambda value: long_date(value, language),
        # The PDF gets the charts as HTML boxes (charts.py: WeasyPrint draws SVG text letter by letter).
        "chart": (lambda card: charts.print_distribution(card, t)) if for_pdf else (lambda card: charts.distribution(card, t)),
        "breakdown_chart": ((lambda card, groups: charts.print_breakdown(card, groups, t, narrow=True)) if for_pdf
                            else (lambda card, groups: charts.breakdown(card, groups, t))),
        "overview_chart": ("" if not report.cards else charts.print_overview(report.cards, t) if for_pdf
                           else charts.agreement_overview(report.cards, t)),
        "axis": charts.choice_axis, "max_team_rows": MAX_TEAM_ROWS,
        "actions": sorted_actions(report.actions, sort), "sort": sort if sort in SORT_KEYS else "due",
        "reading": lambda agreement: t[f"reading_{agreement.reading}"] if agreement else t["reading_none"],
    }
    return _environment().get_template("report/document.html").render(**context)


def _scale(card: CardResult) -> bool:
    return kind_of(card.kind).is_scale


def render_fragment(report: Report, template: str, **extra) -> str:  # noqa: ANN003
    """One partial of the report on its own (the dashboard's live role-group picture)."""
    t = strings(report.language)
    return _environment().get_template(template).render(
        r=report, t=t, lean=lambda card, group: lean_text(group, t, _scale(card)), pval=p_value(report.language), **extra)
