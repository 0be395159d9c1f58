"""Deck library fixtures: an app with or without the bundled decks, a signed-in facilitator's browser."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.play.accounts import create_facilitator
from tests.conftest import ROOT, make_app

PASSWORD = "een-lang-wachtwoord"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
BUNDLED = sorted((ROOT / "decks").glob("*.yml"))


@pytest.fixture
def empty_app(tmp_path: Path):
    """An app whose deck folder is empty: uploaded copies of the bundled decks are the organisation's own."""
    folder = tmp_path / "no-decks"
    folder.mkdir()
    application = make_app(f"sqlite:///{tmp_path / 'empty.db'}", DECKS_DIR=folder)
    yield application
    application.extensions["inzetspel.db"].dispose()


@pytest.fixture
def empty_db(empty_app):
    return empty_app.extensions["inzetspel.db"]


class Browser:
    """A test client that posts forms as a browser does: with the page's CSRF token."""

    def __init__(self, client):  # noqa: ANN001
        self.client = client

    def get(self, url: str, **kwargs):  # noqa: ANN003, ANN201
        return self.client.get(url, **kwargs)

    def token(self, page: str) -> str:
        html = self.client.get(page, follow_redirects=True).get_data(as_text=True)
        match = CSRF.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def post(self, url: str, data: dict, page: str, **kwargs):  # noqa: ANN003, ANN201
        return self.client.post(url, data={**data, "csrf_token": self.token(page)}, **kwargs)

    def login(self, username: str = "begeleider"):  # noqa: ANN201
        return self.client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": self.token("/login")})


@pytest.fixture
def facilitator_id(db) -> int:
    return create_facilitator(db, "begeleider", PASSWORD)


@pytest.fixture
def browser(app, facilitator_id) -> Browser:
    """A signed-in facilitator."""
    b = Browser(app.test_client())
    b.login()
    return b


@pytest.fixture
def anonymous(app, facilitator_id) -> Browser:
    return Browser(app.test_client())
