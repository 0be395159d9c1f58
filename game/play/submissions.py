"""Own dilemmas: a player brings one in; the room's facilitator accepts it into a deck or rejects it.

Accepting goes through the deck library (`library.add_card_to_deck` / `library.create_deck`), the
same code path as the deck editor: the card is checked by the one deck schema and stored as a new
deck version. The deck is saved first and the submission marked afterwards (only if still new), so a
failed save changes nothing; two facilitators accepting at the very same moment could at worst add
the card twice, which the editor shows and undoes.
"""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from game.play import library
from game.play.common import Outcome, Seat
from game.play.events import DilemmaSubmitted
from game.play.rooms import new_submissions, owned_room
from game.rules import submissions as rules
from game.rules.errors import RuleViolation
from game.rules.text import clean_text
from game.store.db import Database
from game.store.models import PlayerRecord, RoomRecord, SubmissionRecord

_SUBMISSIONS = SubmissionRecord.__table__


def as_dict(record: SubmissionRecord, author: str | None = None) -> dict:
    return {"id": record.id, "title": record.title, "text": record.text, "options": list(record.options),
            "kind": rules.kind_of(record.options).value, "status": record.status, "deck_slug": record.deck_slug,
            "submitted_at": record.submitted_at, "author": author}


def submit(db: Database, seat: Seat, title: str, text: str, kind: str, options: list[str]) -> Outcome:
    """A player's dilemma from their own organisation, during or after the room; a resend counts once."""
    title, text = clean_text(title, single_line=True), clean_text(text)  # refused before anything is read or written
    options = [clean_text(o, single_line=True) for o in options]
    with db.transaction() as session:
        room = session.get(RoomRecord, seat.room_id)
        mine = session.scalars(select(SubmissionRecord).where(SubmissionRecord.player_id == seat.player_id)).all()
        checked = rules.check_submission(title, text, kind, options, already=len(mine))
        same = next((r for r in mine if (r.title, r.text, list(r.options)) == (checked.title, checked.text, list(checked.options))), None)
        if same is not None:  # the tablet sent it again after a reconnect
            return Outcome(reply={"ok": True, "submission": _public(same), "duplicate": True})
        record = SubmissionRecord(room_id=room.id, player_id=seat.player_id, title=checked.title, text=checked.text,
                                  options=list(checked.options))
        session.add(record)
        session.flush()
        return Outcome(reply={"ok": True, "submission": _public(record)},
                       events=[DilemmaSubmitted(room.code, new_submissions(session, room.id))])


def _public(record: SubmissionRecord) -> dict:
    """What the submitting tablet is told: its own dilemma and where it stands."""
    return {"id": record.id, "title": record.title, "status": record.status}


def of_room(db: Database, facilitator_id: int, typed_code: str) -> tuple[dict, list[dict]]:
    """The room (code, title) and its submissions, new ones first, with the submitting player's name."""
    with db.transaction() as session:
        room = owned_room(session, facilitator_id, typed_code)
        rows = session.execute(
            select(SubmissionRecord, PlayerRecord.display_name)
            .outerjoin(PlayerRecord, PlayerRecord.id == SubmissionRecord.player_id)
            .where(SubmissionRecord.room_id == room.id)
            .order_by((SubmissionRecord.status != rules.NEW), SubmissionRecord.id)).all()
        return {"code": room.code, "title": room.title, "language": room.language}, [as_dict(r, name) for r, name in rows]


def get(db: Database, facilitator_id: int, submission_id: int) -> tuple[dict, dict]:
    """One submission of one of the facilitator's rooms, with its room; `submission/not_found` otherwise."""
    with db.transaction() as session:
        record, room = _owned(session, facilitator_id, submission_id)
        name = session.scalar(select(PlayerRecord.display_name).where(PlayerRecord.id == record.player_id))
        return {"code": room.code, "title": room.title, "language": room.language}, as_dict(record, name)


def _owned(session: Session, facilitator_id: int, submission_id: int) -> tuple[SubmissionRecord, RoomRecord]:
    record = session.get(SubmissionRecord, submission_id)
    room = session.get(RoomRecord, record.room_id) if record else None
    if record is None or room.facilitator_id != facilitator_id:
        raise RuleViolation("submission/not_found", "This submitted dilemma does not exist in your sessions.")
    return record, room


def accept(db: Database, facilitator_id: int, submission_id: int, card: dict, author: str, *,
           deck_slug: str | None = None, new_deck: dict | None = None) -> library.Saved:
    """Put the (edited) card into an own deck as its next version, or into a new deck; then mark it accepted.

    `card` is deck card data (kind, title, text, options, prompts, themes); `new_deck` has title,
    description and themes. DeckError lists the card's problems; nothing is saved then.
    """
    room, submission = get(db, facilitator_id, submission_id)
    rules.check_review(submission["status"])
    card = {k: v for k, v in card.items() if k != "id" or v}  # no id: the deck's next free one
    if deck_slug is not None:
        saved = library.add_card_to_deck(db, deck_slug, card, author, action="submission")
    else:
        new_deck = new_deck or {}
        slug = library.free_slug(db, new_deck.get("title") or card.get("title") or "ingebracht")
        data = {"slug": slug, "title": new_deck.get("title", ""), "language": new_deck.get("language") or room["language"],
                "description": new_deck.get("description", ""), "themes": new_deck.get("themes", []),
                "cards": [{"id": library.next_card_id(slug, []), **card}]}
        saved = library.create_deck(db, data, author, action="submission", detail=f"#{submission_id} {room['code']}")
    _mark(db, submission_id, rules.ACCEPTED, saved.slug)
    return saved


def reject(db: Database, facilitator_id: int, submission_id: int) -> None:
    """The facilitator decides not to use this dilemma (it stays listed, and in the report)."""
    _room, submission = get(db, facilitator_id, submission_id)
    rules.check_review(submission["status"])
    _mark(db, submission_id, rules.REJECTED, None)


def _mark(db: Database, submission_id: int, status: str, deck_slug: str | None) -> None:
    with db.transaction() as session:
        done = session.execute(update(_SUBMISSIONS).where(_SUBMISSIONS.c.id == submission_id, _SUBMISSIONS.c.status == rules.NEW)
                               .values(status=status, deck_slug=deck_slug))
        if done.rowcount != 1:
            raise RuleViolation("submission/already_reviewed", "This dilemma has been reviewed meanwhile.")


def counts_of(db: Database, facilitator_id: int) -> dict[str, int]:
    """New submissions per room code of this facilitator (for the rooms list)."""
    with db.transaction() as session:
        rows = session.execute(
            select(RoomRecord.code, func.count()).join(SubmissionRecord, SubmissionRecord.room_id == RoomRecord.id)
            .where(RoomRecord.facilitator_id == facilitator_id, SubmissionRecord.status == rules.NEW)
            .group_by(RoomRecord.code)).all()
        return dict(rows)
