"""Which votes a card's figures leave out so that the report, together with the live surfaces, shows no small group."""
from __future__ import annotations

from collections import Counter

from game.report.load import RoomData
from game.rules import privacy
from game.rules.live_figures import min_group_of


def live_tables(ballot: dict, team_of_round: dict, data: RoomData) -> set[int]:
    """The tables whose distribution of this ballot (player -> vote) the dashboard and the big screen showed:
    released on their seated players at the room's own minimum, with at least that many voters."""
    live_min = min_group_of({"settings": data.settings})
    seated = Counter(data.players[p][1] for p in data.participant_ids if p in data.players)
    voters_of = Counter(team_of_round[v.round_id] for v in ballot.values())
    return {t for t in privacy.suppress(seated, live_min).shown if voters_of[t] >= live_min}


def small_residue(first: dict, team_of_round: dict, data: RoomData, min_group: int) -> set[int]:
    """Voters a card's figures must leave out so that, together with what the live surfaces showed, no
    small group can be worked out. The dashboard and the big screen show a table's distribution when the
    table is released on its seated players (game/rules/live_figures.py) and at least min_group of it
    voted; the card's room total minus those tables is everyone else. When that rest is smaller than
    min_group (tables with absent players, small tables), its votes are left out of every figure of the
    card, and the card says how many (a merge would not help: the tables were already shown live).

    The tables shown live are those of the room's own minimum (its setting, which the live surfaces used),
    whatever minimum this report is read at: a report at 5 of a room played at 3 must not let a table of
    4 shown live be subtracted from its total (issue 15)."""
    public = live_tables(first, team_of_round, data)
    rest = {p for p, v in first.items() if team_of_round[v.round_id] not in public}
    return rest if 0 < len(rest) < min_group and public else set()


def small_rest_tables(answers_of: dict[int, int], data: RoomData, min_group: int) -> set[int]:
    """Tables whose answers (table id -> how many answered, e.g. "can you live with it?") a card's count leaves
    out: the dashboard showed a table's count when the table is released on its seated players and at least
    the room's minimum answered; the card's count minus those tables is the rest, left out when smaller than
    min_group."""
    live_min = min_group_of({"settings": data.settings})
    seated = Counter(data.players[p][1] for p in data.participant_ids if p in data.players)
    public = {t for t in privacy.suppress(seated, live_min).shown if answers_of.get(t, 0) >= live_min}
    rest = {t for t, n in answers_of.items() if n and t not in public}
    return rest if 0 < sum(answers_of[t] for t in rest) < min_group and public else set()
