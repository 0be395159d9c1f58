"""The report as an A4 PDF: the HTML document laid out by WeasyPrint (print stylesheet, page numbers, contents)."""
from __future__ import annotations

import base64
import functools
import logging
import os
import re

from game.report import layout_workers, pdf_parts
from game.report.pdf_layout import NotJoinable, cover_and_join, fewer_gc_runs, lay_out_here, lay_out_part
from game.report.render_html import render_html

log = logging.getLogger(__name__)

# The charts travel as data-URI images in the HTML. WeasyPrint's pure-Python HTML parser reads every
# character of a 1 MB attribute slowly, so for the PDF each chart gets a short "chart:N" address that
# the URL fetcher answers from memory (and nothing else can be fetched: no file, no network).
_CHART_SRC = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')

# From this many cards the document is laid out in two processes (game/report/pdf_parts.py) when the
# machine has a second core; a smaller one is quicker in one than forking twice and joining.
PARALLEL_MIN_CARDS = 8


def render_pdf(report: dict, parallel: bool | None = None) -> bytes:
    """PDF bytes of the report, laid out in worker processes (a server keeps serving meanwhile:
    game/report/layout_workers.py), in two halves at once for a big report; `parallel` forces the
    choice (tests)."""
    with fewer_gc_runs():  # the HTML too: its template run allocates as much as the layout, per element
        html, charts = _html_for_print(report)
    write_options = {"pdf_identifier": report.room.code.encode(), "uncompressed_pdf": False}
    if parallel is None:
        parallel = (os.cpu_count() or 1) > 1 and len(report.cards) >= PARALLEL_MIN_CARDS
    parts = pdf_parts.split(html) if parallel else None
    if parts is not None:
        try:
            return _lay_out_in_two(parts, charts, write_options)
        except (layout_workers.ChildFailed, NotJoinable) as exc:
            log.warning("report PDF in two parts failed, laying it out in one: %s", str(exc)[-500:])
    return layout_workers.run_all([functools.partial(lay_out_here, html, charts, write_options)])[0]


def _html_for_print(report: dict) -> tuple[str, list[bytes]]:
    charts: list[bytes] = []

    def address(match: re.Match) -> str:
        charts.append(base64.b64decode(match.group(1)))
        return f'src="chart:{len(charts) - 1}"'

    return _CHART_SRC.sub(address, render_html(report, for_pdf=True)), charts


def _lay_out_in_two(parts: pdf_parts.Parts, charts: list[bytes], write_options: dict) -> bytes:
    first, second = layout_workers.run_all(
        [functools.partial(lay_out_part, doc, charts, write_options) for doc in parts.documents])
    if first.anchors.get("summary") != 1:
        raise NotJoinable("the cover is not one page")
    pages = {name: index + 1 for name, index in pdf_parts.anchor_pages([first, second], parts.owners).items()}
    cover = pdf_parts.cover_with_page_numbers(parts.cover, pages)
    return layout_workers.run_all([functools.partial(cover_and_join, cover, parts.owners, charts, write_options,
                                                     first, second)])[0]


