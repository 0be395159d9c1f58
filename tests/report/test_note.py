"""The decision note's placement (game/report/note.py): each card in at most one list, lists capped with the
rest in the appendix, the question and the most *nuttig* argument per side, moves from which to which."""
from __future__ import annotations

from types import SimpleNamespace

from game.report import model as rm
from game.report.aggregate import _change
from game.report.note import NOTE_MAX, decision_note, place
from game.report.tally import tally
from game.report.text import strings
from game.rules.kinds import kind_of

NL = strings("nl")
OPTIONS = [rm.Choice(v, m, label) for v, m, label in
           ((1, "A", "Blijven"), (2, "B", "Detacheren"), (3, "C", "Omscholen"), (4, "D", "Vertrekken"))]
SCALE = [rm.Choice(v, str(v), label) for v, label in
         zip(range(1, 6), ("helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"))]
MIN_GROUP = 5


def _votes(pairs: list[tuple[int, int | None]]) -> tuple[dict, dict]:
    """(first choice, second choice or None) per player -> the first and second ballots by player."""
    first = {p: SimpleNamespace(choice=a) for p, (a, _) in enumerate(pairs)}
    second = {p: SimpleNamespace(choice=b) for p, (_, b) in enumerate(pairs) if b is not None}
    return first, second


def card(position: int, counts: list[int] | None = None, *, pairs: list[tuple[int, int | None]] | None = None,
         kind: str = "dilemma", arguments: list[rm.ArgumentQuote] = ()) -> rm.CardResult:
    """A card result from first-vote counts, or from (first, second) votes per player (a second vote)."""
    definition = kind_of(kind)
    choices = SCALE if definition.is_scale else OPTIONS[: len(counts or []) or 4]
    second_counts = change = None
    if pairs is not None:
        first, second = _votes(pairs)
        counts = [sum(v.choice == c.value for v in first.values()) for c in choices]
        second_counts = [sum(v.choice == c.value for v in second.values()) for c in choices]
        change = _change(definition, choices, first, second, MIN_GROUP)
    return rm.CardResult(
        key=f"k{position}", position=position, kind=kind, title=f"Kaart {position}", text="", themes=[], rounds=1,
        choices=list(choices), first=tally(definition, choices, counts, MIN_GROUP),
        second=tally(definition, choices, second_counts, MIN_GROUP) if second_counts else None, change=change,
        votes_total=sum(counts), teams=[], decision_groups=[], arguments=list(arguments), breakdowns={}, comfort=None,
        comfort_withheld=False)


def note_of(*cards: rm.CardResult, actions: list[rm.Action] = ()) -> rm.DecisionNote:
    return decision_note(SimpleNamespace(cards=list(cards), actions=list(actions)), NL)


def lists(note: rm.DecisionNote) -> dict[str, list[int]]:
    return {key: [e.position for e in getattr(note, key)] for key in ("agree", "decide", "moved", "rest")}


def test_strong_agreement_is_to_confirm_and_a_split_is_to_decide_and_the_rest_goes_to_the_appendix():
    note = note_of(card(1, [17, 3, 0, 0]), card(2, [10, 10, 0, 0]), card(3, [7, 3, 0, 0]), card(4, [2, 1, 0, 0]))
    # 85 %: agree; 10/10: polarised, to decide; 70/30: moderate, no list; 3 voters: withheld, no list.
    assert lists(note) == {"agree": [1], "decide": [2], "moved": [], "rest": [3, 4]}
    assert note.rest[1].headline == NL["too_few_votes"] and note.rest[1].reading is None
    assert note.agree[0].headline == NL["count_chose"].format(count=17, total=20, choice="A. Blijven")


def test_a_card_that_ended_split_is_to_decide_even_when_talking_moved_people():
    # 10 A -> 6 A, 4 B ... the group ended 10 / 10 between A and B: the MT must decide, not "moved".
    pairs = [(1, 1)] * 6 + [(1, 2)] * 4 + [(2, 2)] * 6 + [(2, 1)] * 4
    moved_to_split = card(1, pairs=pairs)
    assert moved_to_split.final.agreement.reading == "polarised" and moved_to_split.change.changed == 8
    assert place(moved_to_split) == "decide"


def test_a_card_where_people_moved_beyond_chance_is_in_moved_not_in_agree():
    # 12 voted twice: 8 moved from A to B, nobody back; the group ends strongly on B (10 of 12).
    pairs = [(1, 2)] * 8 + [(2, 2)] * 2 + [(1, 1)] * 2
    moved = card(1, pairs=pairs)
    assert moved.final.agreement.reading == "strong"
    assert moved.change.difference.beyond_chance and moved.change.moves == [rm.Move(1, 2, 8)]
    note = note_of(moved)
    assert lists(note) == {"agree": [], "decide": [], "moved": [1], "rest": []}
    # From which option to which, then the net shift that the chance test is about (into B: 2 before, 10 after).
    assert note.moved[0].moves == NL["changed_votes"].format(changed=8, paired=12) + ": " + NL["move"].format(
        count=8, source="A", target="B") + ". " + NL["net_shift"].format(camp="B", before=2, after=10)
    assert note.moved[0].moves.endswith("Kozen B (na het gesprek de grootste): eerst 2, daarna 10.")
    assert note.moved[0].beyond_chance is True


def test_moves_say_from_which_option_to_which_most_frequent_first():
    pairs = [(1, 2)] * 4 + [(3, 2)] * 2 + [(4, 1)] + [(2, 2)] * 5
    entry = note_of(card(1, pairs=pairs)).moved[0]
    assert entry.moves == (NL["changed_votes"].format(changed=7, paired=12) + ": "
                           + ", ".join(NL["move"].format(count=n, source=a, target=b)
                                       for n, a, b in ((4, "A", "B"), (2, "C", "B"), (1, "D", "A"))) + ". "
                           + NL["net_shift"].format(camp="B", before=5, after=11))


def test_a_second_vote_by_some_only_compares_those_who_voted_twice():
    # 11 first votes, 6 of them voted again (their team only): paired 6, first_only 5.
    pairs = [(1, 2)] * 3 + [(1, 1)] * 3 + [(1, None)] * 5
    change = card(1, pairs=pairs).change
    assert (change.paired, change.changed, change.first_only) == (6, 3, 5)
    # After: 3 A, 3 B (tied; the first is the leading camp): 6 were in A before, 3 after, 3 moved out.
    assert (change.camp, change.before, change.after) == (1, 6, 3)
    assert change.moves == [rm.Move(1, 2, 3)] and not change.difference.beyond_chance
    # Four who voted once only would be the first tally minus the paired "before" (issue 15): withheld.
    assert card(1, pairs=pairs[:-1]).change is None


def test_a_paired_change_of_fewer_people_than_the_minimum_is_withheld():
    pairs = [(1, 2)] * 4 + [(1, None)] * 6
    assert card(1, pairs=pairs).change is None


def test_each_list_is_capped_and_the_overflow_is_in_the_appendix_in_card_order():
    agree = [card(p, [40 - p, p, 0, 0]) for p in range(1, NOTE_MAX + 3)]    # 39/1 ... 33/7: all strong
    assert {c.first.agreement.reading for c in agree} == {"strong"}
    decide = [card(p, [10, 10, 0, 0]) for p in range(20, 20 + NOTE_MAX + 2)]
    note = note_of(*agree, *decide)
    assert len(note.agree) == len(note.decide) == NOTE_MAX == note.max_per_list
    # The clearest first (agreement: the highest share), the overflow in the appendix, in card order.
    assert [e.position for e in note.agree] == list(range(1, NOTE_MAX + 1))
    assert [e.position for e in note.decide] == list(range(20, 20 + NOTE_MAX))
    assert [e.position for e in note.rest] == [NOTE_MAX + 1, NOTE_MAX + 2, 20 + NOTE_MAX, 21 + NOTE_MAX]


def test_every_card_is_in_at_most_one_list_and_none_is_lost():
    cards = [card(1, [17, 3]), card(2, [10, 10]), card(3, [7, 3]), card(4, pairs=[(1, 2)] * 8 + [(2, 2)] * 4),
             card(5, [3, 3, 3, 3]), card(6, pairs=[(1, 1)] * 10), card(7, [0, 0, 0, 3, 17], kind="statement"),
             card(8, [0, 8, 0, 12, 0], kind="statement")]
    found = lists(note_of(*cards))
    listed = found["agree"] + found["decide"] + found["moved"] + found["rest"]
    assert sorted(listed) == [c.position for c in cards]                     # each exactly once
    # agree by share (card 7: 20 of 20 on the agree side; card 6: 10 of 10; card 1: 17 of 20); decide: polarised
    # first, the closest split first (10/10, then 8/12), then divided.
    assert found == {"agree": [7, 6, 1], "decide": [2, 8, 5], "moved": [4], "rest": [3]}
    assert [c.place for c in cards] == ["agree", "decide", None, "moved", "decide", "agree", "agree", "decide"]


def test_the_decide_entry_asks_the_question_and_quotes_the_most_useful_argument_of_each_side():
    arguments = [rm.ArgumentQuote("1", "A. Blijven", "Kort maar nuttig voor A", 4),
                 rm.ArgumentQuote("1", "A. Blijven", "Een veel langer argument voor A dat niemand nuttig vond", 0),
                 rm.ArgumentQuote("2", "B. Detacheren", "Voor B, twee keer nuttig", 2),
                 rm.ArgumentQuote("2", "B. Detacheren", "Voor B, een keer nuttig maar langer geformuleerd", 1),
                 rm.ArgumentQuote("3", "C. Omscholen", "Voor C, heel nuttig, maar C is geen kamp van betekenis", 9)]
    entry = note_of(card(1, [9, 8, 3, 0], arguments=arguments)).decide[0]
    assert entry.question == NL["question_dilemma"].format(first="A. Blijven", second="B. Detacheren")
    assert [a.text for a in entry.arguments] == ["Kort maar nuttig voor A", "Voor B, twee keer nuttig"]


def test_the_question_reads_as_one_sentence_when_the_options_end_with_a_full_stop():
    choices = [rm.Choice(1, "A", "Een interne vacature met voorrang."), rm.Choice(2, "B", "Een detachering bij een partner.")]
    split = card(1, [10, 10])
    split.choices = choices
    split.first.agreement.top_label = "A. Een interne vacature met voorrang."
    question = note_of(split).decide[0].question
    assert question == NL["question_dilemma"].format(first="A. Een interne vacature met voorrang",
                                                     second="B. Een detachering bij een partner")
    assert ".," not in question and ".?" not in question


def test_a_split_statement_asks_whether_to_make_it_our_position_with_an_argument_for_and_against():
    arguments = [rm.ArgumentQuote("for", "voor", "Voor, nuttig", 3), rm.ArgumentQuote("for", "voor", "Voor", 0),
                 rm.ArgumentQuote("against", "tegen", "Tegen, nuttig", 2)]
    entry = note_of(card(1, [0, 8, 0, 12, 0], kind="statement", arguments=arguments)).decide[0]
    assert entry.question == NL["question_statement"].format(title="Kaart 1")
    assert [a.text for a in entry.arguments] == ["Voor, nuttig", "Tegen, nuttig"]
    # Polarised: the headline names both sides, so that the reading agrees with what a reader sees.
    assert entry.headline == "12 van 20 eens, 8 oneens"


def test_a_tie_names_every_camp_tied_with_the_leader():
    statement = note_of(card(1, [4, 6, 4, 5, 5], kind="statement")).decide[0]      # 10 oneens, 4 neutraal, 10 eens
    assert statement.headline == "10 van 24 oneens, 10 eens" and statement.reading == "polarised"
    three_way = note_of(card(2, [6, 6, 6, 2])).decide[0]                           # A, B and C tied
    assert three_way.headline == "6 van 20 kozen A, 6 kozen B, 6 kozen C"
    runner_up_of_one = note_of(card(3, [2, 1, 1, 1])).decide[0]                    # 5 voters, divided
    assert runner_up_of_one.headline == "2 van 5 kozen A, 1 koos B"


def test_a_paired_change_of_a_statement_names_the_side_it_counts():
    pairs = [(1, 5)] * 6 + [(5, 5)] * 4 + [(5, 1)]
    entry = note_of(card(1, pairs=pairs, kind="statement")).moved[0]
    assert entry.moves.endswith("Kozen “eens” (na het gesprek de grootste): eerst 5, daarna 10.")


def test_actions_are_grouped_by_owner_earliest_due_first():
    def action(what: str, owner: str, due: str | None) -> rm.Action:
        return rm.Action(what, owner, due, "Team A", "k1", "Kaart 1", 1)

    actions = [action("b", "HR", "2027-03-01"), action("a", "  HR ", "2027-01-01"), action("c", "MT", None),
               action("d", "", "2027-02-01")]
    owners = note_of(card(1, [17, 3]), actions=actions).actions_by_owner
    expected = {"HR": ["a", "b"], "MT": ["c"], NL["no_owner"]: ["d"]}   # "  HR " is HR; no owner is said so
    assert [(o.owner, [a.what for a in o.actions]) for o in owners] == sorted(expected.items(), key=lambda kv: kv[0].casefold())


def test_an_appendix_card_that_no_list_takes_leaves_its_changes_to_its_own_page():
    # 14 A / 6 B before and after (reasonable agreement); 2 of 20 swapped: no list, and nothing moved clearly.
    quiet = card(1, pairs=[(1, 1)] * 13 + [(1, 2), (2, 1)] + [(2, 2)] * 5)
    assert quiet.change.changed == 2 and place(quiet) is None
    entry = note_of(quiet).rest[0]
    assert entry.headline == NL["count_chose"].format(count=14, total=20, choice="A. Blijven")
    assert entry.moves == "" and entry.beyond_chance is None


def test_a_role_group_tied_between_two_camps_names_both():
    from game.report.groups import choice_text
    from game.report.tally import camp_reading

    t = strings("nl")
    dilemma, statement = kind_of("dilemma"), kind_of("statement")
    choices = [rm.Choice(value=i, mark="ABCD"[i - 1], label=f"{'ABCD'[i - 1]}. Optie") for i in range(1, 5)]

    def group(kind, camps):  # noqa: ANN001, ANN202
        return rm.GroupLean(group="Leiding", other=False, n=sum(camps), lean=camp_reading(kind, choices, camps),
                            unanimous=False, expected=None, expected_n=0, camps=camps)

    assert choice_text(group(dilemma, [6, 0, 6, 0]), t, scale=False) == "6 van 12 kozen A, 6 kozen C"
    assert choice_text(group(dilemma, [5, 1, 0, 0]), t, scale=False) == "5 van 6 kozen A"
    assert choice_text(group(statement, [5, 0, 5]), t, scale=True) == "5 van 10 oneens, 5 eens"


def test_every_option_tied_for_the_most_votes_is_bold_in_the_cards_table(db, facilitator_id):
    """One tie rule (points.most_counted): a 5-5 card highlights both options, not neither."""
    import re

    from game.report.aggregate import ReportOptions
    from game.report.service import render, room_id_for_code, room_report
    from tests.report.conftest import play_room

    def chooser(number, team, player, choices, rng):  # noqa: ANN001, ANN202
        return choices[0] if player % 2 == 0 else choices[1]  # 10 players: five A, five B

    code = play_room(db, facilitator_id, teams=1, players=10, cards=1, chooser=chooser)
    report = room_report(db, room_id_for_code(db, code), ReportOptions(min_group=5))
    html = render(report, "html").body.decode()
    table = html[html.index('<table class="data options">'):]
    table = table[:table.index("</table>")]
    assert re.findall(r'<tr class="top"><td class="letter">(\w)</td>', table) == ["A", "B"]


def test_role_groups_lean_the_same_way_different_ways_or_neither():
    from game.report.groups import _same_lean

    def lean(*camps: int) -> rm.GroupLean:
        return rm.GroupLean(group="g", other=False, n=sum(camps), lean=None, unanimous=False, expected=None,
                            expected_n=0, camps=list(camps))

    options = (1, 2, 3, 4)
    assert _same_lean([lean(8, 2, 1, 1), lean(5, 1, 0, 0)], options) is True
    assert _same_lean([lean(8, 2, 1, 1), lean(1, 5, 0, 0)], options) is False
    # Two groups split 6-6 over A and B alike: neither a shared line nor the MT's conversation.
    assert _same_lean([lean(6, 6, 0, 0), lean(6, 6, 0, 0)], options) is None
    assert _same_lean([lean(6, 6, 0, 0), lean(7, 1, 0, 0)], options) is None       # A is one of the tied pair
    assert _same_lean([lean(6, 6, 0, 0), lean(0, 1, 7, 0)], options) is False      # C is neither
    assert _same_lean([lean(5, 5, 0, 0)], options) is None                          # one group: nothing to compare


def test_an_empty_agree_list_points_to_cards_that_came_to_agreement_by_talking(db, facilitator_id):
    """Every card moved into strong agreement: the note must not say 'no card ended with strong agreement'
    above five cards marked 'sterke overeenstemming' (they are listed under 'moved', each card once)."""
    from game.report.aggregate import ReportOptions
    from game.report.service import render, room_id_for_code, room_report
    from tests.report.conftest import add_second_votes, play_room

    def chooser(number, team, player, choices, rng):  # noqa: ANN001, ANN202
        return choices[player % 2]  # a 50/50 split between the first two options

    code = play_room(db, facilitator_id, teams=2, players=12, cards=2, chooser=chooser, finish=False)
    add_second_votes(db, code, lambda choice, choices, r: choices[-1])  # everyone to the last option
    report = room_report(db, room_id_for_code(db, code), ReportOptions(min_group=5))
    assert not report.note.agree and report.note.moved and all(e.reading == "strong" for e in report.note.moved)
    html = render(report, "html").body.decode()
    agree = html[html.index('data-testid="note-agree"'):html.index('data-testid="note-decide"')]
    assert "Geen andere kaart" in agree and "Geen kaart eindigde met sterke overeenstemming" not in agree
