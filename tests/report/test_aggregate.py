"""The report's numbers from a played room: counts, the decision note, second vote, comparison, language."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from game.report.aggregate import MAX_ARGUMENTS_PER_CARD, ReportOptions, build_report
from game.report.load import load_room
from game.report.model import Move, Report, as_json
from game.report.service import room_id_for_code, room_report
from game.report.text import strings
from game.rules.agreement import fisher_exact
from game.store.models import RoomRecord, RoundRecord, TeamRecord, VoteRecord
from tests.report.conftest import add_second_votes, link_previous, play_room


def votes_in_db(db, code: str, ballot: int = 1) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(VoteRecord).join(RoundRecord).join(TeamRecord).join(RoomRecord)
                        .where(RoomRecord.code == code, VoteRecord.ballot == ballot))


def report_of(db, code: str, **options) -> Report:  # noqa: ANN003
    return room_report(db, room_id_for_code(db, code), ReportOptions(**options))


def note_places(report: Report) -> dict[str, list[str]]:
    """Card keys per list of the decision note (agree, decide, moved) and the appendix (rest)."""
    return {key: [e.card for e in getattr(report.note, key)] for key in ("agree", "decide", "moved", "rest")}


def test_the_report_counts_every_vote_once_and_names_nobody(db, played_room):
    report = report_of(db, played_room)
    assert sum(c.votes_total for c in report.cards) == votes_in_db(db, played_room) == 4 * 15
    assert report.participants == 15 and report.cards_played == 4
    assert sum(r.count for r in report.participants_by_role) == 15
    assert "Speler" not in str(as_json(report))  # display names never reach the report


def test_every_card_carries_its_distribution_agreement_and_team_decisions(db, played_room):
    for card in report_of(db, played_room).cards:
        assert sum(card.first.counts) == card.first.total == card.votes_total == 15
        assert sum(card.first.camps) == 15 and len(card.first.counts) == len(card.choices)
        a = card.first.agreement
        assert a.measure == "largest-camp-share" and a.share == round(a.top_count / a.total, 6) and a.total == 15
        assert [t.team for t in card.teams] == ["Team A", "Team B", "Team C"]
        assert all(t.decided for t in card.teams)
        # Every argument is kept (3 per team), the first ones spread over the stances.
        assert len(card.arguments) == 9
        first = card.arguments[:MAX_ARGUMENTS_PER_CARD]
        assert len({q.stance for q in first}) == min(MAX_ARGUMENTS_PER_CARD, len({q.stance for q in card.arguments}))


def test_teams_of_five_get_a_team_breakdown_but_roles_of_two_or_three_do_not(db, played_room):
    card = report_of(db, played_room).cards[0]
    assert card.breakdowns["role"].shown is False and card.breakdowns["role"].note == "all_small"
    assert [g.n for g in card.breakdowns["team"].groups] == [5, 5, 5]
    # Grouped, the roles do reach the minimum: leadership (3 roles x 3) and the rest (HR 2 + employees 4).
    role_group = card.breakdowns["role_group"]
    assert [(g.group, g.other, g.n) for g in role_group.groups] == [("Leiding", False, 9), ("overig", True, 6)]
    assert role_group.note == "merged"


def test_actions_list_every_follow_up_with_a_proposed_follow_up_date(db, played_room):
    report = report_of(db, played_room)
    assert len(report.actions) == 6  # (card + team) even: 6 of the 12 rounds
    assert {a.owner for a in report.actions} == {"HR"} and {a.status for a in report.actions} == {"open"}
    assert report.actions == sorted(report.actions, key=lambda a: (a.due, a.card_position, a.team))
    proposed = dt.date.fromisoformat(report.follow_up_date)
    assert 180 <= (proposed - dt.date.fromisoformat(report.room.date)).days <= 184 and proposed.weekday() < 5
    # The decision note groups them by owner, earliest first.
    assert [g.owner for g in report.note.actions_by_owner] == ["HR"]
    assert report.note.actions_by_owner[0].actions == report.actions


def test_mutual_perceptions_are_left_out_with_a_note_without_predictions(db, played_room):
    assert report_of(db, played_room).perceptions == {"available": False, "note": "no_predictions"}


def test_a_second_vote_is_paired_and_moves_the_cards_into_the_moved_list(db, facilitator_id):
    code = play_room(db, facilitator_id, cards=3, chooser=lambda n, t, p, choices, rng: choices[0])
    add_second_votes(db, code, lambda choice, choices, rng: choices[-1])
    report = report_of(db, code)
    assert report.second_vote_used
    for card in report.cards:
        last = len(card.choices)
        assert card.second.total == votes_in_db(db, code, 2) // 3 == 15
        assert card.first.majority == 1 and card.second.majority == last
        change = card.change
        assert (change.paired, change.changed, change.first_only) == (15, 15, 0)
        assert change.moves == [Move(1, last, 15)]
        assert (change.before, change.after) == (0, 15)   # paired voters in the camp that leads afterwards
        assert change.difference.test == "mcnemar-exact" and change.difference.beyond_chance
        assert change.difference.p == round(2 / 2 ** 15, 4)
        assert card.place == "moved"
    places = note_places(report)
    assert places["moved"] == [c.key for c in report.cards] and not places["agree"] and not places["decide"]
    nl = strings("nl")
    for entry in report.note.moved:
        assert entry.moves.startswith(nl["changed_votes"].format(changed=15, paired=15))


def test_unanimous_cards_are_where_we_agree_and_split_cards_where_the_mt_decides(db, facilitator_id):
    # Card 1 unanimous; card 2 split over the extremes (statement) or two options (dilemma), 6 against 6.
    def chooser(number, team, player, choices, rng):
        return choices[0] if number == 1 else (choices[0] if player % 2 else choices[-1])

    code = play_room(db, facilitator_id, cards=2, players=12, chooser=chooser)
    report = report_of(db, code)
    first, second = report.cards
    assert first.first.unanimous and first.first.agreement.reading == "strong" and first.first.agreement.share == 1.0
    assert second.first.agreement.reading == "polarised" and second.first.agreement.tied
    assert note_places(report) == {"agree": [first.key], "decide": [second.key], "moved": [], "rest": []}
    decide = report.note.decide[0]
    assert decide.question and decide.reading == "polarised"
    assert report.note.agree[0].headline == strings("nl")["everyone_chose"].format(choice=first.first.agreement.top_label)


def test_a_follow_up_room_is_compared_card_by_card_with_the_earlier_room_on_first_votes(db, facilitator_id):
    before = play_room(db, facilitator_id, cards=3, seed=1, chooser=lambda n, t, p, choices, rng: choices[p % len(choices)])
    after = play_room(db, facilitator_id, cards=3, seed=2, chooser=lambda n, t, p, choices, rng: choices[0])
    link_previous(db, after, before)
    report = report_of(db, after, today=dt.date(2027, 6, 1))
    comparison = report.comparison
    assert comparison.previous_code == before and comparison.ballot == "first" and comparison.not_in_previous == []
    assert [row.card for row in comparison.cards] == [c.key for c in report.cards]
    for row in comparison.cards:
        assert row.current.agreement.share == 1.0 and row.current_share == 1.0
        assert row.previous_share < row.current_share
        assert sum(row.previous.counts) == row.previous.total == 15
        # 15 of 15 now against 6 of 15 then (every player picked by seat): Fisher's exact test, beyond chance.
        assert row.difference.test == "fisher-exact" and row.difference.p < 0.05 and row.difference.beyond_chance
    assert {a.status for a in comparison.previous_actions} == {"open"} and comparison.previous_actions
    assert report_of(db, before).comparison is None


def test_a_card_rewritten_between_the_sessions_is_named_and_not_compared(db, facilitator_id):
    """A deck edit keeps a card's id; votes on another question must not read as people changing their minds."""
    from game.store.models import RoomCardRecord

    before = play_room(db, facilitator_id, cards=3, seed=1)
    after = play_room(db, facilitator_id, cards=3, seed=2)
    with db.transaction() as s:
        room = s.scalar(select(RoomRecord).where(RoomRecord.code == after))
        card = s.scalar(select(RoomCardRecord).where(RoomCardRecord.room_id == room.id, RoomCardRecord.position == 2))
        card.card = {**card.card, "text": card.card["text"] + " Het budget is inmiddels gehalveerd."}
    link_previous(db, after, before)
    report = report_of(db, after, today=dt.date(2027, 6, 1))
    rewritten = report.cards[1]
    assert [row.card for row in report.comparison.cards] == [report.cards[0].key, report.cards[2].key]
    assert report.comparison.rewritten_since_previous == [f"2. {rewritten.title}"]
    assert report.comparison.not_in_previous == []


def test_a_small_shift_between_sessions_is_within_chance_and_drawn_grey(db, facilitator_id):
    # Then 15 of 15 chose the first option (or "helemaal oneens"), now 13 of 15: Fisher p = 0.48.
    before = play_room(db, facilitator_id, cards=2, seed=1, chooser=lambda n, t, p, choices, rng: choices[0])
    after = play_room(db, facilitator_id, cards=2, seed=2,
                      chooser=lambda n, t, p, choices, rng: choices[-1] if (t, p) in ((0, 0), (1, 0)) else choices[0])
    link_previous(db, after, before)
    report = report_of(db, after)
    for row in report.comparison.cards:
        assert (row.previous_share, row.current_share) == (1.0, round(13 / 15, 4))
        assert row.difference.p == round(fisher_exact(15, 0, 13, 2), 4) and not row.difference.beyond_chance
    from game.report.render_html import render_html
    section = render_html(report).split('id="comparison"')[1].split("</section>")[0]
    assert section.count("chance-within") == 2 and "chance-beyond" not in section


def test_an_english_room_gets_english_labels(db, facilitator_id):
    code = play_room(db, facilitator_id, cards=2, language_roles=("HR", "Line manager", "MT member"))
    with db.transaction() as s:
        room = s.scalar(select(RoomRecord).where(RoomRecord.code == code))
        room.language = "en"
    report = report_of(db, code)
    statements = [c for c in report.cards if c.kind == "statement"]
    assert report.language == "en"
    assert all(c.choices[0].label == "strongly disagree" for c in statements)
    from game.report.render_html import render_html
    html = render_html(report)
    assert strings("en")["note_agree"] in html and strings("nl")["note_agree"] not in html


def test_the_aggregate_is_a_pure_function_of_the_stored_data(db, played_room):
    with db.transaction() as s:
        data = load_room(s, s.scalar(select(RoomRecord).where(RoomRecord.code == played_room)))
    at = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.timezone.utc)
    assert build_report(data, options=ReportOptions(generated_at=at)) == build_report(data, options=ReportOptions(generated_at=at))


def test_a_team_that_tied_and_decided_for_one_of_the_tied_camps_did_not_decide_against_its_vote(db, facilitator_id):
    # One tie rule (game/rules/points.py): 3 against 3 makes both camps the team's majority, as for points and
    # predictions; deciding for either is no departure from the first vote. One vote more for the other side is.
    def chooser(number, team, player, choices, rng):
        tied = player % 2 == 0
        return choices[0] if tied or (number == 2 and player == 1) else choices[-1]

    code = play_room(db, facilitator_id, teams=1, players=6, cards=2, chooser=chooser)
    tie, lead = report_of(db, code).cards
    assert tie.first.counts[0] == tie.first.counts[-1] == 3
    (row,) = tie.teams
    assert row.decided and row.position in (1, len(tie.choices)) and row.differs_from_vote is False
    (row,) = lead.teams   # 4 against 2: the team decided for the leading camp (play_room picks the most chosen)
    assert row.differs_from_vote is False
