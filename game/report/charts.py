"""Charts as inline SVG, drawn server-side by pygal, so the web page and the PDF show the same picture."""
from __future__ import annotations

import base64
import re
from pathlib import Path

import pygal
from markupsafe import Markup
from pygal.style import Style

from game.report import measures as m
from game.report.text import strings

INK, MUTED, GRID = "#1d2b36", "#5b6b77", "#d9e1e7"
FIRST_COLOUR, SECOND_COLOUR = "#1f4e5f", "#e39b3b"
READING_COLOURS = {m.STRONG: "#2e7d5b", m.MODERATE: "#8bbf9f", m.DIVIDED: "#e0a030", m.POLARISED: "#c0504d", None: "#b8c4cc"}
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"
LETTERS = "ABCDEFGH"
CHART_CSS = Path(__file__).with_name("chart.css")  # pygal's own stylesheets, cut to what these charts use
_GUIDE = re.compile(r'<path [^>]*class="(?:major )?guide line"[^>]*/>')
# What an <img> never shows: pygal's tooltip script and config, hover descriptions, comments.
_UNSEEN = re.compile(r'<script\b.*?</script>|<desc\b[^>]*>.*?</desc>|<desc\b[^>]*/>|<!--.*?-->', re.S)


def _style(*colours: str, values: tuple[str, ...] = ("#ffffff",)) -> Style:
    return Style(value_colors=values,
        background="transparent", plot_background="transparent", foreground=INK, foreground_strong=INK,
        foreground_subtle=GRID, opacity="1", opacity_hover="1", transition="0s", colors=colours or (FIRST_COLOUR,),
        font_family=FONT, label_font_family=FONT, major_label_font_family=FONT, value_font_family=FONT,
        legend_font_family=FONT, title_font_family=FONT, value_label_font_family=FONT,
        label_font_size=12, major_label_font_size=12, value_font_size=11, legend_font_size=12, title_font_size=13,
    )


def _config(**extra) -> dict:  # noqa: ANN003
    # No scripts (the PDF has none, and a report page loads nothing from elsewhere), no XML declaration
    # (the SVG is inlined in HTML), fixed size so WeasyPrint lays it out like the browser.
    return {"js": [], "disable_xml_declaration": True, "explicit_size": True, "show_y_guides": False,
            "show_x_guides": False, "print_values": True, "dynamic_print_values": False, "tooltip_border_radius": 0,
            "margin": 6, "spacing": 8, "css": [f"file://{CHART_CSS}"], **extra}


def _svg(chart, alt: str) -> Markup:  # noqa: ANN001
    """The chart as an <img> with an SVG data URI: its stylesheet stays inside the image, so it neither
    leaks into the page's cascade nor slows WeasyPrint's (a 40-card PDF has 40+ charts)."""
    # pygal hides its tick guides with CSS that not every SVG renderer applies (WeasyPrint draws them
    # as heavy dotted lines), so they are taken out; values are printed on the bars instead.
    svg = _UNSEEN.sub("", _GUIDE.sub("", chart.render(is_unicode=True)))
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup('<img class="chart-img" width="{w}" height="{h}" alt="{alt}" src="data:image/svg+xml;base64,{data}">').format(
        w=chart.config.width, h=chart.config.height, alt=alt, data=Markup(data))


def choice_axis(card: dict) -> list[str]:
    """x-axis labels: the scale's words for statements, A/B/C/D for dilemmas (the options are listed beside)."""
    if card["kind"] == "statement":
        return [c["label"] for c in card["choices"]]
    return [LETTERS[i] for i in range(len(card["choices"]))]


def distribution(card: dict, labels: dict) -> Markup:
    """The vote distribution of a card: first vote, and the vote after discussion when there was one."""
    second = card.get("second_vote")
    colours = (FIRST_COLOUR, SECOND_COLOUR) if second else (FIRST_COLOUR,)
    statement = card["kind"] == "statement"
    chart = pygal.Bar(**_config(
        width=470, height=220 if statement else 200, style=_style(*colours), show_legend=bool(second),
        legend_at_bottom=True, legend_at_bottom_columns=2, x_label_rotation=0, truncate_label=-1,
        y_title=labels["votes"], min_scale=2, max_scale=6, show_minor_y_labels=False, range=None, print_zeroes=False,
    ))
    chart.x_labels = choice_axis(card)
    chart.add(labels["first_vote"], [v["count"] for v in card["votes"]])
    if second:
        chart.add(labels["second_vote"], [v["count"] for v in second["votes"]])
    alt = ", ".join(f"{x}: {v['count']}" for x, v in zip(chart.x_labels, card["votes"]))
    return _svg(chart, f"{labels['first_vote']}: {alt}")


def agreement_overview(cards: list[dict], labels: dict) -> Markup:
    """All cards' agreement (the final vote) as horizontal bars coloured by reading."""
    chart = pygal.HorizontalBar(**_config(
        width=680, height=max(160, 26 * len(cards) + 60), style=_style(FIRST_COLOUR, values=("#1d2b36",)), show_legend=False,
        range=(0, 1), xrange=(0, 1), print_values=True, truncate_label=-1,
        value_formatter=lambda x: f"{x:.2f}".replace(".", "," if labels is strings("nl") else "."),
    ))
    ordered = list(reversed(cards))  # pygal draws the first value at the bottom
    chart.x_labels = [f"{c['position']}. {_short(c['title'])}" for c in ordered]
    values = []
    for card in ordered:
        final = card["second_vote"] or card
        agreement = final["agreement"]
        values.append({"value": agreement["score"] if agreement else 0,
                       "color": READING_COLOURS[agreement["reading"] if agreement else None]})
    chart.add(labels["agreement"], values)
    return _svg(chart, labels["agreement"])


def _short(title: str, limit: int = 34) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


SCALE_COLOURS = ("#b5443f", "#e29a8f", "#c9d1d6", "#8bbf9f", "#2e7d5b")     # disagree ... agree
OPTION_COLOURS = ("#1f4e5f", "#e39b3b", "#7fb3c2", "#9a6fb0", "#5b6b77")


def breakdown(card: dict, groups: list[dict], labels: dict) -> Markup:
    """A breakdown (by role or team) as 100% stacked bars: one bar per shown group, n in its label."""
    statement = card["kind"] == "statement"
    colours = SCALE_COLOURS if statement else OPTION_COLOURS[: len(card["choices"])]
    chart = pygal.HorizontalStackedBar(**_config(
        width=680, height=70 + 30 * len(groups), style=_style(*colours, values=("#1d2b36",)), show_legend=True, legend_at_bottom=True,
        legend_at_bottom_columns=len(card["choices"]), range=(0, 100), print_values=True, truncate_label=-1,
        truncate_legend=-1, value_formatter=lambda x: f"{x:.0f}%" if x >= 8 else "", show_x_labels=False, spacing=4,
    ))
    ordered = list(reversed(groups))  # pygal draws the first group at the bottom
    chart.x_labels = [f"{labels['other'] if g['other'] else g['group']} (n={g['n']})" for g in ordered]
    axis = choice_axis(card)
    for index, name in enumerate(axis):
        chart.add(name, [100 * g["counts"][index] / g["n"] if g["n"] else 0 for g in ordered])
    summary = "; ".join(f"{g['group']}: " + ", ".join(str(n) for n in g["counts"]) for g in groups)
    return _svg(chart, summary)
