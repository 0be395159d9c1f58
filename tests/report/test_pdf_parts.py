"""The PDF laid out in two processes and joined (game/report/pdf_parts.py) reads like the one laid out
in one: the same pages and text, page numbers, contents, links and outline."""
from __future__ import annotations

import collections
import functools
import io
import operator
import re

import pytest
from pypdf import PdfReader

from game.report import layout_workers, pdf_parts
from game.report.render_html import render_html
from game.report.render_pdf import render_pdf
from tests.report.test_aggregate import report_of



def _links(reader: PdfReader) -> list[tuple[int, int]]:
    """(page with the link, page its named destination is on), for every internal link."""
    dests = {name: reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()}
    found = []
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" in annot:
                found.append((index, dests[str(annot["/Dest"])]))
    return sorted(found)


def _outline(reader: PdfReader, items=None, depth=0) -> list[tuple[int, str, int]]:  # noqa: ANN001
    out = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            out += _outline(reader, item, depth + 1)
        else:
            out.append((depth, item.title, reader.get_destination_page_number(item)))
    return out


def _heights_of(page, start: str) -> list[float]:  # noqa: ANN001
    """How high above the page's lower edge (pt) the text beginning with `start` is drawn."""
    found = []

    def visit(text, cm, tm, _font, _size) -> None:  # noqa: ANN001
        if text.strip().startswith(start):
            found.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    assert found, f"no text {start!r}"
    return found


def _text(page) -> str:  # noqa: ANN001
    return re.sub(r"\s+", " ", page.extract_text())


def test_two_processes_give_the_same_document_as_one(db, played_room):
    report = report_of(db, played_room)
    one = PdfReader(io.BytesIO(render_pdf(report, parallel=False)))
    two = PdfReader(io.BytesIO(render_pdf(report, parallel=True)))

    assert len(two.pages) == len(one.pages) > 4
    for index, (a, b) in enumerate(zip(one.pages, two.pages)):
        assert sorted(_text(a).split()) == sorted(_text(b).split()), (index + 1, collections.Counter(_text(a).split()) - collections.Counter(_text(b).split()), collections.Counter(_text(b).split()) - collections.Counter(_text(a).split()))
        if index:  # the running title and the page number on every page but the cover
            assert f"{index + 1} / {len(two.pages)}" in _text(b) and report.room.title in _text(b)
    assert all(0 < y < 40 for y in _heights_of(two.pages[len(two.pages) // 2], f"{len(two.pages) // 2 + 1} / "))  # at the foot
    assert _links(two) == _links(one) and _links(one)          # contents, summary, tables -> the same pages
    assert _outline(two) == _outline(one) and len(_outline(one)) > 5
    assert two.metadata.title == one.metadata.title


def test_the_document_is_cut_before_a_card_and_each_part_can_link_to_the_other(db, played_room):
    html = render_html(report_of(db, played_room), for_pdf=True)
    parts = pdf_parts.split(html)
    first, second = parts.documents
    assert second.count(pdf_parts.CARD_START) >= 1 and first.count(pdf_parts.CARD_START) >= 1
    assert 'id="summary"' in first and 'id="actions"' in second
    assert '<span id="actions"></span>' in first and parts.owners["actions"] == 1  # placeholder, owned by part 2
    assert parts.owners["summary"] == 0 and '<span id="summary"></span>' in second


def test_a_document_with_one_card_is_not_cut():
    html = ('<html><head></head><body><div class="running-title">t</div><section class="cover" id="cover"></section>'
            f'{pdf_parts.SUMMARY_START}</section>{pdf_parts.CARD_START}1"></section></body></html>')
    assert pdf_parts.split(html) is None


def test_a_worker_that_fails_is_reported_and_results_come_back_through_full_pipes():
    big = b"x" * 3_000_000  # more than a pipe holds, both ways
    assert layout_workers.run_all([functools.partial(dict, n=1), functools.partial(bytes, big)]) == [{"n": 1}, big]
    with pytest.raises(layout_workers.ChildFailed, match="ZeroDivisionError"):
        layout_workers.run_all([functools.partial(operator.truediv, 1, 0)])
    # the workers stay usable (warm) after a failed job, and a worker that went away is replaced
    for worker in list(layout_workers._idle):
        worker.process.kill()
        worker.process.wait()
    assert layout_workers.run_all([functools.partial(operator.add, 2, 3)]) == [5]


def test_a_worker_runs_none_of_the_servers_code():
    """Workers are started afresh (exec), not forked from the server: nothing of a gevent server's
    greenlets or sockets can run in them (the CI failure behind game/report/layout_workers.py)."""
    [modules] = layout_workers.run_all([functools.partial(eval, "sorted(__import__('sys').modules)")])
    assert "game.report.pdf_layout" in modules
    assert not {"gevent", "eventlet", "flask", "flask_socketio", "sqlalchemy", "game.app", "game.report.render_html"} & set(modules)
