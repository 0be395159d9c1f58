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


class RoundOnly(Payload):
    round: RoundNo


class CastVote(Payload):
    round: RoundNo
    choice: Annotated[StrictInt, Field(ge=1, le=5)]


class PostArgument(Payload):
    round: RoundNo
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
    stance: Annotated[StrictInt, Field(ge=1, le=5)] | Literal["for", "against"] | None = None
    text: Annotated[str, StringConstraints(max_length=280)]


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
    move: Literal["draw_card", "close_vote", "start_decision"]
    round: RoundNo
