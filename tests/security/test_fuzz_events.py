"""Hostile input against every Socket.IO event (Hypothesis): wrong types, missing and extra fields, huge
strings, deep nesting, unicode edge cases, negative and enormous numbers, ids of other rooms.

Every payload must be answered with an ack {ok: false, error: {code}} (read-only events may say ok),
never crash a handler ('handler failed' in the log), never change the database. The senders are chosen
so that no generated payload can be a legitimate move: a stranger with no seat (and codes that are not
rooms), a seated player whose turn it is not (the team is drawing), and a facilitator aiming at a room
that is not theirs. Counts go to test-artifacts/security-figures.json (docs/security.md quotes them).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.extensions import socketio
from game.live import schemas
from game.play.accounts import create_facilitator
from tests.security.conftest import build_world, copied_database, fingerprint, handler_failures, open_connection, take_seat

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "test-artifacts" / "security-figures.json"
READ_ONLY = {"get_state", "watch_room"}
# A seated player may bring in a dilemma at any time: a well-formed one is accepted (and checked per payload).
MAY_SUCCEED = {("submit_dilemma", "player")}
CODE = re.compile(r"^[a-z_]+/[a-z_]+$")
COUNTS: Counter[str] = Counter()
CODES: Counter[str] = Counter()
ACCEPTED: Counter[str] = Counter()


def event_names() -> list[str]:
    """Every event the handlers registered (so events added later are fuzzed too), plus an unknown one."""
    import game.live.events  # noqa: F401  (registers the handlers)

    names = {h[0] for h in socketio.handlers if h[0] not in ("connect", "disconnect", "*")}
    return sorted(names) + ["no_such_event"]


def field_names() -> list[str]:
    """Field names of every payload schema: a generated dict often carries the right keys with wrong values."""
    names = set()
    for obj in vars(schemas).values():
        if isinstance(obj, type) and issubclass(obj, schemas.Payload):
            names.update(obj.model_fields)
    return sorted(names)


def nested(depth: int) -> object:
    value: object = "bodem"
    for i in range(depth):
        value = [value] if i % 2 else {"a": value}
    return value


EDGE_TEXT = st.sampled_from([
    "", " ", "\x00", "\ud800", "\udfff", "\u202e\u202d", "\ufeff", "🙂" * 300, "x" * 100_000, "é" * 5000,
    "=HYPERLINK(\"http://evil\")", "+1+1", "-2", "@SUM(A1)", "<script>alert(1)</script>", "'; DROP TABLE votes; --",
    "../../etc/passwd", "%s%n", "null", "true", "1e309", "NaN", "KM4T-Q8ZA", "AAAAAAAA", "0" * 64, "-" * 8,
])
EDGE_NUMBERS = st.sampled_from([0, -1, 1, 2, 5, 6, 1000, 1001, 2**31, -(2**31), 2**63, 10**30, -(10**30),
                                0.5, 1.0, -0.0, float("inf"), float("-inf"), float("nan"), True, False])


def json_values(ids: list) -> st.SearchStrategy:
    leaves = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=50),
        st.text(st.characters(codec="utf-8"), max_size=300), EDGE_TEXT, EDGE_NUMBERS, st.sampled_from(ids),
        st.dates().map(lambda d: d.isoformat()),
    )
    return st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                        max_leaves=12)


def event_schemas() -> dict[str, type]:
    """event -> its pydantic schema, read from the `handles` wrappers (so new events come with theirs)."""
    from pydantic import BaseModel

    def schema_in(fn: object, depth: int = 0) -> type | None:
        for cell in getattr(fn, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, type) and issubclass(value, BaseModel):
                return value
            if callable(value) and depth < 3:
                found = schema_in(value, depth + 1)
                if found is not None:
                    return found
        return None

    return {name: schema for name, fn, _ns in socketio.handlers if (schema := schema_in(fn)) is not None}


def from_json_schema(js: dict, defs: dict, ids: list) -> st.SearchStrategy:
    """Values that mostly fit the schema and often sit just outside it (off-by-one, too long, wrong pattern)."""
    if "$ref" in js:
        return from_json_schema(defs[js["$ref"].split("/")[-1]], defs, ids)
    if "anyOf" in js:
        return st.one_of([from_json_schema(sub, defs, ids) for sub in js["anyOf"]])
    if "enum" in js or "const" in js:
        return st.one_of(st.sampled_from(js.get("enum") or [js.get("const")]), st.text(max_size=12))
    kind = js.get("type")
    if kind == "integer":
        lo, hi = js.get("minimum", -5), js.get("maximum", max(js.get("minimum", 0), 0) + 40)
        return st.one_of(st.integers(lo - 2, min(hi, lo + 50) + 2), st.sampled_from(ids).filter(lambda v: isinstance(v, int)))
    if kind == "string":
        if js.get("format") == "date":
            return st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=12))
        options = [st.text(max_size=js.get("maxLength", 40) + 3), st.sampled_from(ids).map(str), EDGE_TEXT]
        if js.get("pattern"):
            options.append(st.from_regex(js["pattern"], fullmatch=True))
        return st.one_of(options)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        return st.lists(from_json_schema(js.get("items", {}), defs, ids), max_size=4)
    if kind == "object":
        props = {k: from_json_schema(v, defs, ids) for k, v in js.get("properties", {}).items()}
        required = [k for k in js.get("required", []) if k in props]
        return st.fixed_dictionaries({k: props[k] for k in required}, optional={k: v for k, v in props.items() if k not in required})
    return json_values(ids)


def near_valid(event: str, ids: list) -> st.SearchStrategy:
    schema = event_schemas().get(event)
    if schema is None:
        return st.nothing()
    js = schema.model_json_schema()
    return from_json_schema(js, js.get("$defs", {}), ids)


def payloads(ids: list, event: str = "") -> st.SearchStrategy:
    values = json_values(ids)
    keys = st.one_of(st.sampled_from(field_names()), st.text(max_size=20))
    return st.one_of(
        near_valid(event, ids), near_valid(event, ids),                   # shaped like the schema: reaches the rules
        st.dictionaries(keys, values, max_size=6),                       # right and wrong keys, any values
        st.fixed_dictionaries({}, optional={k: values for k in field_names()}),  # only known keys
        values,                                                           # not an object at all
        st.sampled_from([nested(50), nested(400), [[[]]] * 200, {"x" * 1000: 1}, list(range(2000))]),
    )


@pytest.fixture(scope="module")
def fuzz_world(tmp_path_factory, sqlite_template):
    """One world for every event (refused payloads leave it as it was; each test checks that), with the
    flood limits out of the way (they have their own tests) and the three senders."""
    world = build_world(copied_database(sqlite_template, tmp_path_factory.mktemp("fuzz") / "fuzz.db"),
                        EVENTS_BURST=10**9, JOIN_FAILURES_PER_IP=10**9, JOIN_FAILURES_GLOBAL=10**9)
    take_seat(open_connection(world), world.code_a, "Anna", "HR", 1)           # the turn player (not a sender)
    bas = take_seat(open_connection(world), world.code_a, "Bas", "MT-lid", 1)  # not his turn: nothing he sends is legal
    take_seat(open_connection(world), world.code_b, "Olga", "HR", 1)
    stranger = open_connection(world, label="stranger")
    # A facilitator of no room: no id the generator finds can be theirs (facilitator B aiming at room A is
    # in the authorisation matrix; here B could hit their own room B's ids and legitimately move it).
    other = create_facilitator(world.db, "begeleider-zonder-sessie", "een-lang-wachtwoord-c")
    facilitator_b = open_connection(world, facilitator_id=other, label="facilitator_other")
    ids = [world.code_a, world.code_a.lower(), world.code_a[:4] + "-" + world.code_a[4:], *world.team_ids_a,
           world.code_b, *world.team_ids_b,
           bas.player_id, bas.team_id, 1, 2, 0, -1]
    yield world, {"stranger": stranger, "player": bas, "facilitator_other": facilitator_b}, ids
    world.db.dispose()


@pytest.fixture(scope="module", autouse=True)
def write_figures():
    yield
    if not COUNTS:
        return
    FIGURES.parent.mkdir(exist_ok=True)
    figures = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    figures["socketio_payloads"] = dict(sorted(COUNTS.items()))
    figures["socketio_payloads_total"] = sum(COUNTS.values())
    figures["socketio_refusal_codes"] = dict(CODES.most_common())
    figures["socketio_accepted"] = dict(ACCEPTED)
    FIGURES.write_text(json.dumps(figures, indent=2) + "\n")


def test_every_event_is_in_the_battery():
    """The battery fuzzes whatever the handlers register: every `@handles("...")` in game/live/ (events
    added later included), each with its schema, so that near-valid payloads get past validation."""
    import re as _re

    declared = set()
    for source in (ROOT / "game" / "live").glob("*.py"):
        declared |= set(_re.findall(r"@handles\(\s*\"([a-z_]+)\"", source.read_text()))
    fuzzed = set(event_names())
    assert declared and declared <= fuzzed, declared - fuzzed
    assert declared <= set(event_schemas()), declared - set(event_schemas())


@pytest.mark.parametrize("event", event_names())
def test_hostile_payloads_are_refused_and_change_nothing(event, fuzz_world, caplog):
    world, senders, ids = fuzz_world
    expected = {"db": fingerprint(world.db)}

    @given(sender=st.sampled_from(sorted(senders)), payload=payloads(ids, event), extra_args=st.sampled_from([0, 0, 0, 1]))
    def check(sender: str, payload: object, extra_args: int) -> None:
        conn = senders[sender]
        caplog.clear()
        args = (payload,) + (("extra",) if extra_args else ())
        may_succeed = (event, sender) in MAY_SUCCEED
        with world.app.app_context():
            reply = conn.call(event, *args)
        COUNTS[event] += 1
        assert isinstance(reply, dict) and "ok" in reply, (sender, reply)
        if reply["ok"] is not True:
            error = reply["error"]
            CODES[error["code"]] += 1
            assert CODE.match(error["code"]) and error["code"] != "server/error", (sender, error)
            assert isinstance(error["message"], str) and error["message"]
            assert error in conn.received("error")  # the refusal also arrived as an `error` event
            if may_succeed:
                assert fingerprint(world.db) == expected["db"], f"a refused {event} changed the database"
        else:
            assert event in READ_ONLY or may_succeed, f"{sender} managed {event} with {payload!r:.200}"
            conn.client.get_received()
            if may_succeed:
                ACCEPTED[event] += 1
                expected["db"] = fingerprint(world.db)  # a legitimate change: the new baseline
        assert handler_failures(caplog) == [], caplog.text[-2000:]
        assert conn.client.is_connected(), "one bad message must never cost the connection"

    check()
    assert fingerprint(world.db) == expected["db"], f"hostile {event} payloads changed the database"
