"""Payload schemas of every client->server event: unknown fields, wrong types and sizes are refused."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from game.rules.text import clean_text
from game.security import MAX_ID

RoundNo = Annotated[StrictInt, Field(ge=1, le=1000)]
# Every id fits the database's INTEGER: 2**63 used to reach SQLite as an OverflowError (a traceback).
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]


def _text(max_length: int, single_line: bool = True):  # noqa: ANN202
    """A string field of at most `max_length`, normalised by game/rules/text.py; a control character or
    invisible-only text raises its RuleViolation (text/...), which pydantic lets through to the handler."""
    return Annotated[str, StringConstraints(max_length=max_length),
                     AfterValidator(lambda v: clean_text(v, single_line=single_line))]


Code = _text(20)


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Empty(Payload):
    pass


class TakeSeat(Payload):
    code: Code
    name: _text(40)
    role: _text(60)
    team: Annotated[StrictInt, Field(ge=1, le=20)] | None = None
    observer: bool = False
    as_new: bool = False  # "I am someone else with the same name" (issue 16)


class ClaimSeat(Payload):
    code: Code
    name: _text(40)


class RoundOnly(Payload):
    round: RoundNo


class CastVote(Payload):
    round: RoundNo
    choice: Annotated[StrictInt, Field(ge=1, le=5)]
    prediction: Annotated[StrictInt, Field(ge=-1, le=4)] | None = None


class MarkHelpful(Payload):
    round: RoundNo
    argument: Id


class RateComfort(Payload):
    round: RoundNo
    score: Annotated[StrictInt, Field(ge=1, le=5)]


class PostArgument(Payload):
    round: RoundNo
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
    stance: Annotated[StrictInt, Field(ge=1, le=5)] | Literal["for", "against"] | None = None
    text: _text(280, single_line=False)


class SubmitDilemma(Payload):
    title: _text(200)
    text: _text(1000, single_line=False)
    kind: Literal["dilemma", "statement"]
    options: Annotated[list[_text(300)], Field(max_length=6)] = []


class FollowUp(Payload):
    what: _text(200)
    owner: _text(60)
    due: dt.date = Field(strict=False)  # ISO date string "2027-05-01"


class RecordDecision(Payload):
    round: RoundNo
    position: Annotated[StrictInt, Field(ge=1, le=5)] | None
    rationale: _text(200) = ""
    action: FollowUp | None = None


class WatchRoom(Payload):
    code: Code


class TeamMove(Payload):
    team_id: Id
    move: Literal["draw_card", "close_vote", "start_revote", "start_decision", "skip_card"]
    round: RoundNo


class TeamOnly(Payload):
    team_id: Id


class RoomFlag(Payload):
    code: Code
    on: bool


class RoomMessage(Payload):
    code: Code
    text: _text(200, single_line=False) | None = None


class MovePlayer(Payload):
    player_id: Id
    team_id: Id


class PlayerOnly(Payload):
    player_id: Id


class MergePlayers(Payload):
    keep_id: Id
    drop_id: Id


class SettingsPayload(Payload):
    pacing: Literal["team", "plenary"] = "team"
    second_vote: bool = True
    predictions: bool = True
    comfort: bool = False
    points: bool = True
    vote_seconds: Annotated[StrictInt, Field(ge=10, le=3600)] | None = None
    discuss_seconds: Annotated[StrictInt, Field(ge=10, le=3600)] | None = None
    team_quorum: Annotated[StrictInt, Field(ge=1, le=40)] = 2
    min_group: Annotated[StrictInt, Field(ge=3, le=10)] = 5  # the privacy gate's minimum (game/rules/privacy.py)


class UpdateSettings(Payload):
    code: Code
    settings: SettingsPayload
