"""The report as one self-contained HTML document (the web page, the HTML download and the PDF's source)."""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, select_autoescape

from game import config as settings
from game.report import charts
from game.report.aggregate import MAX_TEAM_ROWS
from game.report.text import long_date, strings

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


def percent(count: int, total: int) -> str:
    return "–" if not total else f"{round(100 * count / total)}%"


def sorted_actions(actions: list[dict], sort: str | None) -> list[dict]:
    """Actions sorted by one column (due date by default), then by card and team."""
    key = sort if sort in SORT_KEYS else "due"

    def order(action: dict) -> tuple:
        value = action["card_position"] if key == "card" else (action[key] or "")
        return (action[key] is None, value.lower() if isinstance(value, str) else value, action["card_position"], action["team"])

    return sorted(actions, key=order)


def render_html(report: dict, *, for_pdf: bool = False, toolbar: dict | None = None, sort: str | None = None) -> str:
    """Render the aggregate as HTML; `toolbar` (links and forms for the web page) is left out of the PDF."""
    language = report["language"]
    t = strings(language)
    cards = {c["key"]: c for c in report["cards"]}
    context = {
        "r": report, "t": t, "cards": cards, "for_pdf": for_pdf, "toolbar": None if for_pdf else toolbar,
        "css": _css(), "num": number(language), "pct": percent, "letters": charts.LETTERS,
        "date": lambda value: long_date(value, language),
        # The PDF gets the charts as HTML boxes (charts.py: WeasyPrint draws SVG text letter by letter).
        "chart": (lambda card: charts.print_distribution(card, t)) if for_pdf else (lambda card: charts.distribution(card, t)),
        "breakdown_chart": ((lambda card, groups: charts.print_breakdown(card, groups, t)) if for_pdf
                            else (lambda card, groups: charts.breakdown(card, groups, t))),
        "overview_chart": ("" if not report["cards"] else charts.print_overview(report["cards"], t) if for_pdf
                           else charts.agreement_overview(report["cards"], t)),
        "axis": charts.choice_axis, "max_team_rows": MAX_TEAM_ROWS,
        "actions": sorted_actions(report["actions"], sort), "sort": sort if sort in SORT_KEYS else "due",
        "reading": lambda agreement: t[f"reading_{agreement['reading']}"] if agreement else t["reading_none"],
    }
    return _environment().get_template("report/document.html").render(**context)
