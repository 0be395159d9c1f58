"""Payload schemas of every client->server event: unknown fields, wrong types and sizes are refused."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

Text = Annotated[str, StringConstraints(max_length=1000)]
RoundNo = Annotated[StrictInt, Field(ge=1, le=1000)]


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Empty(Payload):
    pass


class TakeSeat(Payload):
    code: Annotated[str, StringConstraints(max_length=20)]
    name: Annotated[str, StringConstraints(max_length=40)]
    role: Annotated[str, StringConstraints(max_length=60)]
    team: Annotated[StrictInt, Field(ge=1, le=20)] | None = None
    observer: bool = False


class RoundOnly(Payload):
    round: RoundNo


class CastVote(Payload):
    round: RoundNo
    choice: Annotated[StrictInt, Field(ge=1, le=5)]
    prediction: Annotated[StrictInt, Field(ge=-1, le=4)] | None = None


class MarkHelpful(Payload):
    round: RoundNo
    argument: Annotated[StrictInt, Field(ge=1)]


class RateComfort(Payload):
    round: RoundNo
    score: Annotated[StrictInt, Field(ge=1, le=5)]


class PostArgument(Payload):
    round: RoundNo
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
    stance: Annotated[StrictInt, Field(ge=1, le=5)] | Literal["for", "against"] | None = None
    text: Annotated[str, StringConstraints(max_length=280)]


class SubmitDilemma(Payload):
    title: Annotated[str, StringConstraints(max_length=200)]
    text: Annotated[str, StringConstraints(max_length=1000)]
    kind: Literal["dilemma", "statement"]
    options: Annotated[list[Annotated[str, StringConstraints(max_length=300)]], Field(max_length=6)] = []


class FollowUp(Payload):
    what: Annotated[str, StringConstraints(max_length=200)]
    owner: Annotated[str, StringConstraints(max_length=60)]
    due: dt.date = Field(strict=False)  # ISO date string "2027-05-01"


class RecordDecision(Payload):
    round: RoundNo
    position: Annotated[StrictInt, Field(ge=1, le=5)] | None
    rationale: Annotated[str, StringConstraints(max_length=200)] = ""
    action: FollowUp | None = None


class WatchRoom(Payload):
    code: Annotated[str, StringConstraints(max_length=20)]


class TeamMove(Payload):
    team_id: Annotated[StrictInt, Field(ge=1)]
    move: Literal["draw_card", "close_vote", "start_revote", "start_decision", "skip_card"]
    round: RoundNo


class TeamOnly(Payload):
    team_id: Annotated[StrictInt, Field(ge=1)]


class RoomFlag(Payload):
    code: Annotated[str, StringConstraints(max_length=20)]
    on: bool


class RoomMessage(Payload):
    code: Annotated[str, StringConstraints(max_length=20)]
    text: Annotated[str, StringConstraints(max_length=200)] | None = None


class MovePlayer(Payload):
    player_id: Annotated[StrictInt, Field(ge=1)]
    team_id: Annotated[StrictInt, Field(ge=1)]


class PlayerOnly(Payload):
    player_id: Annotated[StrictInt, Field(ge=1)]


class SettingsPayload(Payload):
    pacing: Literal["team", "plenary"] = "team"
    second_vote: bool = True
    predictions: bool = True
    comfort: bool = False
    points: bool = True
    vote_seconds: Annotated[StrictInt, Field(ge=10, le=3600)] | None = None
    discuss_seconds: Annotated[StrictInt, Field(ge=10, le=3600)] | None = None


class UpdateSettings(Payload):
    code: Annotated[str, StringConstraints(max_length=20)]
    settings: SettingsPayload
