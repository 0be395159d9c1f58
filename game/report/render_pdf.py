"""The report as an A4 PDF: the HTML document laid out by WeasyPrint (print stylesheet, page numbers, contents)."""
from __future__ import annotations

import base64
import functools
import gc
import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from game.report import forked, pdf_parts
from game.report.render_html import render_html

log = logging.getLogger(__name__)

# The charts travel as data-URI images in the HTML. WeasyPrint's pure-Python HTML parser reads every
# character of a 1 MB attribute slowly, so for the PDF each chart gets a short "chart:N" address that
# the URL fetcher answers from memory (and nothing else can be fetched: no file, no network).
_CHART_SRC = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')

# WeasyPrint's user-agent stylesheet gives *every* element a ::marker and five footnote/note
# pseudo-elements (`::marker {…}`, `::footnote-call {…}`, …). WeasyPrint computes a style for each of
# them: six extra computed styles per element, ≈ 40,000 for a 40-card report, about a second of CPU
# (docs/report.md, Performance). The report has no footnotes and only <li> carries a marker, so the PDF
# uses the same stylesheet with those rules narrowed to li::marker and the footnote/note ones left out.
# WeasyPrint allocates millions of short-lived objects; with Python's default thresholds (700, 10, 10)
# the cyclic garbage collector runs thousands of times during one render and, in a process with a big
# heap (a web worker, the benchmark), walks all of it again and again: 0.5 to 1 s of a 40-card PDF. While
# the PDF renders, the collector runs less often (peak memory about 75 MB higher; measured in docs/report.md).
RENDER_GC_THRESHOLD = (20_000, 50, 1000)
_UNIVERSAL_PSEUDO = re.compile(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}\s*$", re.M)


@lru_cache(maxsize=1)
def _user_agent_stylesheet():  # noqa: ANN202
    import weasyprint
    from weasyprint import CSS

    source = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text(encoding="utf-8")
    lean = _UNIVERSAL_PSEUDO.sub("", source.replace("\n::marker {", "\nli::marker {"))
    return CSS(string=lean)


def _html_class():  # noqa: ANN202
    from weasyprint import HTML

    class ReportHTML(HTML):
        """HTML with the lean user-agent stylesheet (WeasyPrint's own hook, pinned version in pyproject.toml)."""

        def _ua_stylesheets(self, forms: bool = False) -> list:
            return [_user_agent_stylesheet()]

    return ReportHTML


# From this many cards the document is laid out in two processes (game/report/pdf_parts.py) when the
# machine has a second core; a smaller one is quicker in one than forking twice and joining.
PARALLEL_MIN_CARDS = 8


def render_pdf(report: dict, parallel: bool | None = None) -> bytes:
    """PDF bytes of the report. Laid out in child processes where the platform can fork (a server keeps
    serving meanwhile: game/report/forked.py), in two halves at once for a big report; `parallel`
    forces the choice (tests)."""
    for chatter in ("fontTools", "weasyprint.progress"):  # font subsetting and page-by-page progress
        logging.getLogger(chatter).setLevel(logging.WARNING)
    with _fewer_gc_runs():  # the HTML too: its template run allocates as much as the layout, per element
        html, charts = _html_for_print(report)
    write_options = {"pdf_identifier": report.room.code.encode(), "uncompressed_pdf": False}
    if not forked.available():
        return _lay_out_here(html, charts, write_options)
    _warm_up()
    if parallel is None:
        parallel = (os.cpu_count() or 1) > 1 and len(report.cards) >= PARALLEL_MIN_CARDS
    parts = pdf_parts.split(html) if parallel else None
    if parts is not None:
        try:
            return _lay_out_in_two(parts, charts, write_options)
        except (forked.ChildFailed, _NotJoinable) as exc:
            log.warning("report PDF in two parts failed, laying it out in one: %s", str(exc)[-500:])
    return forked.run_all([lambda: _lay_out_here(html, charts, write_options)])[0]


@lru_cache(maxsize=1)
def _warm_up() -> None:
    """Lay out a line of the report once in this process: the children forked from it then start with
    pango's fonts and WeasyPrint's caches loaded (≈ 0.5 s each, every time, if they had to load them)."""
    _lay_out_here('<html><body class="report pdf"><p>Inzetbaarheidsspel <b>0123456789</b></p></body></html>', [], {})


class _NotJoinable(Exception):
    """The parts cannot be joined as they are (the cover took more than one page)."""


def _html_for_print(report: dict) -> tuple[str, list[bytes]]:
    charts: list[bytes] = []

    def address(match: re.Match) -> str:
        charts.append(base64.b64decode(match.group(1)))
        return f'src="chart:{len(charts) - 1}"'

    return _CHART_SRC.sub(address, render_html(report, for_pdf=True)), charts


def _document(html: str, charts: list[bytes]):  # noqa: ANN202 (a weasyprint.HTML)
    from weasyprint.urls import URLFetcherResponse

    def fetch(url: str) -> URLFetcherResponse:
        if not url.startswith("chart:"):
            raise ValueError(f"the report PDF loads nothing from outside: {url[:40]}")
        return URLFetcherResponse(url, charts[int(url[len("chart:"):])], {"Content-Type": "image/svg+xml"})

    return _html_class()(string=html, base_url=None, url_fetcher=fetch)


def _lay_out_here(html: str, charts: list[bytes], write_options: dict) -> bytes:
    with _fewer_gc_runs():
        return _document(html, charts).write_pdf(**write_options)


def _lay_out_part(html: str, charts: list[bytes], write_options: dict) -> pdf_parts.Laid:
    with _fewer_gc_runs():
        return pdf_parts.lay_out(_document(html, charts), **write_options)


def _lay_out_in_two(parts: pdf_parts.Parts, charts: list[bytes], write_options: dict) -> bytes:
    first, second = forked.run_all([functools.partial(_lay_out_part, doc, charts, write_options) for doc in parts.documents])
    if first.anchors.get("summary") != 1:
        raise _NotJoinable("the cover is not one page")
    pages = {name: index + 1 for name, index in pdf_parts.anchor_pages([first, second], parts.owners).items()}

    def cover_and_join() -> bytes:
        cover = _lay_out_part(pdf_parts.cover_with_page_numbers(parts.cover, pages), charts, write_options)
        if cover.pages != 1:
            raise _NotJoinable("the cover is not one page")
        return pdf_parts.join(cover, [first, second], parts.owners)

    return forked.run_all([cover_and_join])[0]


_GC_LOCK = threading.Lock()
_gc_renders = 0
_gc_saved: tuple[int, ...] = ()


@contextmanager
def _fewer_gc_runs() -> Iterator[None]:
    """RENDER_GC_THRESHOLD while at least one PDF renders; the process's own thresholds back after the
    last one (two renders at once in a web worker must not leave the raised thresholds behind)."""
    global _gc_renders, _gc_saved
    with _GC_LOCK:
        if _gc_renders == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(*RENDER_GC_THRESHOLD)
        _gc_renders += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_renders -= 1
            if _gc_renders == 0:
                gc.set_threshold(*_gc_saved)
