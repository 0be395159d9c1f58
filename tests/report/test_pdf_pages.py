"""No near-empty PDF pages (issue 13): every card on one page with its role-group and team breakdowns, no page
that holds only a chart, and the decision note on page 2. A room of 24 players in four teams and six roles,
with a second vote on every card (the longest card pages)."""
from __future__ import annotations

import io
import re

from pypdf import PdfReader

from game.report.render_pdf import render_pdf
from game.report.text import strings
from tests.report.conftest import play_room
from tests.report.test_aggregate import report_of

NL = strings("nl")


def test_every_card_keeps_to_one_page_and_no_page_holds_only_a_chart(db, facilitator_id):
    code = play_room(db, facilitator_id, teams=4, players=24, cards=4, second_vote=True)
    report = report_of(db, code)
    assert all(c.breakdowns["role_group"].shown and c.breakdowns["team"].shown for c in report.cards)
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(render_pdf(report, parallel=False))).pages]
    assert NL["note_agree"] in pages[1], "the decision note is page 2"
    heads = {NL["breakdown_role_group"].upper(), NL["breakdown_team"].upper()}
    for card in report.cards:
        on = [i for i, text in enumerate(pages) if card.title in text and f"{NL['card'].upper()} {card.position} · " in text.upper()]
        assert len(on) == 1, card.title
        page = pages[on[0]]
        # Its figures, its decisions and both breakdowns on that one page; the next page starts another card or chapter.
        assert all(head in page.upper() for head in heads), (card.title, page[-400:])
    running = f"{report.room.title} · {NL['report']}".upper()
    assert starts_with_a_chart([text.upper().removeprefix(running) for text in pages]) == []


def starts_with_a_chart(pages: list[str]) -> list[int]:
    """The pages (1-based) whose text opens with a breakdown's heading: a chart left over from a card's page
    (the 36-page report of a 12-card room had twelve of them)."""
    heads = (NL["breakdown_role_group"].upper(), NL["breakdown_team"].upper())
    return [n for n, text in enumerate(pages, start=1) if text.strip().upper().startswith(heads)]
