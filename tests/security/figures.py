"""Write the battery's figures (test-artifacts/security-figures.json) into docs/security.md between markers.

Every figure is something the run *checked*: a run with a 5xx, a server exception or a lost vote fails
before this script is reached (`make soak` stops at the first failing command).
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def _codes(codes: dict, limit: int = 14) -> str:
    return ", ".join(f"`{c}` {n}" for c, n in list(codes.items())[:limit])


def render(figures: dict, settings: str = "") -> str:
    lines = [f"Last `make soak` run: {dt.date.today().isoformat()}{settings}.", "", "| figure | value |", "|---|---|"]
    payloads = figures.get("socketio_payloads", {})
    total = figures.get("socketio_payloads_total", 0)
    lines.append(f"| Socket.IO payloads tried | {total:,} over {len(payloads)} events (every registered event and an "
                 f"unknown one), {min(payloads.values(), default=0):,} … {max(payloads.values(), default=0):,} per event |")
    accepted = figures.get("socketio_accepted", {})
    lines.append(f"| … answered with a refusal code | {sum(figures.get('socketio_refusal_codes', {}).values()):,}: "
                 f"{_codes(figures.get('socketio_refusal_codes', {}))} |")
    lines.append("| … accepted | " + (", ".join(f"`{e}` {n} (a seated player's own dilemma, well-formed by chance; "
                                                 "checked payload by payload)" for e, n in accepted.items()) or "0")
                 + "; the rest were read-only requests answered with data |")
    lines.append(f"| HTTP requests tried | {figures.get('http_requests', 0):,} over {figures.get('http_routes', 0)} "
                 f"routes × methods; statuses: " + ", ".join(f"{k}: {v:,}" for k, v in figures.get("http_statuses", {}).items())
                 + f"; POSTs answered with a redirect (logout, language, a form valid by chance): "
                 f"{figures.get('http_accepted_posts', 0)} |")
    lines.append("| server exceptions / 5xx / database changed by a refused message | 0 / 0 / 0 (any one fails the run) |")
    kill = figures.get("sigkill")
    if kill:
        timer = "; ".join(f"deadline kept, vote closed {t['late_by_s']} s after max(deadline, restart)"
                          for t in kill.get("timer_checks", []))
        lines.append(f"| SIGKILL mid-round, restart on the same database | {kill['faults_injected']} kill(s); acknowledged → stored: "
                     f"votes {kill['votes_acknowledged']} → {kill['votes_stored']}, arguments {kill['arguments_acknowledged']} → "
                     f"{kill['arguments_stored']}, decisions {kill['decisions_acknowledged']} → {kill['decisions_stored']}; "
                     f"{kill['reconnects']} reconnects, every tablet back on its own seat; {kill['resent_after_restart']} "
                     f"actions resent, none stored twice; timer: {timer or 'n/a'} |")
    for key, label in (("postgres_faults", "PostgreSQL connections dropped"), ("redis_restart", "Redis restarted (2 processes)")):
        f = figures.get(key)
        if f:
            lines.append(f"| {label} | {f['faults_injected']} fault(s); votes acknowledged {f['votes_acknowledged']}, "
                         f"stored {f['votes_stored']} |")
    flood = figures.get("flood")
    if flood:
        cut = "; then the server disconnected it" if flood.get("flooder_disconnected") else ""
        lines.append(f"| flood: one client emitting as fast as it can | {flood['events_sent']:,} emitted in {flood['seconds']} s "
                     f"({flood['events_per_second']:,}/s); of what reached the server {flood['refused_rate_limited']:,} were "
                     f"refused `rate/limited` before any database work and {flood['reached_the_rules']} reached the rules{cut} |")
        lines.append(f"| flood: another room's get_state | p50 {flood['other_room_p50_ms_before']} ms before, "
                     f"p50 {flood['other_room_p50_ms_during']} ms / p95 {flood.get('other_room_p95_ms_during', '?')} ms during |")
    return "\n".join(lines)


def main(doc: str, data: str, settings: str = "") -> None:
    path, figures = Path(doc), json.loads(Path(data).read_text())
    text = path.read_text()
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{render(figures, settings)}\n{END}{tail}")
    print(render(figures, settings))


if __name__ == "__main__":
    main(*sys.argv[1:4])
