"""The report as typed data: what every renderer (HTML, PDF, XLSX, CSV, JSON) walks.

`aggregate.build_report` fills these from a room's stored play; the JSON is `as_json(report)` and its
schema (docs/report.schema.json) is generated from these classes (`json_schema()`). Every figure about
a group's votes, predictions or comfort has passed the privacy gate (game/rules/privacy.py) before it
is put here: a withheld figure is None, with a note saying why.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

SCHEMA_VERSION = 2


@dataclass
class Choice:
    value: int
    mark: str            # "A".."D" or "1".."5"
    label: str


@dataclass
class Reading:
    """The agreement of one distribution: the share of voters in its largest camp, and what that reads as."""

    reading: str         # strong, moderate, divided, polarised (game/rules/agreement.py)
    share: float         # top_count / total
    top_count: int
    total: int
    top_camp: int        # the option (1..n) or the side (-1, 0, 1) with the most votes
    top_label: str       # "B. Tijdelijk detacheren" or "eens"
    tied: bool           # two camps share the largest count
    measure: str = "largest-camp-share"


@dataclass
class Tally:
    """One ballot's votes on a card (the first vote, or the vote after discussion)."""

    counts: list[int]    # per choice, in choice order
    total: int
    camps: list[int]     # per camp (options, or disagree / neutral / agree)
    agreement: Reading | None
    majority: int | None  # the choice with the single most votes
    mean: float | None   # statements: the mean scale point
    unanimous: bool = False   # everyone chose the same (shown as "everyone agreed": the privacy gate)


@dataclass
class Difference:
    """A shown difference with its chance test (docs/report.md, "Chance")."""

    test: str
    p: float
    beyond_chance: bool


@dataclass
class Move:
    source: int          # the choice at the first vote
    target: int          # the choice after discussion
    count: int


@dataclass
class Change:
    """First vote against the vote after discussion, for the same people only."""

    paired: int          # voted both times
    changed: int         # of whom changed their choice
    moves: list[Move]    # from -> to, most frequent first
    camp: int            # the camp that leads after discussion
    camp_label: str
    before: int          # paired voters in that camp at the first vote
    after: int           # ... after discussion
    difference: Difference
    first_only: int      # voters who voted only the first time (their team did not vote again)


@dataclass
class ArgumentQuote:
    stance: str | None
    stance_label: str | None
    text: str
    helpful: int         # *nuttig* taps by other players
    team: str = ""


@dataclass
class TeamRow:
    team: str
    skipped: bool
    decided: bool
    position: int | None
    position_label: str | None
    no_agreement: bool
    rationale: str
    # Whether the decision differs from the team's own first vote; None when the team is below the
    # minimum group size (its vote may not be shown, nor anything derived from it).
    differs_from_vote: bool | None


@dataclass
class DecisionGroup:
    position: int | None
    label: str | None
    no_agreement: bool
    teams: list[str]
    rationales: list[str]


@dataclass
class Group:
    """One group of a breakdown, as released by the privacy gate."""

    group: str
    other: bool
    n: int
    counts: list[int]
    unanimous: bool
    agreement: Reading | None
    majority: int | None
    mean: float | None


@dataclass
class Breakdown:
    shown: bool
    groups: list[Group]
    note: str | None     # merged, hidden, all_small, cross_withheld
    difference: Difference | None = None   # do the shown groups differ more than chance?


@dataclass
class GroupLean:
    """One role group on one card: how it voted, and what it expected its team's majority to be."""

    group: str
    other: bool
    n: int
    lean: Reading | None       # the group's own votes (its largest camp)
    unanimous: bool
    expected: Reading | None   # the group's predictions of the team majority (None: too few predicted)
    expected_n: int
    camps: list[int] = field(default_factory=list)  # its votes per camp, as released (names a tie's camps)


@dataclass
class CardGroups:
    """How the role groups see one card: the page an MT reads first."""

    groups: list[GroupLean]
    same_lean: bool | None     # every shown group leans to the same camp; False: two share no largest camp (None: undecided, groups._same_lean)
    difference: Difference | None
    note: str | None           # why fewer groups are shown (the privacy gate's note)


@dataclass
class Comfort:
    answers: int
    low: int
    low_max: int


@dataclass
class CardResult:
    key: str
    position: int
    kind: str
    title: str
    text: str
    themes: list[str]
    rounds: int
    choices: list[Choice]
    first: Tally | None            # None: fewer voters than the minimum group size
    second: Tally | None           # the vote after discussion (None: not held, or too few)
    change: Change | None          # paired first -> second (None: nobody voted twice, or too few)
    votes_total: int               # first votes cast (a count of people, always shown)
    teams: list[TeamRow]
    decision_groups: list[DecisionGroup]
    arguments: list[ArgumentQuote]
    breakdowns: dict[str, Breakdown]
    comfort: Comfort | None
    comfort_withheld: bool          # answers exist but too few to show
    groups: CardGroups | None = None   # the role groups' view (None: no first votes)
    left_out: int = 0               # votes of a small rest left out of every figure (aggregate._small_residue)
    place: str | None = None        # where the decision note puts the card: agree, decide, moved (or None)
    second_total: int = 0           # votes cast after discussion (a count of people, like votes_total): tells
                                    # "not held" (0) from "withheld by the gate" (second is None)

    ended: Tally | None = None      # everyone's last vote: the vote after discussion where they cast one,
                                    # else their first (a team that did not vote again still counts)

    @property
    def final(self) -> Tally | None:
        """The distribution the group ended with: each voter's last vote (None: withheld)."""
        return self.ended if self.ended is not None else (self.second or self.first)


@dataclass
class Action:
    what: str
    owner: str
    due: str | None
    team: str
    card: str
    card_title: str
    card_position: int
    status: str = "open"   # open, done, dropped (set on the report page of a follow-up)
    id: int | None = None


@dataclass
class NoteCard:
    """A card in the decision note, in plain words with counts."""

    card: str
    position: int
    title: str
    headline: str          # "14 van 20 kozen B: ..." (in the report's language)
    reading: str | None
    question: str = ""     # "decide": the question the MT has to decide
    arguments: list[ArgumentQuote] = field(default_factory=list)   # "decide": the strongest per side
    moves: str = ""        # "moved": from what to what
    beyond_chance: bool | None = None


@dataclass
class GroupsNoteCard:
    """A card where the role groups lean different ways (or all the same way), in words."""

    card: str
    position: int
    title: str
    leans: list[str]       # "Leiding: 8 van 12 kozen A", one per group
    beyond_chance: bool | None = None   # the groups differ more than chance (None: not tested)


@dataclass
class OwnerActions:
    owner: str
    actions: list[Action]


@dataclass
class DecisionNote:
    """Page 2 of the PDF, the top of the web page, the first sheet: what the MT must act on."""

    agree: list[NoteCard]
    decide: list[NoteCard]
    moved: list[NoteCard]
    actions_by_owner: list[OwnerActions]
    rest: list[NoteCard]   # every other card, one line each (the appendix)
    max_per_list: int
    groups_differ: list[GroupsNoteCard] = field(default_factory=list)   # role groups lean different ways
    groups_share: list[GroupsNoteCard] = field(default_factory=list)    # every role group leans the same way


@dataclass
class RoleGroupDef:
    name: str
    roles: list[str]

@dataclass
class RoomInfo:
    code: str
    title: str
    deck_slug: str
    deck_title: str
    date: str
    open: bool
    teams: int
    ended_at: str | None


@dataclass
class Privacy:
    min_group: int
    default_min_group: int
    lowered: bool


@dataclass
class CountRow:
    name: str
    count: int


@dataclass
class ComparisonRow:
    card: str
    title: str
    kind: str
    previous: Tally | None
    current: Tally | None
    camp: int | None              # the camp compared: the one leading now
    camp_label: str
    previous_share: float | None
    current_share: float | None
    difference: Difference | None
    majority_changed: bool


@dataclass
class Comparison:
    previous_code: str
    previous_title: str
    previous_date: str
    previous_participants: int
    cards: list[ComparisonRow]
    previous_actions: list[Action]
    not_in_previous: list[str]     # titles of cards not played in the earlier session
    rewritten_since_previous: list[str] = field(default_factory=list)   # same card id, another question: not compared
    ballot: str = "first"          # both sessions are compared on their first votes


@dataclass
class Report:
    schema_version: int
    generated_at: str
    language: str
    room: RoomInfo
    participants: int
    voters: int
    participants_by_role: list[CountRow]
    participants_by_team: list[CountRow]
    cards_total: int
    cards_played: int
    second_vote_used: bool
    privacy: Privacy
    cards: list[CardResult]
    actions: list[Action]
    follow_up_days: int
    follow_up_date: str
    perceptions: dict
    comfort: dict
    submissions: list[dict]
    comparison: Comparison | None
    note: DecisionNote
    role_groups: list[RoleGroupDef] = field(default_factory=list)

    def card(self, key: str) -> CardResult:
        return next(c for c in self.cards if c.key == key)


def as_json(report: Report) -> dict:
    """The report as plain JSON data (the JSON download and the schema's instance)."""
    return dataclasses.asdict(report)


def json_schema() -> dict:
    """The JSON Schema of `as_json(report)`, generated from the classes above."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(Report).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Inzetbaarheidsspel shared-vision report"
    return schema
