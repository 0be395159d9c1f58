"""The floor: a bare Flask-SocketIO server with the game's event names and no game logic or database.

It counts votes per team and round and emits the reveal to the team's room when every seated player
has voted, so the load generator can drive it exactly like the game. Same library versions and
Socket.IO settings as the game (ping 10 s / 20 s); same async modes.

With --voted it is the fair floor ("bare + who-has-voted"): like the game, a vote that does not
complete the ballot tells the team's tablets who has voted (a `voted` event of the game's shape),
one per vote (--voted-tick 0) or the newest per team once per tick, as game/live/coalesce.py does.

    python -m benchmarks.bare_server --port 5100 --async-mode gevent
    python -m benchmarks.bare_server --port 5100 --async-mode gevent --voted --voted-tick 0.05
"""
from __future__ import annotations

import argparse
import sys
import warnings


def patch(mode: str) -> None:
    """Monkey-patch as `inzetspel serve` does (game/launch.py), before Flask is imported."""
    if mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
    elif mode == "eventlet":
        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
        import eventlet

        eventlet.monkey_patch()


def build(async_mode: str, voted: bool = False, voted_tick: float = 0.0):  # noqa: ANN201
    """The Flask app and its SocketIO server; with `voted`, who has voted goes to the team too."""
    import itertools
    import threading
    from collections import Counter

    from flask import Flask, request
    from flask_socketio import SocketIO, emit, join_room

    app = Flask(__name__)
    socketio = SocketIO(app, async_mode=async_mode, ping_interval=10, ping_timeout=20)
    lock = threading.Lock()
    ids = itertools.count(1)
    members: dict[str, list[int]] = {}        # team channel -> player ids, in seat order
    seats: dict[str, tuple[str, int]] = {}    # sid -> (team channel, player id)
    votes: dict[tuple[str, int], Counter] = {}
    voters: dict[tuple[str, int], set[int]] = {}
    versions: Counter = Counter()             # team channel -> version, as the game's team row
    pending: dict[str, dict] = {}             # team channel -> newest `voted` not yet sent (tick mode)

    def send_voted_later(channel: str) -> None:
        socketio.sleep(voted_tick)
        with lock:
            payload = pending.pop(channel, None)
        if payload is not None:
            socketio.emit("voted", payload, to=channel)

    def tell_who_voted(channel: str, payload: dict) -> None:
        if voted_tick <= 0:
            socketio.emit("voted", payload, to=channel)
            return
        with lock:
            first = channel not in pending
            pending[channel] = payload
        if first:
            socketio.start_background_task(send_voted_later, channel)

    @app.route("/healthz")
    def health():  # noqa: ANN202
        return {"ok": True}

    @socketio.on("take_seat")
    def take_seat(data):  # noqa: ANN001, ANN202
        channel = f"{data['code']}:{data.get('team') or 1}"
        with lock:
            pid = next(ids)
            members.setdefault(channel, []).append(pid)
            seats[request.sid] = (channel, pid)
        join_room(channel)
        return {"ok": True, "token": f"t{pid}", "seat": {"player_id": pid}, "team": {"phase": "draw", "round": 1}}

    @socketio.on("draw_card")
    def draw_card(data):  # noqa: ANN001, ANN202
        channel, _ = seats[request.sid]
        emit("state", {"team": {"phase": "vote", "round": data["round"], "distribution": None,
                                "card": {"choices": [{"value": 1}, {"value": 2}]}}}, to=channel)
        return {"ok": True}

    @socketio.on("cast_vote")
    def cast_vote(data):  # noqa: ANN001, ANN202
        channel, pid = seats[request.sid]
        key = (channel, data["round"])
        with lock:
            counts = votes.setdefault(key, Counter())
            counts[data["choice"]] += 1
            complete = sum(counts.values()) == len(members[channel])
            who = voters.setdefault(key, set())
            who.add(pid)
            versions[channel] += 1
            payload = {"team_id": channel, "version": versions[channel], "round": data["round"], "phase": "vote",
                       "voter_ids": sorted(who), "votes_cast": len(who)}
            if complete:
                pending.pop(channel, None)  # the reveal carries it
        if voted and not complete:
            tell_who_voted(channel, payload)
        if complete:
            emit("state", {"team": {"phase": "discuss", "round": data["round"],
                                    "distribution": [{"value": v, "count": c} for v, c in sorted(counts.items())]}},
                 to=channel)
        return {"ok": True, "revealed": complete}

    @socketio.on("post_argument")
    def post_argument(data):  # noqa: ANN001, ANN202
        channel, _ = seats[request.sid]
        emit("state", {"team": {"phase": "discuss", "round": data["round"], "arguments": [{"text": data["text"]}]}},
             to=channel)
        return {"ok": True}

    @socketio.on("start_decision")
    def start_decision(data):  # noqa: ANN001, ANN202
        channel, _ = seats[request.sid]
        emit("state", {"team": {"phase": "decide", "round": data["round"]}}, to=channel)
        return {"ok": True}

    @socketio.on("record_decision")
    def record_decision(data):  # noqa: ANN001, ANN202
        channel, _ = seats[request.sid]
        with lock:
            votes.pop((channel, data["round"]), None)
            voters.pop((channel, data["round"]), None)
        emit("state", {"team": {"phase": "draw", "round": data["round"] + 1, "distribution": None}}, to=channel)
        return {"ok": True}

    @socketio.on("disconnect")
    def disconnect(*_args):  # noqa: ANN002, ANN202
        with lock:
            seats.pop(request.sid, None)

    return app, socketio


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5100)
    parser.add_argument("--async-mode", choices=("gevent", "eventlet", "threading"), default="gevent")
    parser.add_argument("--voted", action="store_true", help="tell the team who has voted, as the game does")
    parser.add_argument("--voted-tick", type=float, default=0.0, help="seconds per coalesced `voted` (0: one per vote)")
    args = parser.parse_args(argv)
    patch(args.async_mode)
    app, socketio = build(args.async_mode, voted=args.voted, voted_tick=args.voted_tick)
    print(f"bare Flask-SocketIO on http://{args.host}:{args.port}/ ({args.async_mode})", file=sys.stderr, flush=True)
    socketio.run(app, host=args.host, port=args.port, allow_unsafe_werkzeug=(args.async_mode == "threading"),
                 log_output=False)


if __name__ == "__main__":
    main()
