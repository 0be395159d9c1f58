"""An emoji on a card prints as the emoji in the PDF report, not as a missing-glyph box: the report's
fonts fall back to Noto Color Emoji (installed with the other fonts by .ci/run, listed in the README)."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from game.play import library
from game.report.service import render, room_id_for_code, room_report
from tests.report.conftest import play_room

TITLE = "Thuiswerken 🏠 of kantoor 🏢?"


def fonts_of(pdf: bytes) -> set[str]:
    """The base names of every font the PDF embeds (subset prefixes removed)."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


@pytest.fixture
def emoji_room(db, facilitator_id) -> str:
    content = library.get_deck(db, "mobiliteit-bespreekbaar")["content"]
    cards = [dict(c) for c in content["cards"][:2]]
    cards[0]["title"] = TITLE
    deck = {**content, "slug": "met-emoji", "title": "Kaarten met emoji 🙂", "cards": cards}
    library.create_deck(db, deck, "begeleider")
    return play_room(db, facilitator_id, deck="met-emoji", teams=1, players=5, cards=2)


@pytest.mark.skipif(not shutil.which("fc-list"), reason="fontconfig's fc-list is not installed")
def test_the_emoji_font_is_installed():
    assert "Noto Color Emoji" in subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=True).stdout


def test_an_emoji_on_a_card_is_printed_with_the_emoji_font_in_the_pdf(db, emoji_room, tmp_path: Path):
    report = room_report(db, room_id_for_code(db, emoji_room))
    pdf = render(report, "pdf").body
    (tmp_path / "emoji.pdf").write_bytes(pdf)
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Thuiswerken" in text
    assert any("Emoji" in name for name in fonts_of(pdf)), fonts_of(pdf)
