"""The PDF's own chart markup (charts.print_*) and lean user-agent stylesheet: the same figures as the web
page's pygal charts, in a form WeasyPrint lays out quickly (docs/report.md, Performance)."""
from __future__ import annotations

import base64
import re
from pathlib import Path
from types import SimpleNamespace

from game.report import charts
from game.report import model as rm
from game.report.render_html import render_html
from game.report.pdf_layout import _UNIVERSAL_PSEUDO, _html_class, _user_agent_stylesheet
from game.report.text import strings
from tests.report.test_aggregate import report_of

NL = strings("nl")


def svg_of(markup: str) -> str:
    return base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", markup).group(1)).decode("utf-8")


def drawn_text(svg: str) -> str:
    return "".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def test_the_pdf_gets_lean_charts_with_every_figure_and_the_web_page_keeps_pygal(db, played_room):
    report = report_of(db, played_room)
    pdf_html, web_html = render_html(report, for_pdf=True), render_html(report)
    assert 'class="pc pc-dist"' in pdf_html
    assert ('class="pc pc-over"' in pdf_html) == bool(report.note.rest)   # the overview sits in the appendix
    assert "pc-dist" not in web_html and "chart-img" in web_html           # the web page: pygal SVG as before
    assert '<details class="chart-data">' in web_html and "<details" not in pdf_html  # hidden on paper anyway
    card = report.cards[0]
    numbers = drawn_text(svg_of(charts.print_distribution(card, NL)))
    for count in card.first.counts:
        assert str(count) in numbers
    # The overview: one bar per card, its share in the largest group rounded down (never up across a threshold).
    overview = charts.print_overview(report.cards, NL)
    for c in report.cards:
        assert f"{(100 * c.final.agreement.top_count) // c.final.agreement.total}%" in drawn_text(svg_of(overview))


def test_breakdown_segments_fill_the_bar_exactly_and_print_shares_of_8_percent_or_more():
    card = SimpleNamespace(kind="dilemma", choices=[rm.Choice(v, m, m.lower()) for v, m in ((1, "A"), (2, "B"), (3, "C"))])
    groups = [rm.Group("HR", False, 7, [1, 2, 4], False, None, 3, None),
              rm.Group("OR", True, 12, [12, 0, 0], True, None, 1, None)]
    markup = charts.print_breakdown(card, groups, NL)
    svg = svg_of(markup)
    widths = [sum(float(w) for w in re.findall(r"h([\d.]+)v", d)) for d in re.findall(r'<path d="([^"]*)"', svg)]
    assert round(sum(widths), 2) == round(2 * charts.BREAK_W, 2)           # two rows, each exactly the bar's width
    # White on the dark fills, then ink; the unanimous group gets no "100%" (said in words, the privacy gate's rule).
    assert drawn_text(svg) == "14%" + "29%57%"
    assert "HR (n=7)" in markup and f"{NL['other']} (n=12)" in markup
    # The text alternative says it in words too: never "12, 0, 0" for a unanimous group, in print or on screen.
    for chart in (markup, charts.breakdown(card, groups, NL)):
        assert f"{NL['other']}: {NL['unanimous']}: A" in chart and "12, 0, 0" not in chart and "HR: 1, 2, 4" in chart
    assert charts._widths([1 / 3] * 3, 88.0) == [29.33, 29.34, 29.33]


def test_the_lean_user_agent_stylesheet_drops_only_the_universal_pseudo_elements():
    import weasyprint

    source = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text(encoding="utf-8")
    # Guards a WeasyPrint upgrade: the hook and the rules it narrows must still be there.
    assert hasattr(weasyprint.HTML, "_ua_stylesheets") and "\n::marker {" in source
    assert len(_UNIVERSAL_PSEUDO.findall(source)) == 5
    assert _user_agent_stylesheet() is _user_agent_stylesheet()
    pdf = _html_class()(string="<ol><li>één</li><li>twee</li></ol>").write_pdf()
    assert pdf.startswith(b"%PDF-")
