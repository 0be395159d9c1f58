"""Figures for docs/benchmarks.md from the runner's results (docs/benchmarks/results[-full].json).

    python -m benchmarks.plot [RESULTS.json ...]     # writes the PNGs beside each results file
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks"
COLOURS = {"app": "#c0392b", "bare": "#2c3e50", "bare-voted": "#2980b9"}  # bare-voted: the fair floor
_out_dir = OUT  # where _save writes: beside the results file being plotted


def _save(fig, name: str) -> Path:  # noqa: ANN001
    path = _out_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def scaling(results: dict) -> Path | None:
    """Vote -> reveal p50/p99 and RSS per player against players (realistic load, gevent)."""
    series: dict[str, list[tuple[int, dict]]] = {}
    for key, r in results["realistic"].items():
        kind, mode, players = key.split("/")
        if mode == "gevent":
            series.setdefault(kind, []).append((int(players), r))
    if not series:
        return None
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    for kind, points in series.items():
        points.sort()
        xs = [p for p, _ in points]
        for q, style in (("p50", ":"), ("p95", "--"), ("p99", "-")):
            ax1.plot(xs, [r["reveal_ms"][q] for _, r in points], style, marker="o", color=COLOURS[kind],
                     label=f"{kind} {q}")
        ax2.plot(xs, [r["rss_kb_per_player"] for _, r in points], marker="o", color=COLOURS[kind], label=kind)
    ax1.axhline(250, color="grey", lw=0.8)
    ax1.set(xlabel="players (teams of 20)", ylabel="vote → reveal (ms)", title="Realistic load: vote → reveal latency")
    ax1.legend(fontsize=8)
    ax2.set(xlabel="players", ylabel="KB per connected player", title="Server RSS growth per player")
    ax2.legend(fontsize=8)
    return _save(fig, "scaling.png")


def stress(results: dict) -> Path | None:
    """Offered vs sustained votes/s and ack p99 per stress step."""
    if not results.get("stress"):
        return None
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    for key, s in results["stress"].items():
        kind, mode = key.split("/")
        offered = [st["offered_votes_per_s"] for st in s["steps"]]
        style = "-" if mode == "gevent" else "--"
        ax1.plot(offered, [st["votes_per_s_sustained"] for st in s["steps"]], style, marker="o",
                 color=COLOURS[kind], label=f"{kind} ({mode})")
        ax2.plot(offered, [st["ack_ms"]["p99"] for st in s["steps"]], style, marker="o", color=COLOURS[kind],
                 label=f"{kind} ({mode})")
    top = max(st["offered_votes_per_s"] for s in results["stress"].values() for st in s["steps"])
    ax1.plot([0, top], [0, top], color="grey", lw=0.8)
    ax1.set(xlabel="offered votes/s (1 s windows)", ylabel="sustained votes/s", title="Stress: throughput")
    ax2.axhline(500, color="grey", lw=0.8)
    ax2.set_yscale("log")
    ax2.set(xlabel="offered votes/s", ylabel="vote ack p99 (ms)", title="Stress: ack latency (limit 500 ms)")
    ax1.legend(fontsize=8)
    ax2.legend(fontsize=8)
    return _save(fig, "stress.png")


def timeline(results: dict, players: int) -> Path | None:
    """Server CPU and RSS, generator CPU and other processes' CPU during the realistic runs."""
    runs = [(k, r) for k, r in results["realistic"].items() if k.endswith(f"/gevent/{players}") and r.get("samples")]
    if not runs:
        return None
    fig, axes = plt.subplots(1, len(runs), figsize=(5.5 * len(runs), 3.8), squeeze=False)
    for ax, (key, r) in zip(axes[0], runs):
        t = [s["t"] for s in r["samples"]]
        ax.plot(t, [s["server_cpu"] for s in r["samples"]], color=COLOURS[r["server"]], label="server CPU %")
        ax.plot(t, [s.get("generator_cpu", 0) for s in r["samples"]], color="#27ae60", label="generator CPU %")
        ax.plot(t, [s.get("other_cpu", 0) for s in r["samples"]], color="#95a5a6", lw=0.8, label="other processes CPU %")
        ax.set(xlabel="seconds", ylabel="CPU % (100 = one core)", title=f"{key}: {r['held']}/{r['players']} held")
        ax.set_ylim(0, 200)
        twin = ax.twinx()
        twin.plot(t, [s["rss_mb"] for s in r["samples"]], color="#8e44ad", ls="--", label="server RSS MB")
        twin.set_ylabel("RSS (MB)")
        lines = ax.get_legend_handles_labels()
        more = twin.get_legend_handles_labels()
        ax.legend(lines[0] + more[0], lines[1] + more[1], fontsize=7, loc="upper left")
    return _save(fig, "timeline.png")


def cdf(results: dict, players: int) -> Path | None:
    """Distribution of vote -> reveal and vote ack latency, app vs bare, every async mode measured."""
    runs = [(k, r) for k, r in results["realistic"].items() if k.endswith(f"/{players}") and r.get("reveal_cdf_ms")]
    if not runs:
        return None
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    qs = list(range(0, 101))
    for key, r in runs:
        kind, mode, _ = key.split("/")
        style = {"gevent": "-", "eventlet": "--", "threading": ":"}[mode]
        ax1.plot(r["reveal_cdf_ms"], qs, style, color=COLOURS[kind], label=f"{kind} {mode}")
        ax2.plot(r["ack_cdf_ms"], qs, style, color=COLOURS[kind], label=f"{kind} {mode}")
    for ax, what in ((ax1, "vote → reveal"), (ax2, "vote ack")):
        ax.set_xscale("log")
        ax.set(xlabel=f"{what} (ms, log)", ylabel="percentile", title=f"{players} players, realistic: {what}")
        ax.axhline(99, color="grey", lw=0.6)
        ax.legend(fontsize=8)
    return _save(fig, "latency-cdf.png")


def main(argv: list[str] | None = None) -> None:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])] or \
        [p for p in (OUT / "results.json", OUT / "results-full.json") if p.exists()]
    global _out_dir
    for path in paths:
        results = json.loads(path.read_text())
        _out_dir = path.parent
        suffix = "-full" if "full" in path.stem else ""
        players = (results.get("settings") or {}).get("players") or int(next(iter(results["realistic"])).split("/")[2])
        made = []
        for fn in (scaling, stress):
            made.append(fn(results))
        made += [timeline(results, players), cdf(results, players)]
        for p in made:
            if p is not None and suffix:
                p.rename(p.with_name(p.stem + suffix + p.suffix))
        print(f"{path}: " + ", ".join(str(p.with_name(p.stem + suffix + p.suffix).name) for p in made if p), file=sys.stderr)


if __name__ == "__main__":
    main()
