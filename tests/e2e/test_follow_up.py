"""The six-month follow-up in the browser: a room created with `inzetspel rooms create --previous` opens its
dashboard with the earlier session's actions to review; a status set there shows in the follow-up's report."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from game.play.accounts import create_facilitator
from game.store.db import Database
from tests.e2e.a11y import AxeLog, small_targets
from tests.e2e.conftest import ARTIFACTS, shot
from tests.report.conftest import DECK, play_room
from tests.server.conftest import run_cli

pytestmark = pytest.mark.e2e
PASSWORD = "een-lang-wachtwoord"
TABLET_LANDSCAPE = {"width": 810, "height": 1080}


def test_the_follow_up_dashboard_reviews_the_earlier_actions_and_the_report_shows_the_status(
        start_server, server_env, sqlite_url, tablet):
    db = Database(sqlite_url)
    facilitator = create_facilitator(db, "begeleider", PASSWORD)
    earlier = play_room(db, facilitator, teams=2, players=10, cards=3)
    db.dispose()
    created = run_cli(server_env, "rooms", "create", "--deck", DECK, "--teams", "2", "--cards", "3", "--previous", earlier)
    assert created.returncode == 0, created.stderr
    code = created.stdout.strip().splitlines()[-1]
    server = start_server("gevent")

    page = tablet(TABLET_LANDSCAPE)
    page.goto(f"{server.url}/login")
    page.locator("#username").fill("begeleider")
    page.locator("#password").fill(PASSWORD)
    page.locator("main form .button.primary").click()
    page.goto(f"{server.url}/rooms/{code}")

    review = page.get_by_test_id("follow-up-review")
    expect(review).to_be_visible()
    expect(review.get_by_role("heading", name="Acties uit de vorige sessie")).to_be_visible()
    rows = review.locator("tbody tr")
    expect(rows.first).to_be_visible()
    count = rows.count()
    assert count >= 2
    expect(review.get_by_test_id("review-counts")).to_have_text(f"{count} open · 0 gedaan · 0 vervallen")
    axe = AxeLog()
    axe.check(page, "follow-up dashboard with the review")
    assert small_targets(page, "#follow-up-review") == []
    shot(page, "follow-up-dashboard-review")

    first = rows.first
    action_id = first.get_attribute("id")
    what = first.locator("td").first.evaluate("td => td.firstChild.textContent.trim()")
    first.get_by_role("button", name="gedaan").click()
    page.wait_for_url(re.compile(rf"/rooms/{code}#{action_id}$"))
    done = page.locator(f"#{action_id}")
    expect(done.locator("[aria-pressed=true]")).to_have_text("gedaan")
    expect(review.get_by_test_id("review-counts")).to_have_text(f"{count - 1} open · 1 gedaan · 0 vervallen")
    shot(page, "follow-up-dashboard-status-set")
    review.screenshot(path=str(ARTIFACTS / "follow-up-review-panel.png"))

    page.goto(f"{server.url}/rooms/{code}/report#comparison")
    row = page.locator(f"#comparison #{action_id}")
    expect(row).to_contain_text(what)
    expect(row.locator("[aria-pressed=true]")).to_have_text("gedaan")
    row.scroll_into_view_if_needed()
    axe.check(page, "follow-up report with statuses")
    page.locator("#comparison").screenshot(path=str(ARTIFACTS / "follow-up-report-comparison.png"))
    axe.assert_clean()

    # The earlier session's own report shows the same status.
    page.goto(f"{server.url}/rooms/{earlier}/report#actions")
    expect(page.locator(f"#actions #{action_id} [aria-pressed=true]")).to_have_text("gedaan")
    # The MT's PDF has no forms: the status is a pill there (checked in the HTML the PDF is made from).
