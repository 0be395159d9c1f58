"""Write a benchmark run's figures into docs/benchmarks.md, between its markers.

    python -m benchmarks.document docs/benchmarks/results.json        # after `make bench` (run.py does this)

`make bench` fills the section between `<!-- bench:figures:start -->` and `<!-- bench:figures:end -->`,
`make bench-full` the one between `<!-- bench:full:start -->` and `<!-- bench:full:end -->`; the text
around them (method, findings) is written by hand and left alone.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
TARGET_P99_MS, TARGET_RATIO, TARGET_PDF_S = 250.0, 1.5, 5.0
TARGET_PDF_AGAIN_S, TARGET_CLI_S = 0.5, 1.0  # issue 18: a kept PDF served again; `inzetspel --help`


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _num(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _yes(ok: bool | None) -> str:
    return "–" if ok is None else ("yes" if ok else "**no**")


def realistic_table(results: dict) -> list[str]:
    rows = ["| server | async mode | players | rooms | vote→reveal p50 / p95 / p99 ms | vote ack p50 / p99 ms | "
            "held / connected | errors | votes/s | server CPU % | server CPU ms per vote | RSS MB | KB per player | generator CPU % | other CPU % |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for key in sorted(results["realistic"], key=lambda k: (int(k.split("/")[2]), k.split("/")[1], k.split("/")[0])):
        r = results["realistic"][key]
        rm, am = r["reveal_ms"], r["ack_ms"]
        rows.append(
            f"| {r['server']} | {r['async_mode']} | {r['players']:,} | {r['rooms']} | {_ms(rm['p50'])} / {_ms(rm['p95'])} / "
            f"{_ms(rm['p99'])} | {_ms(am['p50'])} / {_ms(am['p99'])} | {r['held']:,} / {r['connected']:,} | {r['errors']} | "
            f"{_num(r['votes_per_s_avg'], 1)} | {_num(r['server_cpu_mean_pct'])} | {_num(r.get('server_cpu_ms_per_vote'), 2)} | "
            f"{_num(r['rss_mb'])} | "
            f"{_num(r['rss_kb_per_player'])} | {_num(r['generator_cpu_mean_pct'])} | {_num(r['other_cpu_mean_pct'])} |")
    return rows


def stress_table(results: dict) -> list[str]:
    if not results.get("stress"):
        return []
    rows = ["| server | async mode | most votes/s sustained (p99 ack < 500 ms, no errors) | saturated at offered votes/s | "
            "steps (offered → sustained, ack p99 ms) |", "|---|---|--:|--:|---|"]
    for key, s in results["stress"].items():
        steps = ", ".join(f"{_num(st['offered_votes_per_s'])}→{_num(st['votes_per_s_sustained'])} "
                          f"({_ms(st['ack_ms']['p99'])}{'*' if st['saturated'] else ''})" for st in s["steps"])
        saturated_at = _num(s["saturated_at_offered"]) if s["saturated_at_offered"] else "not reached"
        rows.append(f"| {s['server']} | {s['async_mode']} | **{_num(s['votes_per_s_max'])}** | {saturated_at} | {steps} |")
    rows.append("")
    rows.append("`*` = the step that saturated (p99 ack over 500 ms, an error, a dropped player or a missing reveal).")
    return rows


def scaleout_table(results: dict) -> list[str]:
    scale = results.get("scaleout") or {}
    if not scale:
        return []
    if "skipped" in scale:
        return [f"Scale-out not measured: {scale['skipped']}"]
    rows = ["| set-up | processes | players | vote→reveal p50 / p95 / p99 ms | vote ack p99 ms | held / connected | errors | "
            "missing reveals | server CPU % (sum) | server CPU ms per vote | RSS MB (sum) |", "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for label, r in scale.items():
        if "error" in r:
            rows.append(f"| {label} | – | – | failed: {r['error'][:120]} | | | | | | | |")
            continue
        rm = r["reveal_ms"]
        rows.append(f"| {label} | {r['processes']} | {r['players']:,} | {_ms(rm['p50'])} / {_ms(rm['p95'])} / {_ms(rm['p99'])} | "
                    f"{_ms(r['ack_ms']['p99'])} | {r['held']:,} / {r['connected']:,} | {r['errors']} | {r['missing_reveals']} | "
                    f"{_num(r['server_cpu_mean_pct'])} | {_num(r.get('server_cpu_ms_per_vote'), 2)} | {_num(r['rss_mb'])} |")
    return rows


def targets(results: dict) -> list[str]:
    h = results.get("headline")
    if not h:
        return []
    report = results.get("report") or {}
    pdf = report.get("pdf_end_to_end_s", report.get("pdf_render_s"))
    half = h["bare_votes_per_s_max"] / 2 if h.get("bare_votes_per_s_max") else None
    rows = ["| target (this machine) | measured | met |", "|---|---|---|",
            f"| vote→reveal p99 < {TARGET_P99_MS:.0f} ms at {h['players']:,} players (realistic) | {_ms(h['p99_ms'])} ms | "
            f"{_yes(h['p99_ms'] is not None and h['p99_ms'] < TARGET_P99_MS)} |",
            f"| app/bare p99 ratio ≤ {TARGET_RATIO} | {h['ratio_p99'] if h['ratio_p99'] is not None else '–'} "
            f"({_ms(h['p99_ms'])} / {_ms(h['bare_p99_ms'])} ms) | "
            f"{_yes(None if h['ratio_p99'] is None else h['ratio_p99'] <= TARGET_RATIO)} |",
            f"| server CPU per vote app/bare ≤ {TARGET_RATIO} | {h.get('ratio_cpu_per_vote', '–')} "
            f"({_num(h.get('cpu_ms_per_vote'), 2)} / {_num(h.get('bare_cpu_ms_per_vote'), 2)} ms) | "
            f"{_yes(None if h.get('ratio_cpu_per_vote') is None else h['ratio_cpu_per_vote'] <= TARGET_RATIO)} |",
            *_fair_rows(h),
            f"| no player dropped | {h['held']:,} held of {h['connected']:,} connected, {h['errors']} errors | "
            f"{_yes(h['dropped'] == 0 and h['held'] == h['players'])} |",
            *_big_rows(h),
            f"| stress saturation ≥ half the bare server's | {_num(h['votes_per_s_max'])} vs {_num(h['bare_votes_per_s_max'])} "
            f"votes/s | {_yes(None if half is None or h['votes_per_s_max'] is None else h['votes_per_s_max'] >= half)} |",
            f"| PDF report, 40 cards × 200 players < {TARGET_PDF_S:.0f} s | {_num(pdf, 2)} s | "
            f"{_yes(None if pdf is None else pdf < TARGET_PDF_S)} |"]
    again = report.get("pdf_served_again_s")
    if again is not None:
        rows.append(f"| the same PDF served again (load + aggregate + kept file) < {TARGET_PDF_AGAIN_S} s | {again:.2f} s | "
                    f"{_yes(again < TARGET_PDF_AGAIN_S)} |")
    if h.get("cli_help_s") is not None:
        rows.append(f"| `inzetspel --help` < {TARGET_CLI_S:.0f} s | {h['cli_help_s']:.2f} s (`report --help` "
                    f"{h.get('cli_report_help_s', 0):.2f} s) | {_yes(h['cli_help_s'] < TARGET_CLI_S)} |")
    return rows


def _big_rows(h: dict) -> list[str]:
    """The 2,000-player run of the quick bench (issue 18), when it ran."""
    if not h.get("big_players"):
        return []
    met = h["big_held"] == h["big_players"] and h["big_errors"] == 0 and h["big_p99_ms"] < TARGET_P99_MS
    return [f"| {h['big_players']:,} players on one process (realistic): held, p99 < {TARGET_P99_MS:.0f} ms | "
            f"{h['big_held']:,} held, {h['big_errors']} errors, p99 {_ms(h['big_p99_ms'])} ms "
            f"(bare {_ms(h.get('big_bare_p99_ms'))} ms) | {_yes(met)} |"]


def _fair_rows(h: dict) -> list[str]:
    """The fair floor (bare + who-has-voted): what the game adds on top of the feature. No target of its own."""
    if h.get("ratio_p99_fair") is None:
        return []
    rows = [f"| app / fair floor (bare + who-has-voted) p99, for orientation | {h['ratio_p99_fair']} "
            f"({_ms(h['p99_ms'])} / {_ms(h['fair_p99_ms'])} ms) | – |"]
    if h.get("ratio_cpu_per_vote_fair") is not None:
        rows.append(f"| server CPU per vote app / bare / fair floor, for orientation | {_num(h['cpu_ms_per_vote'], 2)} / "
                    f"{_num(h['bare_cpu_ms_per_vote'], 2)} / {_num(h['fair_cpu_ms_per_vote'], 2)} ms "
                    f"(app/bare {h['ratio_cpu_per_vote']}, app/fair {h['ratio_cpu_per_vote_fair']}) | – |")
    return rows


def report_lines(results: dict) -> list[str]:
    report = results.get("report")
    if not report:
        return []
    keys = [("html_render_s", "HTML render"), ("pdf_render_s", "PDF render"), ("pdf_end_to_end_s", "PDF end to end (load + aggregate + render)"),
            ("pdf_served_again_s", "the same PDF served again (load + aggregate + kept file)")]
    found = [f"{label}: {report[key]:.2f} s" for key, label in keys if key in report]
    return ["Report of a 40-card, 200-player room (benchmarks/report_bench.py, wall clock): " + "; ".join(found) + "."] if found else []


def section(results: dict, results_path: Path) -> str:
    m = results["machine"]
    start_load = m.get("load_average_at_start")
    rel = results_path.resolve().relative_to(DOC.parent.resolve()) if results_path.resolve().is_relative_to(DOC.parent.resolve()) else results_path
    suffix = "-full" if results.get("full") else ""
    lines = [
        f"Measured {results['started']} by `{'make bench-full' if results.get('full') else 'make bench'}` "
        f"({results['seconds'] / 60:.0f} min) on {m['cpus']} CPUs, Python {m['python']}, {m['platform']}; "
        f"load average at start {start_load}, at end {results.get('load_average_at_end')} "
        f"(the 'other CPU %' column is everything else on the machine during each run). Raw data: `{rel}`.", "",
    ]
    if results.get("headline"):
        lines += ["Last line of the run:", "", "```json", json.dumps(results["headline"]), "```", ""]
        lines += targets(results) + [""]
    lines += ["Realistic load (every player votes once at a random moment of a "
              f"{results['settings']['window']:.0f} s window, {results['settings']['rounds']} rounds; "
              "the eventlet/threading rows of `make bench` play fewer rounds):", ""]
    lines += realistic_table(results) + [""]
    stress = stress_table(results)
    if stress:
        lines += ["Stress (all teams vote in the same window, shrinking; 3 rounds per step):", ""] + stress + [""]
    scale = scaleout_table(results)
    if scale:
        lines += ["Scale-out (PostgreSQL; then two processes with Redis, every team split over both; both processes "
                  "pinned to the server core):", ""] + scale + [""]
    lines += report_lines(results)
    images = [(f"benchmarks/scaling{suffix}.png", "vote→reveal latency and RSS per player against players"),
              (f"benchmarks/latency-cdf{suffix}.png", "latency distributions"),
              (f"benchmarks/stress{suffix}.png", "stress: offered vs sustained votes/s, ack p99"),
              (f"benchmarks/timeline{suffix}.png", "CPU and RSS over the realistic runs")]
    lines += [""] + [f"![{alt}]({path})" for path, alt in images if (DOC.parent / path).exists()]
    return "\n".join(lines).rstrip() + "\n"


def replace_between(text: str, name: str, body: str) -> str:
    """Replace what lies between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise ValueError(f"{DOC.name} has no {start} … {end} markers")
    return pattern.sub(lambda _m: f"{start}\n{body}{end}", text, count=1)


def update(results_path: Path, doc: Path = DOC) -> None:
    results = json.loads(Path(results_path).read_text())
    text = doc.read_text()
    doc.write_text(replace_between(text, "full" if results.get("full") else "figures", section(results, Path(results_path))))


if __name__ == "__main__":
    update(Path(sys.argv[1]))
