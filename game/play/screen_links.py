"""Big-screen links: which generation of a room's link is valid, and renewing it (issue 17)."""
from __future__ import annotations

import datetime as dt
import hmac

from sqlalchemy import select

from game.play.rooms import owned_room
from game.rules.codes import normalise_join_code, screen_token
from game.rules.errors import RuleViolation
from game.store.db import Database
from game.store.models import RoomRecord, utcnow


# After the session ends, the big screen keeps showing its end view ("Afgelopen", thanks, the room's gated
# headline results) for the closing words and the group photo, also after a reload; then the link expires.
ENDED_GRACE = dt.timedelta(hours=2)


def screen_epoch(db: Database, typed_code: str, now: dt.datetime | None = None) -> tuple[int, bool] | None:
    """(the link's current generation, whether the link has expired with the room) or None when there is
    no such room."""
    code = normalise_join_code(typed_code or "")
    if code is None:
        return None
    with db.transaction() as session:
        row = session.execute(select(RoomRecord.screen_epoch, RoomRecord.ended_at).where(RoomRecord.code == code)).first()
    if row is None:
        return None
    expired = row.ended_at is not None and (now or utcnow()) - row.ended_at > ENDED_GRACE
    return row.screen_epoch or 1, expired


def renew_screen_link(db: Database, facilitator_id: int, typed_code: str) -> int:
    """The room's facilitator revokes the big-screen link: a new generation, every older link stops."""
    with db.transaction() as session:
        room = owned_room(session, facilitator_id, typed_code)
        if room.ended_at is not None:
            raise RuleViolation("room/ended", "This session has ended.")
        room.screen_epoch = (room.screen_epoch or 1) + 1
        return room.screen_epoch


def check_screen_link(db: Database, secret: str, typed_code: str, token: object, now: dt.datetime | None = None) -> str:
    """'ok' (also for ENDED_GRACE after the room ended: the screen shows its end view), 'ended' (a valid link
    of a room that ended longer ago: it says so and shows nothing else) or 'invalid' (no such room, a wrong
    or revoked token)."""
    if not isinstance(token, str) or not isinstance(typed_code, str) or len(typed_code) > 40:
        return "invalid"
    found = screen_epoch(db, typed_code, now)
    if found is None:
        return "invalid"
    epoch, ended = found
    expected = screen_token(secret, normalise_join_code(typed_code) or "", epoch)
    if not hmac.compare_digest(expected.encode(), token[:64].encode("utf-8", "surrogatepass")):
        return "invalid"
    return "ended" if ended else "ok"
