"""A facilitator downloads a big report's PDF from a real server while the session goes on: the layout
runs in child processes (game/report/forked.py), so the server keeps answering meanwhile."""
from __future__ import annotations

import random
import re
import threading
import time

import pytest
import requests

from tests.report.test_cli import pdf_pages
from tests.server.conftest import run_cli, server_env, start_server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.server
PASSWORD = "een-lang-wachtwoord"


def _finished_room(url: str, cards: int) -> str:
    """A played room of `cards` cards written straight into the server's database (as the report
    benchmark does: playing it through the server would take minutes), owned by the facilitator."""
    from sqlalchemy import select, update

    from benchmarks.report_bench import build_room
    from game.rules.codes import new_join_code
    from game.store.db import Database
    from game.store.models import FacilitatorRecord, RoomRecord

    db = Database(url)
    try:
        room_id = build_room(db, cards=cards, players=40, teams=4)
        with db.transaction() as s:
            owner = s.scalar(select(FacilitatorRecord.id))
            code = new_join_code(random.SystemRandom())  # the benchmark's own codes are not join codes
            s.execute(update(RoomRecord).where(RoomRecord.id == room_id).values(facilitator_id=owner, code=code))
            return code
    finally:
        db.dispose()


@pytest.mark.parametrize("mode", ["gevent", "eventlet"])
def test_the_pdf_is_served_while_the_server_keeps_answering(start_server, server_env, mode):
    assert run_cli({**server_env, "INZETSPEL_PASSWORD": PASSWORD}, "users", "create", "begeleider").returncode == 0
    server = start_server(mode)
    code = _finished_room(server_env["DATABASE_URL"], cards=12)
    browser = requests.Session()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', browser.get(f"{server.url}/login", timeout=10).text).group(1)
    browser.post(f"{server.url}/login", data={"csrf_token": token, "username": "begeleider", "password": PASSWORD}, timeout=10)

    answered: list[float] = []
    done = threading.Event()

    def bystander() -> None:  # another tablet's requests while the PDF is laid out
        while not done.is_set():
            started = time.perf_counter()
            assert requests.get(f"{server.url}/healthz", timeout=10).ok
            answered.append(time.perf_counter() - started)
            time.sleep(0.05)

    watcher = threading.Thread(target=bystander)
    watcher.start()
    try:
        started = time.perf_counter()
        response = browser.get(f"{server.url}/rooms/{code}/report", params={"format": "pdf"}, timeout=120)
        took = time.perf_counter() - started
    finally:
        done.set()
        watcher.join()
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert pdf_pages(response.content) > 12   # 12 cards: laid out in two parts and joined
    assert len(answered) >= 3 and max(answered) < max(1.0, took / 2), (took, answered)
    assert "Traceback" not in server.log(), server.log()[-3000:]
