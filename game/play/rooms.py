"""Use cases around a room: create it, look it up, take a seat, watch it, end it."""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from game.play.common import Outcome, Seat, hash_token, retried
from game.play.events import RoomChanged, SeatTaken
from game.rules.codes import new_join_code, normalise_join_code
from game.rules.errors import RuleViolation
from game.rules.text import clean_text
from game.rules.settings import RoomSettings
from game.rules.views import seat_view, team_view
from game.store.comfort import comfort_of_teams
from game.store.db import Database
from game.store.models import (
    DecisionRecord, DeckRecord, PlayerRecord, RoomCardRecord, RoomRecord, RoundRecord, SubmissionRecord, TeamRecord,
    VoteRecord, utcnow,
)
from game.store.seats import seat_with_token_hash
from game.store.snapshots import load_snapshot
from game.store.teams import lock_room_teams, save_team

DEFAULT_ROLES = {
    "nl": ("Bestuurder / directeur", "MT-lid", "Leidinggevende", "HR", "Medewerker", "OR-lid"),
    "en": ("Executive", "MT member", "Line manager", "HR", "Employee", "Works council"),
}
MAX_TEAMS = 20
MAX_PLAYERS_PER_TEAM = 40
_rng = random.SystemRandom()


@dataclass(frozen=True)
class RoomSpec:
    """What a facilitator chooses for a new room."""

    deck_slug: str
    team_names: tuple[str, ...]
    title: str = ""
    cards: int | None = None             # None = all cards of the deck
    roles: tuple[str, ...] | None = None  # None = the default roles of the deck's language
    shuffle: bool = True
    settings: RoomSettings = RoomSettings()
    previous_room_code: str | None = None  # the earlier room this follow-up is compared with

    def as_dict(self) -> dict:
        """For room templates: everything needed to start the same room again."""
        return {"deck_slug": self.deck_slug, "team_names": list(self.team_names), "title": self.title,
                "cards": self.cards, "roles": list(self.roles) if self.roles else None, "shuffle": self.shuffle,
                "settings": self.settings.as_dict()}

    @classmethod
    def from_dict(cls, data: dict) -> RoomSpec:
        return cls(deck_slug=data["deck_slug"], team_names=tuple(data["team_names"]), title=data.get("title", ""),
                   cards=data.get("cards"), roles=tuple(data["roles"]) if data.get("roles") else None,
                   shuffle=data.get("shuffle", True), settings=RoomSettings.from_dict(data.get("settings")))


def create_room(db: Database, facilitator_id: int | None, spec: RoomSpec) -> str:
    """Create a room with its teams and a snapshot of the deck's cards; return the join code."""
    if not 1 <= len(spec.team_names) <= MAX_TEAMS:
        raise RuleViolation("room/team_count", "Choose 1 to %(n)s teams.", n=MAX_TEAMS)
    names = [clean_text(n, single_line=True) for n in spec.team_names]  # every entry point: form, CLI, template
    title = clean_text(spec.title, single_line=True)
    if any(not n or len(n) > 60 for n in names) or len(set(names)) != len(names):
        raise RuleViolation("room/team_names", "Team names: different, not empty, at most 60 characters.")
    for _ in range(5):  # a code collision is astronomically rare; try again rather than fail
        try:
            with db.transaction() as session:
                deck = latest_deck(session, spec.deck_slug)
                cards = list(deck.content["cards"])
                count = spec.cards or len(cards)
                if not 1 <= count <= len(cards):
                    raise RuleViolation("room/card_count", "Choose 1 to %(n)s cards.", n=len(cards))
                chosen = _rng.sample(cards, count) if spec.shuffle else cards[:count]
                roles = [clean_text(r, single_line=True) for r in spec.roles or DEFAULT_ROLES.get(deck.language, DEFAULT_ROLES["nl"])]
                if len(roles) > 20 or any(not r or len(r) > 60 for r in roles) or len(set(roles)) != len(roles):
                    raise RuleViolation("room/roles", "Roles: 1 to 20, different, each at most 60 characters.")
                previous = None
                if spec.previous_room_code:
                    # Without an account (the CLI on a fresh install) only an earlier room without one either.
                    previous = owned_room(session, facilitator_id, spec.previous_room_code)
                room = RoomRecord(
                    code=new_join_code(_rng), title=title or deck.title, language=deck.language,
                    facilitator_id=facilitator_id, deck_id=deck.id, roles=roles, cards_total=count,
                    settings=spec.settings.as_dict(), previous_room_id=previous.id if previous else None,
                )
                session.add(room)
                session.flush()
                session.add_all(RoomCardRecord(room_id=room.id, position=i, card=c) for i, c in enumerate(chosen, 1))
                session.add_all(TeamRecord(room_id=room.id, position=i, name=n) for i, n in enumerate(names, 1))
                return room.code
        except IntegrityError:
            continue
    raise RuleViolation("server/busy", "Could not make a unique code; please try again.")


def latest_deck(session: Session, slug: str) -> DeckRecord:
    deck = session.scalar(select(DeckRecord).where(DeckRecord.slug == slug).order_by(DeckRecord.version.desc()).limit(1))
    if deck is None:
        raise RuleViolation("deck/not_found", "Unknown deck '%(slug)s'.", slug=slug)
    return deck


def find_room(session: Session, typed_code: str) -> RoomRecord:
    code = normalise_join_code(typed_code or "")
    room = session.scalar(select(RoomRecord).where(RoomRecord.code == code)) if code else None
    if room is None:
        raise RuleViolation("room/not_found", "No session with this code. Check the code.")
    return room


def lobby(db: Database, typed_code: str) -> dict:
    """What the join screen shows: the room's title, roles and teams with their sizes."""
    with db.transaction() as session:
        room = find_room(session, typed_code)
        sizes = dict(session.execute(
            select(PlayerRecord.team_id, func.count()).where(PlayerRecord.room_id == room.id).group_by(PlayerRecord.team_id)).all())
        return {
            "code": room.code, "title": room.title, "language": room.language, "open": room.is_open,
            "roles": list(room.roles),
            "teams": [{"position": t.position, "name": t.name, "players": sizes.get(t.id, 0)} for t in room.teams],
        }


@retried
def take_seat(
    db: Database, typed_code: str, name: str, role: str, team_position: int | None, online: frozenset[int] = frozenset(),
    observer: bool = False, as_new: bool = False,
) -> tuple[str, Seat, Outcome]:
    """A player joins: a new seat in the chosen team (or the smallest); returns the secret token.
    A name already seated in the room is refused (seat/name_taken) unless `as_new` says it is someone
    else: the tablet then offers to continue that seat on this device (game/play/seats.py)."""
    name = clean_text(name, single_line=True)
    if not 1 <= len(name) <= 40:
        raise RuleViolation("seat/invalid_name", "Choose a name of 1 to 40 characters (a nickname is fine).")
    token = secrets.token_urlsafe(32)
    with db.transaction() as session:
        room = find_room(session, typed_code)
        if not room.is_open:
            raise RuleViolation("room/closed", "This session has ended.")
        if room.locked:
            raise RuleViolation("room/locked", "The facilitator has closed the session to new participants.")
        if role not in room.roles:
            raise RuleViolation("seat/invalid_role", "Choose one of this session's roles.")
        # Lock the room's teams (in id order: no deadlock): simultaneous joins are balanced one after the other.
        lock_room_teams(session, room.id)
        if not as_new:
            same = seat_named(session, room.id, name)
            if same is not None:
                raise RuleViolation("seat/name_taken", "Is that you, %(name)s? Continue on this device, or choose another name.",
                                    name=same.display_name)
        sizes = dict(session.execute(
            select(PlayerRecord.team_id, func.count())
            .where(PlayerRecord.room_id == room.id, PlayerRecord.removed_at.is_(None), PlayerRecord.observer.is_(False))
            .group_by(PlayerRecord.team_id)).all())
        if team_position is None:
            team = min(room.teams, key=lambda t: (sizes.get(t.id, 0), t.position))
        else:
            team = next((t for t in room.teams if t.position == team_position), None)
            if team is None:
                raise RuleViolation("seat/invalid_team", "This team does not exist in this session.")
        if sizes.get(team.id, 0) >= MAX_PLAYERS_PER_TEAM:
            raise RuleViolation("seat/team_full", "This team is full; choose another team.")
        player = PlayerRecord(room_id=room.id, team_id=team.id, token_hash=hash_token(token), display_name=name, role=role,
                              observer=observer)
        session.add(player)
        session.flush()
        save_team(session, team)  # joining changes who must vote: one writer per team
        seat = Seat(player.id, team.id, room.id, room.code)
        snap = load_snapshot(session, team, online | {player.id})
        outcome = Outcome(reply={"ok": True, "seat": seat_view(snap, player.id)}, events=[SeatTaken(snap, player.id)])
        return token, seat, outcome


def seat_named(session: Session, room_id: int, name: str) -> PlayerRecord | None:
    """The room's seat with this name (spaces and case ignored), if any; observers and removed seats not."""
    wanted = " ".join(name.split()).casefold()
    # Names and ids only (casefold is Unicode-aware, SQL's lower() is not): a join into a room of hundreds
    # built an ORM object per seated player, a tenth of the server's CPU while a large room filled up.
    names = session.execute(select(PlayerRecord.id, PlayerRecord.display_name).where(
        PlayerRecord.room_id == room_id, PlayerRecord.removed_at.is_(None), PlayerRecord.observer.is_(False)).order_by(PlayerRecord.id)).all()
    same = next((player_id for player_id, seated in names if seated.casefold() == wanted), None)
    return None if same is None else session.get(PlayerRecord, same)


def seat_for_token(db: Database, token: str) -> Seat | None:
    """The seat a browser's token belongs to, or None for an unknown token."""
    with db.transaction() as session:
        row = seat_with_token_hash(session, hash_token(token))
        return Seat(*row) if row else None


def seat_state(db: Database, seat: Seat, online: frozenset[int] = frozenset()) -> dict:
    """The full snapshot for one seat: the team's view plus the seat's own data."""
    with db.transaction() as session:
        snap = load_snapshot(session, session.get(TeamRecord, seat.team_id), online)
        return {"team": team_view(snap), "seat": seat_view(snap, seat.player_id)}


def spec_of_room(db: Database, facilitator_id: int, typed_code: str) -> RoomSpec:
    """A new room like this one, linked to it: the six-month follow-up."""
    with db.transaction() as session:
        room = owned_room(session, facilitator_id, typed_code)
        return RoomSpec(
            deck_slug=room.deck.slug, team_names=tuple(t.name for t in room.teams), title=room.title,
            cards=room.cards_total, roles=tuple(room.roles), settings=RoomSettings.from_dict(room.settings),
            previous_room_code=room.code,
        )


def owned_room(session: Session, facilitator_id: int, typed_code: str) -> RoomRecord:
    room = find_room(session, typed_code)
    if room.facilitator_id != facilitator_id:
        raise RuleViolation("room/not_your_room", "This is not your session.")
    return room


def room_overview(db: Database, facilitator_id: int, typed_code: str, online: frozenset[int] = frozenset()) -> dict:
    """The facilitator's live view: every team's phase, progress and who voted (never what)."""
    with db.transaction() as session:
        room = owned_room(session, facilitator_id, typed_code)
        result = overview(session, room, online)
        # For the facilitator only (never on the big screen): counts, never who.
        result["comfort"] = comfort_of_teams(session, [t.id for t in room.teams])
        result["submissions"] = new_submissions(session, room.id)
        return result


def new_submissions(session: Session, room_id: int) -> int:
    """How many dilemmas players of the room brought in that the facilitator has not reviewed yet."""
    return session.scalar(select(func.count()).select_from(SubmissionRecord).where(
        SubmissionRecord.room_id == room_id, SubmissionRecord.status == "new")) or 0


def screen_overview(db: Database, typed_code: str, online: frozenset[int] = frozenset()) -> dict:
    """The big screen's view: the same as the facilitator's overview (it holds no individual votes)."""
    with db.transaction() as session:
        return overview(session, find_room(session, typed_code), online)


def overview(session: Session, room: RoomRecord, online: frozenset[int]) -> dict:
    """The facilitator's live view of the whole room: every team's view (never individual votes)."""
    teams = [team_view(load_snapshot(session, team, online)) for team in room.teams]
    return {
        "room": {"code": room.code, "title": room.title, "open": room.is_open, "cards_total": room.cards_total,
                 "deck": room.deck.title, "language": room.language, "paused": room.paused, "locked": room.locked,
                 "message": room.message, "settings": RoomSettings.from_dict(room.settings).as_dict(),
                 "themes": list(room.deck.content.get("themes", []))},
        "cards": [{"position": c.position, "title": c.card["title"], "themes": c.card.get("themes", [])} for c in room.cards],
        "teams": teams,
    }


def end_room(db: Database, facilitator_id: int, typed_code: str) -> Outcome:
    """End a room: from now on it is read-only for everyone."""
    with db.transaction() as session:
        room = owned_room(session, facilitator_id, typed_code)
        room.is_open, room.ended_at = False, utcnow()
        for team in room.teams:
            save_team(session, team)
        session.flush()
        return Outcome(reply={"ok": True}, events=[RoomChanged(load_snapshot(session, t)) for t in room.teams])


def rooms_of(db: Database, facilitator_id: int) -> list[dict]:
    """A facilitator's rooms, newest first, with players and votes counted."""
    with db.transaction() as session:
        rooms = session.scalars(select(RoomRecord).where(RoomRecord.facilitator_id == facilitator_id).order_by(RoomRecord.id.desc()))
        result = []
        for room in rooms:
            players = session.scalar(select(func.count()).select_from(PlayerRecord).where(PlayerRecord.room_id == room.id))
            decided = session.scalar(
                select(func.count()).select_from(DecisionRecord).join(RoundRecord).join(TeamRecord).where(TeamRecord.room_id == room.id))
            result.append({"code": room.code, "title": room.title, "open": room.is_open, "created_at": room.created_at,
                           "teams": len(room.teams), "players": players, "decisions": decided,
                           "cards_total": room.cards_total, "deck": room.deck.title})
        return result


def count_votes(db: Database, typed_code: str) -> int:
    """How many first-round votes a room holds (for scripts and tests)."""
    with db.transaction() as session:
        room = find_room(session, typed_code)
        return session.scalar(
            select(func.count()).select_from(VoteRecord).join(RoundRecord).join(TeamRecord).where(TeamRecord.room_id == room.id))
