"""The phase timers: every process looks for expired vote timers once a second. The use case
locks the team and re-checks the deadline, so a vote closes once even when several processes look."""
from __future__ import annotations

import logging

from game.extensions import socketio
from game.live.broadcast import publish
from game.live.presence import presence
from game.play import turns
from game.rules.errors import RuleViolation
from game.store.db import Database
from game.store.models import utcnow

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 1.0


def expire_due(db: Database) -> int:
    """Close every vote whose timer has run out; return how many teams changed."""
    changed = 0
    now = utcnow()
    for team_id in turns.due_timers(db, now):
        try:
            result = turns.expire_vote(db, team_id, now, presence.online_ids())
        except RuleViolation as exc:  # busy or unavailable: try again next second
            log.info("timer of team %s not handled now: %s", team_id, exc.code)
            continue
        if result is not None:
            publish(result, db)  # no app context in this background task
            changed += 1
    return changed


def run_timers(db: Database) -> None:
    while True:
        socketio.sleep(INTERVAL_SECONDS)
        try:
            expire_due(db)
        except Exception:  # the loop must survive a database hiccup
            log.exception("timer sweep failed")
