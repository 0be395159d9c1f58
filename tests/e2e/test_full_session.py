"""A full session in a real browser: a facilitator and four tablets play two cards through every phase.

Along the way: axe-core on every page and phase (0 WCAG 2.1 A/AA violations), touch targets and one
primary action per phase at tablet and phone sizes, a vote tapped while offline that arrives intact,
keyboard-only play, the big screen, the dashboard and the report. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import AxeLog, small_targets
from tests.e2e.conftest import ARTIFACTS, PASSWORD, TABLET
from tests.e2e.conftest import shot as full_page_shot
from tests.server.conftest import run_cli

pytestmark = pytest.mark.e2e
LAPTOP = {"width": 1280, "height": 800}
PROJECTOR = {"width": 1920, "height": 1080}
PLAYERS = (("Anna", "HR"), ("Bas", "Leidinggevende"), ("Cem", "MT-lid"), ("Dewi", "Medewerker"))
VIEWPORTS = {"tablet-portrait": TABLET, "tablet-landscape": {"width": 1024, "height": 768},
             "tablet-810": {"width": 810, "height": 1080}, "phone": {"width": 390, "height": 844}}


def shot(page, name: str) -> None:
    """A full-page screenshot from the top (so the sticky bar sits where it belongs), and what the
    screen itself shows (`-screen`), the size the README uses."""
    page.evaluate("window.scrollTo(0, 0)")
    full_page_shot(page, name)
    page.screenshot(path=str(ARTIFACTS / f"{name}-screen.png"))


def visible_primaries(page) -> int:
    return page.locator("#game .primary:visible").count()


def check_layout(page, where: str, expect_primary: int | None) -> None:
    """Touch targets, a visible phase label, one primary action at most (exactly one where given), no sideways scroll."""
    assert small_targets(page) == [], f"{where}: touch targets under 44x44 px"
    pill = page.locator(".phase-pill").bounding_box()
    assert pill and pill["height"] >= 24, f"{where}: phase label missing"
    primaries = visible_primaries(page)
    if expect_primary is None:
        assert primaries <= 1, f"{where}: {primaries} primary actions"
    else:
        assert primaries == expect_primary, f"{where}: {primaries} primary actions, expected {expect_primary}"
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{where}: the page scrolls sideways by {overflow}px"


def tab_to(page, selector: str, presses: int = 60) -> None:
    """Move the keyboard focus with Tab only until it lands on `selector`."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => document.activeElement && document.activeElement.matches(sel)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def sign_in(page, url: str, axe: AxeLog) -> None:
    page.goto(f"{url}/login")
    axe.check(page, "login")
    page.locator("#username").fill("begeleider")
    page.locator("#password").fill(PASSWORD)
    page.locator("main form .button.primary").click()
    expect(page).to_have_url(re.compile(r"/rooms$"))


def join(page, url: str, code: str, name: str, role: str, axe: AxeLog | None) -> None:
    page.goto(f"{url}/")
    if axe:
        axe.check(page, "home (code form)")
    page.locator("#code").fill(code)
    page.locator("#code").press("Enter")
    expect(page.locator("#join-form")).to_be_visible()
    if axe:
        axe.check(page, "join form")
        assert small_targets(page) == []
        shot(page, "session-00-join")
    page.locator("#name").fill(name)
    page.locator(f'input[name="role"][value="{role}"]').check()
    page.locator("#join-button").click()
    expect(page.locator(".game-head h1")).to_have_text("Team 1")


def everyone_sees(pages, phase: str) -> None:
    for page in pages:
        # Generous: the machine may be busy; a phase change normally shows within a second.
        expect(page.locator(".phase-pill")).to_have_class(re.compile(rf"\bphase-{phase}\b"), timeout=15000)


def test_a_full_session_on_four_tablets_is_accessible_and_loses_no_vote(server, tablet):
    axe = AxeLog()
    laptop = tablet(LAPTOP)
    sign_in(laptop, server.url, axe)
    axe.check(laptop, "rooms (new session form)")
    laptop.locator("#deck").select_option("dilemmas-korte-termijn")
    laptop.locator("#cards").fill("2")
    laptop.locator("#teams").fill("Team 1")
    laptop.locator("#shuffle").uncheck()
    laptop.locator("#comfort").check()
    laptop.locator("main form .button.primary").click()
    code = laptop.get_by_test_id("join-code").inner_text().strip()
    expect(laptop.locator("#teams .team-card")).to_have_count(1)
    axe.check(laptop, "dashboard (empty)")

    screen = tablet(PROJECTOR)
    screen.goto(server.url + laptop.locator("#screen-link").get_attribute("href"))
    expect(screen.get_by_test_id("join-qr")).to_be_visible()
    axe.check(screen, "big screen (join)")

    tablets = []
    for i, (name, role) in enumerate(PLAYERS):
        page = tablet(TABLET)
        join(page, server.url, code, name, role, axe if i == 0 else None)
        tablets.append(page)
    anna, bas, cem, dewi = tablets
    expect(laptop.locator(".team-card")).to_contain_text("Dewi")

    # ---- card 1: draw ----
    everyone_sees(tablets, "draw")
    axe.check(anna, "play: draw (turn player)")
    axe.check(bas, "play: draw (waiting)")
    check_layout(anna, "draw, turn player", expect_primary=1)
    check_layout(bas, "draw, waiting", expect_primary=0)
    shot(anna, "session-01-draw")
    # Keyboard only: Tab to the draw button and press Enter.
    tab_to(anna, '[data-act="draw"]')
    anna.keyboard.press("Enter")

    # ---- card 1: vote, with Dewi's tablet offline ----
    everyone_sees(tablets, "vote")
    axe.check(bas, "play: vote (not voted)")
    for name, size in VIEWPORTS.items():
        bas.set_viewport_size(size)
        check_layout(bas, f"vote at {name}", expect_primary=None)
        option = bas.locator("[data-vote]").first.bounding_box()
        assert option["height"] >= 56, "vote options are large targets"
        bas.screenshot(path=str(ARTIFACTS / f"session-vote-{name}.png"))
    bas.set_viewport_size(TABLET)
    shot(bas, "session-02-vote")

    dewi.context.set_offline(True)
    expect(dewi.locator("#conn")).to_have_attribute("data-state", re.compile("offline|reconnecting"))
    dewi.locator("[data-vote]").nth(1).click()
    dewi.locator("[data-predict]").first.click()  # the vote and the prediction are one act (issue 16)
    expect(dewi.locator("#outbox")).to_be_visible()
    expect(dewi.locator('[data-vote="2"]')).to_have_attribute("aria-checked", "true")
    # Kept on the tablet itself, so even a reload (or the browser dropping the tab) does not lose it.
    outbox_key = f"inzetspel.outbox.{code.replace('-', '')}"
    assert '"choice":2' in (dewi.evaluate("(key) => localStorage.getItem(key)", outbox_key) or "")
    # Honest: the ballot does not say "your vote is in"; it says what the notice says.
    expect(dewi.locator("#vote-label")).to_have_text(dewi.locator("#outbox").inner_text())
    axe.check(dewi, "play: vote queued while offline")
    shot(dewi, "session-03-vote-offline")

    # Keyboard only: Cem votes with Tab and Space (his option, then his prediction).
    tab_to(cem, "[data-vote]")
    cem.keyboard.press("Space")
    expect(cem.locator("[data-vote][aria-checked=true]")).to_have_count(1)
    tab_to(cem, "[data-predict]")
    cem.keyboard.press("Space")
    anna.locator("[data-vote]").first.click()
    anna.locator("[data-predict]").first.click()
    expect(anna.locator(".players .voted")).to_have_count(2)
    everyone_sees(tablets[:3], "vote")  # Bas has not voted: no reveal

    # Dewi's connection comes back before the last vote: her kept vote arrives and counts.
    dewi.context.set_offline(False)
    expect(dewi.locator("#conn")).to_have_attribute("data-state", "online", timeout=20000)
    expect(anna.locator(".players .voted")).to_have_count(3)
    bas.locator("[data-vote]").first.click()
    expect(bas.locator("[data-predict]").first).to_be_enabled()
    axe.check(bas, "play: vote (chosen, predicting)")
    bas.locator("[data-predict]").first.click()
    everyone_sees(tablets, "discuss")
    expect(dewi.locator("#outbox")).to_be_hidden()
    assert dewi.evaluate("(key) => localStorage.getItem(key)", outbox_key) is None
    expect(dewi.locator(".results-first .muted")).to_be_visible()  # "(you: ...)": her own first vote
    counts = [int(n) for n in anna.locator(".distribution").first.locator("td.num:not(.pct)").all_inner_texts()]
    assert sum(counts) == 4, f"all four votes counted, Dewi's included: {counts}"

    # ---- card 1: reveal and discuss ----
    axe.check(anna, "play: discuss (turn player)")
    axe.check(cem, "play: discuss (waiting)")
    shot(anna, "session-04-reveal")
    bas.locator("#arg-text").fill("Zonder vervanging loopt het team vast.")
    bas.locator('[data-form="argument"] button').click()
    expect(cem.locator(".arguments")).to_contain_text("Zonder vervanging")
    cem.locator("[data-helpful]").click()
    expect(cem.locator("[data-helpful]")).to_be_disabled()
    check_layout(anna, "discuss, turn player", expect_primary=1)
    check_layout(cem, "discuss, waiting", expect_primary=0)
    axe.check(cem, "play: discuss (argument posted, marked helpful)")
    shot(anna, "session-05-discuss")
    axe.check(screen, "big screen (during play)")
    shot(screen, "session-screen")

    # ---- card 1: second vote ----
    anna.locator('[data-act="revote"]').click()
    everyone_sees(tablets, "revote")
    axe.check(bas, "play: second vote")
    check_layout(bas, "second vote", expect_primary=None)
    shot(bas, "session-06-revote")
    for i, page in enumerate(tablets):
        page.locator("[data-vote]").nth(i % 2).click()

    # ---- card 1: decide ----
    everyone_sees(tablets, "decide")
    axe.check(anna, "play: decide (turn player)")
    axe.check(bas, "play: decide (waiting)")
    check_layout(anna, "decide, turn player", expect_primary=1)
    anna.locator('.decision-form input[name="position"]').first.check()
    anna.locator("#rationale").fill("Eerst de werkdruk oplossen.")
    anna.locator("#act-what").fill("Werkdruk bespreken in het MT")
    anna.locator("#act-owner").fill("MT-lid")
    anna.locator("#act-due").fill((dt.date.today() + dt.timedelta(days=60)).isoformat())
    axe.check(anna, "play: decide (form filled)")
    shot(anna, "session-07-decide")
    anna.locator(".decision-form").scroll_into_view_if_needed()
    anna.screenshot(path=str(ARTIFACTS / "session-07-decide-form.png"))
    anna.locator(".decision-form .button.primary").click()

    # ---- card 2: draw (with the comfort question), vote, discuss, decide ----
    everyone_sees(tablets, "draw")
    expect(cem.locator(".comfort")).to_be_visible()
    axe.check(cem, "play: draw with comfort question")
    check_layout(bas, "draw card 2, turn player", expect_primary=1)
    cem.locator('[data-comfort="4"]').click()
    expect(cem.locator(".comfort")).to_be_hidden()
    axe.check(laptop, "dashboard (during play)")
    shot(laptop, "session-08-dashboard")
    bas.locator('[data-act="draw"]').click()
    everyone_sees(tablets, "vote")
    # Cem votes offline, and the vote closes before he is back: his tablet says it was not counted.
    cem.context.set_offline(True)
    expect(cem.locator("#conn")).to_have_attribute("data-state", re.compile("offline|reconnecting"))
    cem.locator("[data-vote]").first.click()
    cem.locator("[data-predict]").first.click()
    expect(cem.locator("#outbox")).to_be_visible()
    # Once the team sees Cem's tablet offline, the reveal waits only for the players present (issue 16).
    expect(bas.locator(".players li", has_text="Cem")).to_contain_text("offline", timeout=40000)
    for i, page in enumerate((anna, bas, dewi)):
        page.locator("[data-vote]").nth(i % 3).click()
        page.locator("[data-predict]").first.click()
    everyone_sees((anna, bas, dewi), "discuss")
    cem.context.set_offline(False)
    expect(cem.locator("#conn")).to_have_attribute("data-state", "online", timeout=20000)
    everyone_sees(tablets, "discuss")
    expect(cem.get_by_test_id("vote-lost")).to_be_visible()
    expect(cem.locator("#outbox")).to_be_hidden()
    counts = [int(n) for n in cem.locator(".distribution").first.locator("td.num:not(.pct)").all_inner_texts()]
    assert sum(counts) == 3, f"the late vote was not counted, and the tablet said so: {counts}"
    bas.locator('[data-act="to-decide"]').click()
    everyone_sees(tablets, "decide")
    bas.locator('.decision-form input[name="position"]').last.check()
    bas.locator(".decision-form .button.primary").click()

    # ---- finished ----
    everyone_sees(tablets, "finished")
    axe.check(anna, "play: finished")
    check_layout(anna, "finished", expect_primary=None)
    shot(anna, "session-09-finished")
    axe.check(screen, "big screen (finished)")

    # ---- the report ----
    laptop.get_by_test_id("report-link").click()
    expect(laptop.locator("h1")).to_be_visible()
    axe.check(laptop, "report")
    # Every chart has its numbers as a table next to it.
    for figure in laptop.locator("figure:has(svg)").all():
        assert figure.locator("table").count() or figure.locator("xpath=following-sibling::*[1][self::table or .//table]").count(), \
            "a chart without a table of its numbers"
    shot(laptop, "session-10-report")
    laptop.go_back()
    laptop.locator('a[href$="/report/share"]').click()
    axe.check(laptop, "report sharing")
    laptop.locator("main form:not(.inline) .button").first.click()
    share_link = laptop.get_by_test_id("share-link").input_value()
    axe.check(laptop, "report sharing (a new link)")
    mt = tablet(LAPTOP)
    mt.goto(share_link)
    expect(mt.locator("h1")).to_be_visible()
    axe.check(mt, "shared report (the MT's link)")

    assert len(axe.checked) >= 25
    axe.assert_clean()
    assert tablet.blocked == [], "the Content-Security-Policy blocked something on these pages"


def test_the_player_page_js_and_css_stay_within_budget_and_are_cached_for_good(server, tablet):
    """The 150 KB budget of compressed JS+CSS (issue 6), measured as the browser received it; a
    second visit downloads no JS or CSS at all (hashed URLs, cached for a year)."""
    from benchmarks.page_weight import BUDGET_KB, measure

    created = run_cli(server.env, "rooms", "create", "--deck", "talent-en-passie", "--teams", "1")
    code = created.stdout.strip().splitlines()[-1].replace("-", "")
    page = tablet(TABLET)
    cold = measure(page, f"{server.url}/r/{code}")
    assets = [f for f in cold["files"] if f["url"].split("?")[0].endswith((".js", ".css"))]
    assert all("?v=" in f["url"] for f in assets), "every script and stylesheet has a content-hashed URL"
    assert cold["js_css_transfer"] < BUDGET_KB * 1024, cold["js_css_transfer"]
    assert cold["js_css_transfer"] < cold["js_css_decoded"] / 2, "JS and CSS arrive compressed"
    warm = measure(page, f"{server.url}/r/{code}")
    assert warm["js_css_transfer"] == 0, "a returning tablet takes its JS and CSS from the cache"
