"""The benchmark's report writing (docs/benchmarks.md sections) and profile summaries (fast, no server)."""
from __future__ import annotations

import json

import pytest

from benchmarks import document
from benchmarks.profile import frame_name, parse_collapsed, summarize


def _run(kind: str, players: int, p99: float, **extra) -> dict:
    run = {
        "server": kind, "async_mode": "gevent", "players": players, "rooms": 3, "teams": players // 20, "team_size": 20,
        "window_s": 10.0, "rounds": 10, "reveal_ms": {"p50": p99 / 4, "p95": p99 / 2, "p99": p99},
        "ack_ms": {"p50": 3.0, "p99": 20.0}, "held": players, "connected": players, "dropped": 0, "errors": 0,
        "votes_per_s_avg": 95.5, "server_cpu_mean_pct": 60.0, "server_cpu_ms_per_vote": 5.5, "rss_mb": 180.0,
        "rss_kb_per_player": 90.0, "generator_cpu_mean_pct": 30.0, "other_cpu_mean_pct": 2.0, "missing_reveals": 0,
        "processes": 1,
    }
    run.update(extra)
    return run


def _results(app_p99: float, bare_p99: float, app_max: float, bare_max: float, pdf_s: float) -> dict:
    stress_step = {"offered_votes_per_s": 200.0, "votes_per_s_sustained": 199.0, "ack_ms": {"p99": 40.0}, "saturated": False}
    results = {
        "machine": {"cpus": 2, "python": "3.11.7", "platform": "Linux", "load_average_at_start": [0.1, 0.1, 0.1]},
        "started": "2026-11-23 12:00:00", "seconds": 900.0, "load_average_at_end": [1.0, 1.0, 1.0], "full": False,
        "settings": {"window": 10.0, "rounds": 10},
        "realistic": {"app/gevent/1000": _run("app", 1000, app_p99), "bare/gevent/1000": _run("bare", 1000, bare_p99)},
        "stress": {"app/gevent": {"server": "app", "async_mode": "gevent", "steps": [stress_step], "votes_per_s_max": app_max,
                                  "saturated_at_offered": 400.0},
                   "bare/gevent": {"server": "bare", "async_mode": "gevent", "steps": [stress_step], "votes_per_s_max": bare_max,
                                   "saturated_at_offered": None}},
        "scaleout": {}, "report": {"html_render_s": 0.4, "pdf_render_s": pdf_s - 0.5, "pdf_end_to_end_s": pdf_s},
    }
    pytest.importorskip("psutil")  # benchmarks.run needs the `bench` extra
    from benchmarks.run import headline

    results["headline"] = headline(results, 1000)
    return results


def test_headline_has_the_fields_the_issue_asks_for_and_the_ratios():
    line = _results(200.0, 100.0, 300.0, 800.0, 3.0)["headline"]
    for key in ("players", "rooms", "load", "p50_ms", "p99_ms", "bare_p50_ms", "bare_p99_ms", "ratio_p99",
                "votes_per_s_max", "bare_votes_per_s_max", "rss_mb", "async_mode"):
        assert key in line, key
    assert line["ratio_p99"] == 2.0 and line["ratio_votes_per_s"] == 0.38
    assert line["load"] == "realistic" and line["players"] == 1000
    json.dumps(line)  # one JSON object on the last line


def test_targets_say_which_goals_are_met_and_which_are_not():
    met = "\n".join(document.targets(_results(200.0, 150.0, 500.0, 800.0, 3.0)))
    assert met.count("| yes |") == 6 and "**no**" not in met  # CPU per vote app/bare 5.5 / 5.5 ms among them
    missed = "\n".join(document.targets(_results(300.0, 100.0, 300.0, 800.0, 6.0)))
    assert "| 300 ms | **no** |" in missed            # p99 over 250 ms
    assert "3.0 (300 / 100 ms) | **no** |" in missed   # ratio over 1.5
    assert "300 vs 800 votes/s | **no** |" in missed  # below half the bare server
    assert "6.00 s | **no** |" in missed               # PDF over 5 s


def test_the_issue_18_targets_cpu_per_vote_2000_players_pdf_again_and_the_cli():
    results = _results(200.0, 150.0, 500.0, 800.0, 3.0)
    results["realistic"]["app/gevent/1000"]["server_cpu_ms_per_vote"] = 6.0
    results["realistic"]["bare/gevent/1000"]["server_cpu_ms_per_vote"] = 2.0
    results["realistic"]["app/gevent/2000"] = _run("app", 2000, 328.0)
    results["realistic"]["bare/gevent/2000"] = _run("bare", 2000, 251.0)
    results["report"]["pdf_served_again_s"] = 0.46
    results["cli"] = {"cli_help_s": 0.17, "cli_report_help_s": 0.18}
    from benchmarks.run import headline

    results["headline"] = line = headline(results, 1000)
    assert line["ratio_cpu_per_vote"] == 3.0 and line["big_p99_ms"] == 328.0 and line["cli_help_s"] == 0.17
    rows = "\n".join(document.targets(results))
    assert "| server CPU per vote app/bare ≤ 1.5 | 3.0 (6.00 / 2.00 ms) | **no** |" in rows
    assert "| 2,000 players on one process (realistic): held, p99 < 250 ms | 2,000 held, 0 errors, p99 328 ms (bare 251 ms) | **no** |" in rows
    assert "kept file) < 0.5 s | 0.46 s | yes |" in rows
    assert "| `inzetspel --help` < 1 s | 0.17 s (`report --help` 0.18 s) | yes |" in rows


def test_section_lists_every_run_and_the_stress_series():
    text = document.section(_results(200.0, 150.0, 500.0, 800.0, 3.0), document.DOC.parent / "benchmarks" / "results.json")
    assert "| app | gevent | 1,000 |" in text and "| bare | gevent | 1,000 |" in text
    assert "50 / 100 / 200 | 3.0 / 20 |" in text  # reveal p50/p95/p99 and ack p50/p99 of the app
    assert "**500**" in text and "not reached" in text
    assert "`benchmarks/results.json`" in text


def test_figures_replace_only_what_lies_between_the_markers(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Title\nmethod\n<!-- bench:figures:start -->\nold\n<!-- bench:figures:end -->\nfindings\n"
                   "<!-- bench:full:start -->\nkeep\n<!-- bench:full:end -->\n")
    results_path = tmp_path / "results.json"
    results_path.write_text(json.dumps(_results(200.0, 150.0, 500.0, 800.0, 3.0)))
    document.update(results_path, doc)
    text = doc.read_text()
    assert text.startswith("# Title\nmethod\n<!-- bench:figures:start -->\nMeasured 2026-11-23")
    assert "old" not in text and "findings\n<!-- bench:full:start -->\nkeep\n" in text
    document.update(results_path, doc)  # idempotent: the markers survive a second run
    assert doc.read_text() == text


def test_a_document_without_markers_is_refused(tmp_path):
    with pytest.raises(ValueError):
        document.replace_between("no markers here", "figures", "x")


def test_profile_frames_are_named_by_package_path_and_function():
    assert frame_name("execute (/x/.venv/lib/python3.11/site-packages/sqlalchemy/orm/session.py:2300)") == \
        "sqlalchemy/orm/session.py:execute"
    assert frame_name("cast_vote (/work/main/game/play/turns.py:140)") == "game/play/turns.py:cast_vote"


def test_profile_summary_counts_self_and_inclusive_samples():
    stacks = parse_collapsed([
        "run (/w/game/live/events.py:1);cast_vote (/w/game/play/turns.py:2);execute (/v/site-packages/sqlalchemy/x.py:3) 6",
        "run (/w/game/live/events.py:1);cast_vote (/w/game/play/turns.py:2) 2",
        "run (/w/game/live/events.py:1);draw (/w/game/play/turns.py:9) 2",
        "garbage line",
    ])
    summary = summarize(stacks)
    assert summary["samples"] == 10
    own = {r["function"]: r["pct_of_busy"] for r in summary["self"]}
    assert own == {"sqlalchemy/x.py:execute": 60.0, "game/play/turns.py:cast_vote": 20.0, "game/play/turns.py:draw": 20.0}
    inclusive = {r["function"]: r["pct_of_busy"] for r in summary["inclusive_game"]}
    assert inclusive["game/live/events.py:run"] == 100.0 and inclusive["game/play/turns.py:cast_vote"] == 80.0
