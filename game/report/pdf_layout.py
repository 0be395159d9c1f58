"""The report's HTML laid out as PDF by WeasyPrint: what runs in the layout workers
(game/report/layout_workers.py). Nothing here imports the report model, Flask or the database: a
worker starts with this module, WeasyPrint and the fonts, and nothing else."""
from __future__ import annotations

import gc
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from game.report import pdf_parts

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


def warm_up() -> None:
    """Lay out a line of the report once (in a new worker): pango's fonts and WeasyPrint's caches are
    then loaded before the first real job (≈ 0.5 s otherwise, every time)."""
    for chatter in ("fontTools", "weasyprint.progress"):  # font subsetting and page-by-page progress
        logging.getLogger(chatter).setLevel(logging.WARNING)
    lay_out_here('<html><body class="report pdf"><p>Inzetbaarheidsspel <b>0123456789</b></p></body></html>', [], {})


class NotJoinable(Exception):
    """The parts cannot be joined as they are (the cover took more than one page)."""


def _document(html: str, charts: list[bytes]):  # noqa: ANN202 (a weasyprint.HTML)
    from weasyprint.urls import URLFetcherResponse

    def fetch(url: str) -> URLFetcherResponse:
        if not url.startswith("chart:"):
            raise ValueError(f"the report PDF loads nothing from outside: {url[:40]}")
        return URLFetcherResponse(url, charts[int(url[len("chart:"):])], {"Content-Type": "image/svg+xml"})

    return _html_class()(string=html, base_url=None, url_fetcher=fetch)


def lay_out_here(html: str, charts: list[bytes], write_options: dict) -> bytes:
    with fewer_gc_runs():
        return _document(html, charts).write_pdf(**write_options)


def lay_out_part(html: str, charts: list[bytes], write_options: dict) -> pdf_parts.Laid:
    with fewer_gc_runs():
        return pdf_parts.lay_out(_document(html, charts), **write_options)


def cover_and_join(cover_html: str, owners: dict[str, int], charts: list[bytes], write_options: dict,
                    first: pdf_parts.Laid, second: pdf_parts.Laid) -> bytes:
    """In a worker: the cover with the final page numbers, then the joined PDF."""
    cover = lay_out_part(cover_html, charts, write_options)
    if cover.pages != 1:
        raise NotJoinable("the cover is not one page")
    return pdf_parts.join(cover, [first, second], owners)


_GC_LOCK = threading.Lock()
_gc_renders = 0
_gc_saved: tuple[int, ...] = ()


@contextmanager
def fewer_gc_runs() -> Iterator[None]:
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
