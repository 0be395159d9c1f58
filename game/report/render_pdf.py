"""The report as an A4 PDF: the HTML document laid out by WeasyPrint (print stylesheet, page numbers, contents)."""
from __future__ import annotations

import base64
import logging
import re

from game.report.render_html import render_html

# The charts travel as data-URI images in the HTML. WeasyPrint's pure-Python HTML parser reads every
# character of a 1 MB attribute slowly, so for the PDF each chart gets a short "chart:N" address that
# the URL fetcher answers from memory (and nothing else can be fetched: no file, no network).
_CHART_SRC = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def render_pdf(report: dict) -> bytes:
    """PDF bytes of the report."""
    # Imported here: WeasyPrint loads pango at import time, which the other formats do not need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcherResponse

    for chatter in ("fontTools", "weasyprint.progress"):  # font subsetting and page-by-page progress
        logging.getLogger(chatter).setLevel(logging.WARNING)
    charts: list[bytes] = []

    def address(match: re.Match) -> str:
        charts.append(base64.b64decode(match.group(1)))
        return f'src="chart:{len(charts) - 1}"'

    html = _CHART_SRC.sub(address, render_html(report, for_pdf=True))

    def fetch(url: str) -> URLFetcherResponse:
        if not url.startswith("chart:"):
            raise ValueError(f"the report PDF loads nothing from outside: {url[:40]}")
        return URLFetcherResponse(url, charts[int(url[len("chart:"):])], {"Content-Type": "image/svg+xml"})

    return HTML(string=html, base_url=None, url_fetcher=fetch).write_pdf(
        pdf_identifier=report["room"]["code"].encode(), uncompressed_pdf=False,
    )
