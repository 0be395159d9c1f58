"""Charts as inline SVG, drawn server-side by pygal, so the web page and the PDF show the same picture."""
from __future__ import annotations

import base64
import re
from pathlib import Path

import pygal
from markupsafe import Markup, escape
from pygal.style import Style

from game.rules import agreement as m
from game.rules.kinds import kind_of

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


def choice_axis(card) -> list[str]:  # noqa: ANN001 (a model.CardResult)
    """x-axis labels: the scale's words for statements, A/B/C/D for dilemmas (the options are listed beside)."""
    if kind_of(card.kind).is_scale:
        return [c.label for c in card.choices]
    return [c.mark for c in card.choices]


def _value_colours(colours: tuple[str, ...]) -> tuple[str, ...]:
    """Numbers printed on bars: white on a dark bar, ink on a light one (readable on every colour)."""
    return tuple("#ffffff" if colour in _DARK else INK for colour in colours)


def distribution(card: dict, labels: dict) -> Markup:
    """The vote distribution of a card: first vote, and the vote after discussion when there was one."""
    second = card.second
    colours = (FIRST_COLOUR, SECOND_COLOUR) if second else (FIRST_COLOUR,)
    statement = kind_of(card.kind).is_scale
    chart = pygal.Bar(**_config(
        width=470, height=220 if statement else 200, style=_style(*colours), show_legend=bool(second),
        legend_at_bottom=True, legend_at_bottom_columns=2, x_label_rotation=0, truncate_label=-1,
        y_title=labels["votes"], min_scale=2, max_scale=6, show_minor_y_labels=False, range=None, print_zeroes=False,
    ))
    chart.x_labels = choice_axis(card)
    chart.add(labels["first_vote"], list(card.first.counts))
    if second:
        chart.add(labels["second_vote"], list(second.counts))
    alt = ", ".join(f"{x}: {n}" for x, n in zip(chart.x_labels, card.first.counts))
    return _svg(chart, f"{labels['first_vote']}: {alt}")


def agreement_overview(cards: list, labels: dict) -> Markup:
    """All cards' agreement (the final vote: the share in the largest group, the same measure for both
    kinds of card) as horizontal bars coloured by reading."""
    cards = [c for c in cards if c.final]
    chart = pygal.HorizontalBar(**_config(
        width=680, height=max(160, 26 * len(cards) + 60), style=_style(FIRST_COLOUR, values=("#1d2b36",)), show_legend=False,
        range=(0, 100), xrange=(0, 100), print_values=True, truncate_label=-1, value_formatter=lambda x: f"{x:.0f}%",
    ))
    ordered = list(reversed(cards))  # pygal draws the first value at the bottom
    chart.x_labels = [f"{c.position}. {_short(c.title)}" for c in ordered]
    values = []
    for card in ordered:
        agreement = card.final.agreement
        values.append({"value": share_percent(agreement) if agreement else 0,
                       "color": READING_COLOURS[agreement.reading if agreement else None]})
    chart.add(labels["largest_camp"], values)
    return _svg(chart, labels["largest_camp_axis"])


def share_percent(agreement) -> int:  # noqa: ANN001 (a model.Reading)
    """The share in the largest group as a whole percentage, rounded down: a card read as "strong" (at
    least 75 %) never prints less than 75, and one just below never prints 75 (the reading uses exact counts)."""
    return (100 * agreement.top_count) // agreement.total


def _short(title: str, limit: int = 34) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _alt_counts(group, labels: dict, axis: list) -> str:  # noqa: ANN001
    """A group's counts for the chart's text alternative; a unanimous group in words, as everywhere."""
    name = labels["other"] if group.other else group.group
    if getattr(group, "unanimous", False) and labels.get("unanimous"):
        top = max(range(len(group.counts)), key=lambda i: group.counts[i])
        return f"{name}: {labels['unanimous']}: {axis[top]}"
    return f"{name}: " + ", ".join(str(n) for n in group.counts)


SCALE_COLOURS = ("#b5443f", "#e29a8f", "#c9d1d6", "#8bbf9f", "#2e7d5b")     # disagree ... agree
OPTION_COLOURS = ("#1f4e5f", "#e39b3b", "#7fb3c2", "#9a6fb0", "#5b6b77")


def breakdown(card, groups: list, labels: dict) -> Markup:  # noqa: ANN001
    """A breakdown (by role or team) as 100% stacked bars: one bar per shown group, n in its label."""
    statement = kind_of(card.kind).is_scale
    colours = SCALE_COLOURS if statement else OPTION_COLOURS[: len(card.choices)]
    chart = pygal.HorizontalStackedBar(**_config(
        width=680, height=70 + 30 * len(groups), style=_style(*colours, values=_value_colours(colours)), show_legend=True,
        legend_at_bottom=True, legend_at_bottom_columns=len(card.choices), range=(0, 100), print_values=True, truncate_label=-1,
        truncate_legend=-1, show_x_labels=False, spacing=4,
        # No "100%": a unanimous group is said in words ("everyone agreed", the privacy gate's rule).
        value_formatter=lambda x: f"{x:.0f}%" if 8 <= x < 99.5 else "",
    ))
    ordered = list(reversed(groups))  # pygal draws the first group at the bottom
    chart.x_labels = [f"{labels['other'] if g.other else g.group} (n={g.n})" for g in ordered]
    axis = choice_axis(card)
    for index, name in enumerate(axis):
        chart.add(name, [100 * g.counts[index] / g.n if g.n else 0 for g in ordered])
    summary = "; ".join(_alt_counts(g, labels, axis) for g in groups)
    return _svg(chart, summary)



# ---------- the same charts for the PDF: lean SVG, long labels as HTML text ----------
# WeasyPrint draws SVG text letter by letter and runs a CSS cascade over every SVG node, so pygal's
# charts (nested groups, a stylesheet, 2,000+ labels in a 40-card report) cost seconds of drawing. The
# PDF gets the same charts drawn here: plain rects with fill attributes, only short numbers as SVG text,
# and the long labels (groups, card titles) and legends as ordinary HTML text beside the image, which
# WeasyPrint lays out a line at a time. CSS: static/css/report-print.css, "charts on paper".
# Sizes are in mm (the SVG's user unit); ROW is the pitch shared by the SVG rows and the HTML label lines.
ROW, BAR = 5.6, 4.4
DIST_W, DIST_PLOT = 84.0, 26.0   # distribution: width, height of the tallest bar
BREAK_W = 88.0                   # breakdown: the 100% bar (its labels: a 40 mm column of HTML)
BREAK_NARROW_W = 54.0            # ... on a card page, two breakdowns side by side (labels: 28 mm), so that
                                 # a card with its role-group and team charts fits one A4 page
OVERVIEW_ROWS = 40               # overview rows per image: 40 × 5.6 mm fill an A4 page below the heading
OVER_W = 96.0                    # overview: agreement 1.0 (titles: a 64 mm column of HTML), value after the bar
SVG_FONT = "Liberation Sans"     # one family: no fallback search per label
_DARK = {FIRST_COLOUR, SCALE_COLOURS[0], SCALE_COLOURS[4], OPTION_COLOURS[0], OPTION_COLOURS[3], OPTION_COLOURS[4],
         READING_COLOURS[m.STRONG], READING_COLOURS[m.POLARISED]}


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


# Advance widths (em) of the characters in the charts' numbers: Liberation Sans, Arial and Helvetica share them.
_ADVANCE = {**dict.fromkeys("0123456789", 0.556), "%": 0.889, ",": 0.278, ".": 0.278, "-": 0.333}
FONT_SIZE = 2.5                  # mm (about 7 pt)


class _Canvas:
    """Collects a chart's bars and numbers and writes them as few SVG nodes as possible: one path per fill
    colour, and one <text> per text colour with every character placed by x/y lists (WeasyPrint pays per
    text node and per character, so 25 labels in one node cost far less than 25 nodes)."""

    def __init__(self) -> None:
        self.paths: dict[str, list[str]] = {}
        self.numbers: dict[str, list[tuple[float, float, str]]] = {}
        self.words: list[str] = []

    def rect(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        if w > 0 and h > 0:
            self.paths.setdefault(fill, []).append(f"M{_fmt(x)} {_fmt(y)}h{_fmt(w)}v{_fmt(h)}h{_fmt(-w)}z")

    def number(self, x: float, y: float, text: str, fill: str = INK, anchor: str = "middle") -> None:
        """A number (digits, %, comma) centred on x, or starting at x; baseline y."""
        width = sum(_ADVANCE.get(c, 0.556) for c in text) * FONT_SIZE
        left = x - width / 2 if anchor == "middle" else x
        for char in text:
            self.numbers.setdefault(fill, []).append((left, y, char))
            left += _ADVANCE.get(char, 0.556) * FONT_SIZE

    def word(self, x: float, y: float, text: str) -> None:
        """A label in words, centred on x (its own node: the width of words is left to the renderer)."""
        self.words.append(f'<text x="{_fmt(x)}" y="{_fmt(y)}" fill="{INK}" text-anchor="middle">{escape(text)}</text>')

    def body(self) -> list[str]:
        out = [f'<path d="{"".join(d)}" fill="{fill}"/>' for fill, d in self.paths.items()]
        for fill, chars in self.numbers.items():
            xs = " ".join(_fmt(x) for x, _, _ in chars)
            ys = " ".join(_fmt(y) for _, y, _ in chars)
            out.append(f'<text x="{xs}" y="{ys}" fill="{fill}">{escape("".join(c for _, _, c in chars))}</text>')
        return out + self.words


def _lean_svg(width: float, height: float, body: list[str], alt: str, css_class: str) -> Markup:
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_fmt(width)}mm" height="{_fmt(height)}mm" '
           f'viewBox="0 0 {_fmt(width)} {_fmt(height)}" font-family="{SVG_FONT}" font-size="{FONT_SIZE}">{"".join(body)}</svg>')
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup('<img class="{cls}" style="width:{w}mm;height:{h}mm" alt="{alt}" src="data:image/svg+xml;base64,{data}">').format(
        cls=css_class, w=_fmt(width), h=_fmt(height), alt=alt, data=Markup(data))


def _legend(names: list[str], colours: tuple[str, ...], lead: str = "") -> Markup:
    """A legend as one line of text: a coloured square before each name."""
    keys = Markup(" ").join(Markup('<span class="pc-key"><span style="color:{c}">■</span>&nbsp;{n}</span>').format(c=c, n=n)
                            for n, c in zip(names, colours))
    return Markup('<p class="pc-legend">{lead}{keys}</p>').format(lead=Markup("{} · ").format(lead) if lead else "", keys=keys)


def _widths(shares: list[float], total: float) -> list[float]:
    """Segment widths for shares adding up to 1, rounded to 0.01 mm so that they fill exactly `total`."""
    widths, done, cumulative = [], 0, 0.0
    for share in shares:
        cumulative += share
        edge = round(100 * total * min(cumulative, 1.0))
        widths.append((edge - done) / 100)
        done = edge
    return widths


def print_distribution(card: dict, labels: dict) -> Markup:
    """The vote distribution for the PDF: per option a bar per ballot with its count above it, the options below."""
    second = card.second
    series = [(labels["first_vote"], FIRST_COLOUR, list(card.first.counts))]
    if second:
        series.append((labels["second_vote"], SECOND_COLOUR, list(second.counts)))
    top = max([1] + [n for _, _, counts in series for n in counts])
    axis = choice_axis(card)
    column = DIST_W / len(axis)
    bar = min(7.0, column * 0.8 / len(series))
    base = 4.0 + DIST_PLOT                     # room for the count above the tallest bar
    two_lines = any(len(name) > 11 and " " in name for name in axis)
    canvas = _Canvas()
    for index, name in enumerate(axis):
        left = index * column + (column - bar * len(series)) / 2
        for k, (_, colour, counts) in enumerate(series):
            height = DIST_PLOT * counts[index] / top
            x = left + k * bar
            canvas.rect(x + 0.2, base - height, bar - 0.4, height, colour)
            canvas.number(x + bar / 2, base - height - 0.9, str(counts[index]))
        lines = name.split(" ", 1) if len(name) > 11 and " " in name else [name]
        for n, line in enumerate(lines):
            canvas.word(index * column + column / 2, base + 3.4 + 2.9 * n, line)
    canvas.rect(0, base - 0.12, DIST_W, 0.25, INK)  # the axis
    height = base + (7.2 if two_lines else 4.4)
    alt = ", ".join(f"{x}: {n}" for x, n in zip(axis, card.first.counts))
    return Markup('<div class="pc pc-dist">{img}{legend}</div>').format(
        img=_lean_svg(DIST_W, height, canvas.body(), f"{labels['first_vote']}: {alt}", "pc-img"),
        legend=_legend([s[0] for s in series], tuple(s[1] for s in series), lead=labels["votes"]))


def print_breakdown(card, groups: list, labels: dict, narrow: bool = False) -> Markup:  # noqa: ANN001
    """A breakdown for the PDF: per group a 100% bar of its answers, shares of 8% and more printed in it;
    `narrow`: half the page's width (two breakdowns side by side on a card's page)."""
    bar_width = BREAK_NARROW_W if narrow else BREAK_W
    statement = kind_of(card.kind).is_scale
    colours = SCALE_COLOURS if statement else OPTION_COLOURS[: len(card.choices)]
    canvas = _Canvas()
    for row, g in enumerate(groups):
        shares = [n / g.n if g.n else 0 for n in g.counts]
        x, y = 0.0, row * ROW + (ROW - BAR) / 2
        for share, width, colour in zip(shares, _widths(shares, bar_width), colours):
            if width <= 0:
                continue
            canvas.rect(x, y, width, BAR, colour)
            if 0.08 <= share < 1:  # no "100%": a unanimous group is said in words (the privacy gate's rule)
                canvas.number(x + width / 2, y + BAR / 2 + 0.9, f"{100 * share:.0f}%", "#ffffff" if colour in _DARK else INK)
            x += width
    names = Markup("<br>").join(f"{_short(labels['other'] if g.other else g.group, 20 if narrow else 60)} (n={g.n})"
                                for g in groups)
    axis = choice_axis(card)
    summary = "; ".join(_alt_counts(g, labels, axis) for g in groups)
    return Markup('<div class="pc pc-break{narrow}"><p class="pc-labels">{names}</p>{img}{legend}</div>').format(
        narrow=" pc-narrow" if narrow else "", names=names,
        img=_lean_svg(bar_width, ROW * len(groups), canvas.body(), summary, "pc-img"),
        legend=_legend(axis, colours))


def print_overview(cards: list, labels: dict) -> Markup:
    """Every card's agreement (the final vote) for the PDF: a bar per card coloured by reading, the value after it.
    One image per OVERVIEW_ROWS cards, so that a deck of any length breaks across pages between images."""
    cards = [c for c in cards if c.final]
    return Markup("").join(_print_overview_part(cards[i:i + OVERVIEW_ROWS], labels) for i in range(0, len(cards), OVERVIEW_ROWS))


def _print_overview_part(cards: list, labels: dict) -> Markup:
    canvas = _Canvas()
    for row, card in enumerate(cards):
        agreement = card.final.agreement
        percent = share_percent(agreement) if agreement else 0
        y = row * ROW + (ROW - BAR) / 2
        canvas.rect(0, y, OVER_W * percent / 100, BAR, READING_COLOURS[agreement.reading if agreement else None])
        canvas.number(OVER_W * percent / 100 + 1.2, y + BAR / 2 + 0.9, f"{percent}%", anchor="start")
    names = Markup("<br>").join(f"{c.position}. {_short(c.title, 40)}" for c in cards)
    return Markup('<div class="pc pc-over"><p class="pc-labels">{names}</p>{img}</div>').format(
        names=names, img=_lean_svg(OVER_W + 10, ROW * len(cards), canvas.body(), labels["largest_camp_axis"], "pc-img"))
