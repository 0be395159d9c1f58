"""The report's numbers from a played room: counts, sections, second vote, comparison, language."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from game.report import sections
from game.report.aggregate import ReportOptions, build_report
from game.report.load import load_room
from game.report.service import room_id_for_code, room_report
from game.store.models import RoomRecord, RoundRecord, TeamRecord, VoteRecord
from tests.report.conftest import add_second_votes, link_previous, play_room


def votes_in_db(db, code: str, ballot: int = 1) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(VoteRecord).join(RoundRecord).join(TeamRecord).join(RoomRecord)
                        .where(RoomRecord.code == code, VoteRecord.ballot == ballot))


def report_of(db, code: str, **options) -> dict:  # noqa: ANN003
    return room_report(db, room_id_for_code(db, code), ReportOptions(**options))


def test_the_report_counts_every_vote_once_and_names_nobody(db, played_room):
    report = report_of(db, played_room)
    assert sum(c["votes_total"] for c in report["cards"]) == votes_in_db(db, played_room) == 4 * 15
    assert report["participants"] == 15 and report["cards_played"] == 4
    assert sum(r["count"] for r in report["participants_by_role"]) == 15
    assert "Speler" not in str(report)  # display names never reach the report


def test_every_card_carries_its_distribution_agreement_and_team_decisions(db, played_room):
    for card in report_of(db, played_room)["cards"]:
        assert sum(v["count"] for v in card["votes"]) == card["votes_total"] == 15
        assert card["agreement"]["measure"] == ("tastle-wierman" if card["kind"] == "statement" else "normalised-entropy")
        assert 0 <= card["agreement"]["score"] <= 1
        assert [t["team"] for t in card["teams"]] == ["Team A", "Team B", "Team C"]
        assert all(t["decided"] for t in card["teams"])
        assert len(card["arguments"]) <= 4


def test_teams_of_five_get_a_team_breakdown_but_roles_of_two_or_three_do_not(db, played_room):
    card = report_of(db, played_room)["cards"][0]
    assert card["breakdowns"]["role"]["shown"] is False and card["breakdowns"]["role"]["note"] == "all_small"
    # Teams are shown unless, with the roles withheld, nothing else is published: here roles are withheld.
    assert [g["n"] for g in card["breakdowns"]["team"]["groups"]] == [5, 5, 5]


def test_actions_list_every_follow_up_with_a_proposed_follow_up_date(db, played_room):
    report = report_of(db, played_room)
    assert len(report["actions"]) == 6  # (card + team) even: 6 of the 12 rounds
    assert {a["owner"] for a in report["actions"]} == {"HR"}
    assert report["actions"] == sorted(report["actions"], key=lambda a: (a["due"], a["card_position"], a["team"]))
    proposed = dt.date.fromisoformat(report["follow_up"]["proposed_date"])
    assert 180 <= (proposed - dt.date.fromisoformat(report["room"]["date"])).days <= 184 and proposed.weekday() < 5


def test_mutual_perceptions_are_left_out_with_a_note_without_predictions(db, played_room):
    assert report_of(db, played_room)["perceptions"] == {"available": False, "note": "no_predictions"}


def test_a_second_vote_is_shown_next_to_the_first_and_moves_cards_into_the_conversation_section(db, facilitator_id):
    code = play_room(db, facilitator_id, cards=3, chooser=lambda n, t, p, choices, rng: choices[0])
    add_second_votes(db, code, lambda choice, choices, rng: choices[-1])
    report = report_of(db, code)
    assert report["second_vote_used"]
    for card in report["cards"]:
        assert card["second_vote"]["votes_total"] == votes_in_db(db, code, 2) // 3
        assert card["majority"] == 1 and card["second_vote"]["majority"] == len(card["choices"])
    moved = {e["card"]: e["reasons"] for e in report["sections"]["moved"]}
    assert set(moved) == {c["key"] for c in report["cards"]}
    assert all("majority_changed" in r for r in moved.values())


def test_unanimous_cards_are_where_we_agree_and_split_cards_where_it_chafes(db, facilitator_id):
    # Card 1 unanimous; card 2 split over the extremes (statement) or two camps (dilemma).
    def chooser(number, team, player, choices, rng):
        return choices[0] if number == 1 else (choices[0] if player % 2 else choices[-1])

    code = play_room(db, facilitator_id, cards=2, players=12, chooser=chooser)
    report = report_of(db, code)
    first, second = report["cards"]
    assert first["agreement"]["score"] == 1.0 and first["agreement"]["reading"] == "strong"
    assert second["agreement"]["reading"] in ("polarised", "divided")
    friction = {e["card"]: e["reasons"] for e in report["sections"]["friction"]}
    assert "low_agreement" in friction[second["key"]]
    assert first["key"] not in friction or "low_agreement" not in friction[first["key"]]


def test_section_thresholds_are_named_constants():
    card = {"key": "k", "kind": "statement", "second_vote": None, "majority": 4, "mean": 4.0,
            "agreement": {"score": 0.9, "reading": "strong", "measure": "tastle-wierman"},
            "teams": [{"decided": True, "position": 2, "no_agreement": False, "differs_from_vote": False},
                      {"decided": True, "position": 2 + sections.DECISION_GAP, "no_agreement": False, "differs_from_vote": False}],
            "breakdowns": {"role": {"groups": []}, "team": {"groups": []}}}
    assert sections.friction_reasons(card) == ["teams_decided_differently"]
    card["teams"][1]["position"] = 2 + sections.DECISION_GAP - 1
    assert sections.friction_reasons(card) == []
    assert sections.select_sections([card])["agreement"] == [{"card": "k", "reasons": ["strong_agreement"]}]


def test_a_follow_up_room_is_compared_card_by_card_with_the_earlier_room(db, facilitator_id):
    before = play_room(db, facilitator_id, cards=3, seed=1, chooser=lambda n, t, p, choices, rng: choices[p % len(choices)])
    after = play_room(db, facilitator_id, cards=3, seed=2, chooser=lambda n, t, p, choices, rng: choices[0])
    link_previous(db, after, before)
    report = report_of(db, after, today=dt.date(2027, 6, 1))
    comparison = report["comparison"]
    assert comparison["previous_room"]["code"] == before
    assert [row["card"] for row in comparison["cards"]] == [c["key"] for c in report["cards"]]
    for row in comparison["cards"]:
        assert row["current"]["agreement"]["score"] == 1.0
        assert row["agreement_shift"] > 0
        assert sum(row["previous"]["counts"]) == row["previous"]["total"] == 15
    # Earlier actions: due before the follow-up date -> on the agenda.
    statuses = {a["due"]: a["status"] for a in comparison["previous_actions"]}
    assert statuses and all(status == ("due" if due <= "2027-06-01" else "open") for due, status in statuses.items())
    assert report_of(db, before)["comparison"] is None


def test_an_english_room_gets_english_labels(db, facilitator_id):
    code = play_room(db, facilitator_id, cards=2, language_roles=("HR", "Line manager", "MT member"))
    with db.transaction() as s:
        room = s.scalar(select(RoomRecord).where(RoomRecord.code == code))
        room.language = "en"
    report = report_of(db, code)
    statements = [c for c in report["cards"] if c["kind"] == "statement"]
    assert report["language"] == "en"
    assert all(c["votes"][0]["label"] == "strongly disagree" for c in statements)
    from game.report.render_html import render_html
    html = render_html(report)
    assert "Where we agree" in html and "Waar we het over eens zijn" not in html


def test_the_aggregate_is_a_pure_function_of_the_stored_data(db, played_room):
    with db.transaction() as s:
        data = load_room(s, s.scalar(select(RoomRecord).where(RoomRecord.code == played_room)))
    at = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.timezone.utc)
    assert build_report(data, options=ReportOptions(generated_at=at)) == build_report(data, options=ReportOptions(generated_at=at))
