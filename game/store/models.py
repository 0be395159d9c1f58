"""SQLAlchemy models: the persisted game. Constraints guard what Python checks alone cannot."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON, Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, MetaData, String, Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints so Alembic migrations are stable on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class FacilitatorRecord(Base):
    __tablename__ = "facilitators"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Bumped by logout, a password change and "log out everywhere": every older session ends (issue 17).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class DeckRecord(Base):
    """One version of a deck; `content` is the validated deck as plain data."""

    __tablename__ = "decks"
    __table_args__ = (UniqueConstraint("slug", "version", name="uq_decks_slug_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    content: Mapped[dict] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(255))  # "bundled:<file>" or an author
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class RoomRecord(Base):
    __tablename__ = "rooms"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id"))
    roles: Mapped[list] = mapped_column(JSON)
    cards_total: Mapped[int] = mapped_column(Integer)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The big-screen link's generation: None = revoked; a renewal takes the next one (issue 17).
    screen_epoch: Mapped[int | None] = mapped_column(Integer, default=1, server_default="1")
    # The earlier room of the same deck that this (six-month follow-up) room is compared with.
    previous_room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    # Facilitation (issue 4): pacing, mechanics and timers (see game/rules/settings.py), pause, lock.
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str | None] = mapped_column(String(200))

    teams: Mapped[list[TeamRecord]] = relationship(back_populates="room", order_by="TeamRecord.position")
    cards: Mapped[list[RoomCardRecord]] = relationship(order_by="RoomCardRecord.position")
    deck: Mapped[DeckRecord] = relationship()


class RoomCardRecord(Base):
    """The cards a room plays, copied at creation so deck edits never change a room."""

    __tablename__ = "room_cards"
    __table_args__ = (UniqueConstraint("room_id", "position", name="uq_room_cards_room_position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # 1-based: round n plays the card at position n
    card: Mapped[dict] = mapped_column(JSON)


class TeamRecord(Base):
    """A team and its phase. `version` is bumped by every action: one writer per team."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("room_id", "position", name="uq_teams_room_position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))
    phase: Mapped[str] = mapped_column(String(16), default="draw")
    rounds_done: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=0)
    phase_started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    deadline_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)  # a phase timer's end

    room: Mapped[RoomRecord] = relationship(back_populates="teams")
    players: Mapped[list[PlayerRecord]] = relationship(order_by="PlayerRecord.id")


class PlayerRecord(Base):
    """A seat. The browser keeps the token; the server keeps only its hash."""

    __tablename__ = "players"
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(60))
    joined_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    observer: Mapped[bool] = mapped_column(Boolean, default=False)      # watches, does not vote, not counted
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)    # removed by the facilitator


class RoundRecord(Base):
    """One card played by one team. Unique (team, number): two draws at once make one round."""

    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("team_id", "number", name="uq_rounds_team_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    room_card_id: Mapped[int] = mapped_column(ForeignKey("room_cards.id"))
    turn_player_id: Mapped[int] = mapped_column(ForeignKey("players.id"))
    drawn_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    revealed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revote_revealed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)       # the facilitator skipped the card
    # Who may vote this round: the players seated when the card was drawn (late joiners enter next card).
    voter_ids: Mapped[list | None] = mapped_column(JSON)


class VoteRecord(Base):
    """A private vote. Unique (round, player, ballot): a double tap counts once."""

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("round_id", "player_id", "ballot", name="uq_votes_round_player_ballot"),
        CheckConstraint("choice >= 1 AND choice <= 5", name="choice_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    player_id: Mapped[int] = mapped_column(ForeignKey("players.id", ondelete="CASCADE"))
    ballot: Mapped[int] = mapped_column(Integer, default=1)  # 1 = first vote (a second vote comes later)
    choice: Mapped[int] = mapped_column(Integer)
    cast_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    prediction: Mapped[int | None] = mapped_column(Integer)  # what the player expects the team's majority to be


class ArgumentRecord(Base):
    """An argument; `client_id` makes a resent argument (after a reconnect) count once."""

    __tablename__ = "arguments"
    __table_args__ = (UniqueConstraint("round_id", "client_id", name="uq_arguments_round_client"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    player_id: Mapped[int] = mapped_column(ForeignKey("players.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    stance: Mapped[str | None] = mapped_column(String(16))  # "1".."4", "for", "against" or NULL
    text: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class DecisionRecord(Base):
    """The team's shared position on a round; one per round (unique)."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), unique=True)
    position: Mapped[int | None] = mapped_column(Integer)  # NULL = geen overeenstemming
    rationale: Mapped[str] = mapped_column(String(255), default="")
    action_what: Mapped[str | None] = mapped_column(String(255))
    action_owner: Mapped[str | None] = mapped_column(String(60))
    action_due: Mapped[dt.date | None] = mapped_column(Date)
    # The action's follow-through: open, done or dropped (set on the report or the follow-up's dashboard).
    action_status: Mapped[str] = mapped_column(String(10), default="open", server_default="open")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("players.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# --- The shared-vision report (issue 3): share links and the link to an earlier room. ---
# (Plus one column on RoomRecord: previous_room_id, the earlier room a follow-up compares with.)


class ReportShareRecord(Base):
    """A read-only link to a room's report for the MT: only the token's SHA-256 is stored."""

    __tablename__ = "report_shares"
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    min_group: Mapped[int] = mapped_column(Integer, default=5)  # the anonymity threshold the MT sees
    label: Mapped[str] = mapped_column(String(80), default="")


# --- Facilitation and play (issue 4). ---


class HelpfulMarkRecord(Base):
    """A player found another player's argument helpful (once per argument and player)."""

    __tablename__ = "helpful_marks"
    __table_args__ = (UniqueConstraint("argument_id", "player_id", name="uq_helpful_marks_argument_player"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    argument_id: Mapped[int] = mapped_column(ForeignKey("arguments.id", ondelete="CASCADE"), index=True)
    player_id: Mapped[int] = mapped_column(ForeignKey("players.id", ondelete="CASCADE"))
    marked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ComfortRecord(Base):
    """'Can you live with it?': a player's private 1-5 answer on the team's decision."""

    __tablename__ = "comfort_scores"
    __table_args__ = (
        UniqueConstraint("round_id", "player_id", name="uq_comfort_scores_round_player"),
        CheckConstraint("score >= 1 AND score <= 5", name="score_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    player_id: Mapped[int] = mapped_column(ForeignKey("players.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SubmissionRecord(Base):
    """A dilemma a player brought in from their own organisation, for the facilitator to review."""

    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    player_id: Mapped[int | None] = mapped_column(ForeignKey("players.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    options: Mapped[list] = mapped_column(JSON)  # a dilemma's 2-4 options; [] for a statement (its kind)
    status: Mapped[str] = mapped_column(String(16), default="new")  # new | accepted | rejected
    deck_slug: Mapped[str | None] = mapped_column(String(80))       # where it was accepted into
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class RoomTemplateRecord(Base):
    """A facilitator's saved room settings, to start a new room (or the six-month follow-up) from."""

    __tablename__ = "room_templates"
    id: Mapped[int] = mapped_column(primary_key=True)
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    spec: Mapped[dict] = mapped_column(JSON)
    source_room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
