"""Facilitator alerts: where to walk to. A pure function of a team's view.

Each alert has a `kind` and its numbers in `params`; the dashboard words them in its own language
(static/js/dashboard.js, from the gettext catalogues). `text` is the English wording, for logs."""
from __future__ import annotations

SPLIT_MAX_SHARE = 0.5        # after a reveal, no option got half the votes: a split team
SPLIT_MIN_VOTES = 3
PREDICTION_RIGHT_MIN = 0.4   # fewer than 40% predicted their team's majority: a perception gap
PREDICTION_MIN_MADE = 3
STUCK_SECONDS = {"draw": 180, "vote": 300, "discuss": 600, "revote": 300, "decide": 300}


def team_alerts(view: dict) -> list[dict]:
    """Alerts for one team: split vote, prediction gap, stuck in a phase, players offline."""
    alerts = []
    dist = view.get("distribution2") or view.get("distribution")
    if dist:
        total = sum(d["count"] for d in dist)
        if total >= SPLIT_MIN_VOTES and max(d["count"] for d in dist) / total < SPLIT_MAX_SHARE:
            alerts.append({"kind": "split", "level": "warn", "params": {"total": total},
                           "text": f"Split: no choice got half of the {total} votes."})
    pred = view.get("predictions")
    if pred and pred["made"] >= PREDICTION_MIN_MADE and pred["right"] / pred["made"] < PREDICTION_RIGHT_MIN:
        alerts.append({"kind": "prediction_gap", "level": "warn", "params": {"right": pred["right"], "made": pred["made"]},
                       "text": f"Perception and reality differ: {pred['right']} of {pred['made']} predicted the majority correctly."})
    limit = STUCK_SECONDS.get(view["phase"])
    if limit and view.get("phase_seconds") and view["phase_seconds"] > limit and view["room_open"] and not view.get("paused"):
        alerts.append({"kind": "stuck", "level": "warn", "params": {"minutes": view["phase_seconds"] // 60},
                       "text": f"{view['phase_seconds'] // 60} minutes in this phase already."})
    offline = [p for p in view["players"] if not p["online"]]
    if offline and view["phase"] != "finished":
        names = ", ".join(p["name"] for p in offline[:4])
        alerts.append({"kind": "offline", "level": "bad", "params": {"count": len(offline), "names": names},
                       "text": f"{len(offline)} player(s) offline: {names}"})
    return alerts


LOW_COMFORT = 2  # 1 or 2 on "can you live with it?" is flagged for the facilitator


def comfort_flags(answers: list[tuple[int, str, int]]) -> dict:
    """'Can you live with it?' for one team as counts only, never who: per decided round
    (round number, card title, score) -> how many answered and how many scored low."""
    rounds: dict[int, dict] = {}
    for number, title, score in answers:
        entry = rounds.setdefault(number, {"round": number, "card_title": title, "answered": 0, "low": 0})
        entry["answered"] += 1
        entry["low"] += score <= LOW_COMFORT
    ordered = [rounds[n] for n in sorted(rounds)]
    return {"answered": sum(r["answered"] for r in ordered), "low": sum(r["low"] for r in ordered), "rounds": ordered}


def comfort_alerts(flags: dict) -> list[dict]:
    """A facilitator alert per decision that someone can hardly live with (a count, never who)."""
    return [{"kind": "comfort", "level": "warn", "params": {"low": r["low"], "answered": r["answered"], "card": r["card_title"]},
             "text": f"{r['low']} of {r['answered']} can hardly live with the decision on ‘{r['card_title']}’."}
            for r in flags["rounds"] if r["low"]]
