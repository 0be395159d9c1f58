"""Benchmark runner: the game and the bare Flask-SocketIO server under the same load, side by side.

    python -m benchmarks.run            # `make bench`: 1,000 players, realistic + stress + async modes
    python -m benchmarks.run --full     # `make bench-full`: + scaling series, all modes for both, 2 processes + Redis
    python -m benchmarks.run --players 100 --rounds 2 --window 3 --out /tmp/try.json   # a quick try

Three servers: the game ("app"), the bare floor ("bare": counts votes, reveals) and the fair floor
("bare-voted": the bare server that also tells the team who has voted, as the game does, coalesced
per --voted-tick like game/live/coalesce.py). bare -> bare-voted is what the feature costs,
bare-voted -> app what the game adds on top.

The server runs on core 0 and the load generator (benchmarks/loadgen.py) on core 1 (`taskset`).
Every realistic run gets a fresh server and a fresh SQLite database; a stress series shares one
server and raises the offered votes/s step by step until it saturates (p99 ack > 500 ms, an error,
a dropped player or a missing reveal). psutil samples the server's RSS and CPU, the generator's
CPU and everything else on the machine (a busy machine distorts the figures; they say so).

Results: docs/benchmarks/results[-full].json, plots beside it (benchmarks/plot.py), and the figures
section of docs/benchmarks.md rewritten (benchmarks/document.py). With --out elsewhere only that
file and its plots are written. The last line of stdout is one JSON object (the realistic run at
--players, with the ratios app/bare).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psutil
import requests

from benchmarks.profile import Recorder, format_summary
from benchmarks.stats import percentile, ratio, rooms_for, team_sizes

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SERVER_CORE, GENERATOR_CORE = "0", "1"
DECK = "talent-en-passie"
ACK_P99_LIMIT_MS = 500.0
BIG_PLAYERS = 2000  # issue 18: held on one process with vote→reveal p99 under 250 ms
RESULTS_DIR = ROOT / "docs" / "benchmarks"
# Start `inzetspel serve` from a given source tree (default: this one), for before/after comparisons.
LAUNCH = "import sys; sys.argv[0] = 'inzetspel'; from game.launch import main; main()"
# (players, window s): offered votes/s = players / window. Raised until the server saturates.
STRESS_STEPS = [(100, 1.0), (200, 1.0), (400, 1.0), (600, 1.0), (800, 1.0), (1000, 1.0), (1000, 0.67), (1000, 0.5),
                (1000, 0.33), (1000, 0.25)]
# The rooms the benchmark plays: `inzetspel rooms create` defaults (second vote and predictions on,
# points on, no timers), which is what a facilitator gets without changing anything. The bots vote
# with a prediction and go from the discussion straight to the decision (the second vote is optional).
ROOM_OPTIONS: list[str] = []
# Every simulated tablet connects from 127.0.0.1, where a real room's come from one venue each: the
# per-address limits of game/live/gate.py (sized for 60 tablets behind one NAT: 120 handshakes at once,
# 30 events/s) would refuse most of 1,000 players and throttle their votes. The per-connection limits stay.
PER_ADDRESS_LIMITS = {"HANDSHAKES_PER_SECOND": "100000", "HANDSHAKE_BURST": "100000",
                      "EVENTS_PER_SECOND_PER_ADDRESS": "100000", "EVENTS_BURST_PER_ADDRESS": "100000"}
KINDS = ("app", "bare", "bare-voted")
VOTED_TICK = 0.05  # the game's VOTED_COALESCE_SECONDS (game/live/broadcast.py): the fair floor ticks alike


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pinned(core: str, cmd: list[str]) -> list[str]:
    return ["taskset", "-c", core, *cmd] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else cmd


class Server:
    """`inzetspel serve` (kind "app") or benchmarks/bare_server.py (kind "bare"), pinned to core 0."""

    def __init__(self, kind: str, mode: str, workdir: Path, app_root: Path, db_url: str | None = None,
                 message_queue: str = "", channel: str = "", voted_tick: float = VOTED_TICK):
        self.kind, self.mode, self.workdir, self.app_root = kind, mode, workdir, app_root
        self.voted_tick = voted_tick
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_url = db_url or f"sqlite:///{workdir / 'game.db'}"
        self.env = {**os.environ, "DATABASE_URL": self.db_url, "SECRET_KEY": "benchmark", "DECKS_DIR": str(ROOT / "decks"),
                    "PYTHONPATH": str(app_root), "MESSAGE_QUEUE": message_queue, "LOG_LEVEL": "WARNING",
                    **PER_ADDRESS_LIMITS}
        self.env.pop("ASYNC_MODE", None)
        if channel:
            self.env["MESSAGE_QUEUE_CHANNEL"] = channel
        self.proc: subprocess.Popen | None = None
        self.log_path = workdir / f"{kind}-{mode}-{self.port}.log"

    def start(self) -> Server:
        if self.kind == "app":
            cmd = [PY, "-c", LAUNCH, "serve", "--port", str(self.port), "--async-mode", self.mode]
            cwd, env = self.app_root, dict(self.env)
        else:
            cmd = [PY, "-m", "benchmarks.bare_server", "--port", str(self.port), "--async-mode", self.mode]
            if self.kind == "bare-voted":
                cmd += ["--voted", "--voted-tick", str(self.voted_tick)]
            cwd, env = ROOT, {**self.env, "PYTHONPATH": str(ROOT)}
        with open(self.log_path, "w") as log_file:
            self.proc = subprocess.Popen(pinned(SERVER_CORE, cmd), env=env, cwd=cwd, stdout=log_file,
                                         stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} server exited:\n{self.log_path.read_text()[-2000:]}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"{self.kind} server did not start:\n{self.log_path.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def rooms(self, players: int, team_size: int, cards: int, tag: str) -> list[str]:
        """CODE:TEAMS per room: created with `inzetspel rooms create` (game) or invented (bare)."""
        teams = len(team_sizes(players, team_size))
        specs = []
        for i, count in enumerate(rooms_for(teams)):
            if self.kind.startswith("bare"):
                specs.append(f"{tag}{i}:{count}")
                continue
            out = subprocess.run([PY, "-c", LAUNCH, "rooms", "create", "--deck", DECK, "--teams", str(count),
                                  "--cards", str(cards), *ROOM_OPTIONS], env=self.env, cwd=self.app_root,
                                 capture_output=True, text=True, timeout=120)
            if out.returncode != 0:
                raise RuntimeError(f"rooms create failed: {out.stderr[-1500:]}")
            specs.append(f"{out.stdout.strip().splitlines()[-1]}:{count}")
        return specs


class Sampler(threading.Thread):
    """psutil samples, twice a second: the servers' RSS and CPU (summed), the generator's CPU and
    the CPU of everything else on the machine."""

    def __init__(self, server_pids: list[int]):
        super().__init__(daemon=True)
        self.servers = [psutil.Process(pid) for pid in server_pids]
        self.generator: psutil.Process | None = None
        self.samples: list[dict] = []
        self.stopped = threading.Event()
        self.t0 = time.monotonic()

    def run(self) -> None:
        for proc in self.servers:
            proc.cpu_percent()
        psutil.cpu_percent(percpu=True)
        while not self.stopped.wait(0.5):
            try:
                sample = {"t": round(time.monotonic() - self.t0, 2),
                          "rss_mb": round(sum(p.memory_info().rss for p in self.servers) / 2**20, 1),
                          "server_cpu": round(sum(p.cpu_percent() for p in self.servers), 1)}
                if self.generator is not None:
                    sample["generator_cpu"] = self.generator.cpu_percent()
                # Other processes on this machine (the benchmark does not own it): busy % of all cores
                # minus ours. Anything well above 0 means the figures of this run are disturbed.
                busy = sum(psutil.cpu_percent(percpu=True))
                sample["other_cpu"] = round(max(0.0, busy - sample["server_cpu"] - sample.get("generator_cpu", 0.0)), 1)
                self.samples.append(sample)
            except psutil.Error:
                return

    def watch_generator(self, pid: int) -> None:
        try:
            self.generator = psutil.Process(pid)
            self.generator.cpu_percent()
        except psutil.Error:
            self.generator = None

    def stop(self) -> list[dict]:
        self.stopped.set()
        self.join(2)
        return self.samples


def run_load(servers: list[Server], players: int, window: float, rounds: int, *, sync: bool, args: argparse.Namespace,
             workdir: Path, tag: str, discuss: float, profile: Path | None = None) -> dict:
    """One generator run against running servers (players spread over them); the generator's
    summary plus the servers' figures."""
    first = servers[0]
    rooms = first.rooms(players, args.team_size, cards=max(rounds, 3), tag=tag)
    raw_path = workdir / f"{tag}.json"
    cmd = [PY, "-m", "benchmarks.loadgen", "--team-size", str(args.team_size), "--window", str(window),
           "--rounds", str(rounds), "--discuss", str(discuss), "--arguments", str(args.arguments), "--out", str(raw_path)]
    for server in servers:
        cmd += ["--url", server.url]
    for spec in rooms:
        cmd += ["--room", spec]
    if sync:
        cmd.append("--sync")
    rss_idle = sum(psutil.Process(s.proc.pid).memory_info().rss for s in servers)
    cpu_before = sum(_cpu_seconds(s.proc.pid) for s in servers)
    sampler = Sampler([s.proc.pid for s in servers])
    sampler.start()
    gen = subprocess.Popen(pinned(GENERATOR_CORE, cmd), cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler.watch_generator(gen.pid)
    recorder = Recorder(first.proc.pid, profile).start() if profile else None
    _, err = gen.communicate(timeout=3600)
    samples = sampler.stop()
    cpu_used = sum(_cpu_seconds(s.proc.pid) for s in servers) - cpu_before
    hot = recorder.stop() if recorder else None
    if gen.returncode != 0 or not raw_path.exists():
        raise RuntimeError(f"load generator failed ({gen.returncode}):\n{err[-3000:]}")
    result = json.loads(raw_path.read_text())
    raw = result.pop("_raw")
    rss_peak = max([s["rss_mb"] for s in samples] + [rss_idle / 2**20])
    busy = [s["server_cpu"] for s in samples]
    gen_cpu = [s["generator_cpu"] for s in samples if "generator_cpu" in s]
    result.update({
        "server": first.kind, "async_mode": first.mode, "processes": len(servers),
        "database": first.db_url.split(":", 1)[0].split("+", 1)[0], "message_queue": bool(first.env.get("MESSAGE_QUEUE")),
        "rss_idle_mb": round(rss_idle / 2**20, 1), "rss_mb": round(rss_peak, 1),
        "rss_kb_per_player": round((rss_peak - rss_idle / 2**20) * 1024 / max(1, result["connected"]), 1),
        "server_cpu_mean_pct": round(sum(busy) / len(busy), 1) if busy else None,
        "server_cpu_p95_pct": round(percentile(busy, 95), 1) if busy else None,
        # CPU seconds the servers used for the whole run (connecting, seating, every event) per vote:
        # unlike latency, hardly distorted by other processes competing for the cores.
        "server_cpu_s": round(cpu_used, 2),
        "server_cpu_ms_per_vote": round(1000 * cpu_used / result["votes_acked"], 3) if result["votes_acked"] else None,
        "generator_cpu_mean_pct": result["generator_cpu"]["mean_pct"],
        "generator_cpu_max_pct": max(gen_cpu, default=result["generator_cpu"]["max_pct"]),
        "generator_saturated": result["generator_cpu"]["mean_pct"] > 90,
        "other_cpu_mean_pct": round(sum(s["other_cpu"] for s in samples) / len(samples), 1) if samples else None,
        "load_average": round(os.getloadavg()[0], 2),
        "samples": samples,
        "reveal_cdf_ms": [round(percentile(raw["reveal_s"], q) * 1000, 2) for q in range(0, 101)] if raw["reveal_s"] else [],
        "ack_cdf_ms": [round(percentile(raw["ack_s"], q) * 1000, 2) for q in range(0, 101)] if raw["ack_s"] else [],
    })
    result["generator_cpu"].pop("samples", None)
    if hot is not None:
        result["profile"] = hot
        profile.with_suffix(".summary.txt").write_text(format_summary(hot) if "error" not in hot else hot["error"])
        log(f"profile: {profile} and {profile.with_suffix('.summary.txt')}")
    return result


def _cpu_seconds(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def brief(r: dict) -> str:
    return (f"{r['server']}/{r['async_mode']}{' x' + str(r['processes']) if r.get('processes', 1) > 1 else ''} "
            f"{r['players']}p w={r['window_s']}s: reveal p50/p95/p99 "
            f"{r['reveal_ms']['p50']}/{r['reveal_ms']['p95']}/{r['reveal_ms']['p99']} ms, ack p99 {r['ack_ms']['p99']} ms, "
            f"held {r['held']}/{r['players']}, errors {r['errors']}, {r['votes_per_s_sustained'] or r['votes_per_s_avg']} votes/s, "
            f"server CPU {r['server_cpu_mean_pct']}% ({r['server_cpu_ms_per_vote']} ms/vote), RSS {r['rss_mb']} MB ({r['rss_kb_per_player']} KB/player), "
            f"voted/vote {r.get('voted_per_vote')}, generator CPU {r['generator_cpu_mean_pct']}%, other processes {r['other_cpu_mean_pct']}% CPU")


def saturated(r: dict) -> bool:
    return ((r["ack_ms"]["p99"] or 0) > ACK_P99_LIMIT_MS or r["errors"] > 0 or r["dropped"] > 0
            or r["missing_reveals"] > 0 or r["seated"] < r["players"])


def _workdir(args: argparse.Namespace, name: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"bench-{name}-", dir=args.tmp))


def realistic(kind: str, mode: str, players: int, args: argparse.Namespace, rounds: int | None = None) -> dict:
    workdir = _workdir(args, f"{kind}-{mode}-{players}")
    server = Server(kind, mode, workdir, args.app_root if kind == "app" else ROOT, voted_tick=args.voted_tick).start()
    try:
        profile = None
        if args.profile and kind == "app":
            args.profile.mkdir(parents=True, exist_ok=True)
            profile = args.profile / f"app-{mode}-{players}.stacks.txt"
        result = run_load([server], players, args.window, rounds or args.rounds, sync=False, args=args,
                          workdir=workdir, tag=f"r{players}", discuss=args.discuss, profile=profile)
    finally:
        server.stop()
    result["load"] = "realistic"
    log(brief(result))
    return result


def stress(kind: str, mode: str, args: argparse.Namespace) -> dict:
    """Raise the offered votes/s until the server saturates; the most it sustained before that."""
    workdir = _workdir(args, f"stress-{kind}-{mode}")
    server = Server(kind, mode, workdir, args.app_root if kind == "app" else ROOT, voted_tick=args.voted_tick).start()
    steps = []
    try:
        for i, (players, window) in enumerate(STRESS_STEPS):
            if players > args.stress_max_players:
                break
            r = run_load([server], players, window, args.stress_rounds, sync=True, args=args, workdir=workdir,
                         tag=f"s{i}", discuss=0.0)
            r["load"], r["saturated"] = "stress", saturated(r)
            r.pop("samples")
            steps.append(r)
            log(f"stress step {i}: offered {r['offered_votes_per_s']}/s -> sustained {r['votes_per_s_sustained']}/s"
                f"{' SATURATED' if r['saturated'] else ''}; " + brief(r))
            if r["saturated"]:
                break
    finally:
        server.stop()
    ok = [s["votes_per_s_sustained"] or 0 for s in steps if not s["saturated"]]
    return {
        "server": kind, "async_mode": mode, "steps": steps,
        "votes_per_s_max": max(ok, default=0.0),
        "capacity_votes_per_s": max((s["votes_per_s_sustained"] or 0 for s in steps), default=0.0),
        "saturated_at_offered": next((s["offered_votes_per_s"] for s in steps if s["saturated"]), None),
        "never_saturated": bool(steps) and not any(s["saturated"] for s in steps),
        "generator_saturated": any(s["generator_saturated"] for s in steps),
    }


def _postgres_database(admin_url: str) -> tuple[str, str]:
    """A fresh, empty PostgreSQL database (the servers migrate it): (its URL, its name)."""
    import psycopg

    name = f"inzetspel_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}", name


def _drop_postgres_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scaleout(args: argparse.Namespace) -> dict:
    """The production set-up on this machine: PostgreSQL, then two processes sharing rooms through
    Redis (players of every team alternate between the processes). Both processes are pinned to the
    server core, like the single process, so this measures what the set-up costs, not what more
    cores would give; PostgreSQL and Redis run where the system puts them."""
    out: dict = {}
    for label, processes, queue in (("postgresql/1", 1, ""), ("postgresql+redis/2", 2, args.redis_url)):
        try:
            db_url, name = _postgres_database(args.postgres_url)
        except Exception as exc:  # noqa: BLE001  (no PostgreSQL here: say so, measure the rest)
            log(f"scale-out skipped: PostgreSQL at {args.postgres_url}: {exc}")
            return {"skipped": f"PostgreSQL not reachable: {exc}"}
        workdir = _workdir(args, f"scaleout-{processes}")
        channel = f"inzetspel-bench-{uuid.uuid4().hex[:8]}"
        servers: list[Server] = []
        try:
            for _ in range(processes):  # one after the other: the first migrates the new database
                servers.append(Server("app", "gevent", workdir, args.app_root, db_url=db_url, message_queue=queue,
                                      channel=channel).start())
            result = run_load(servers, args.players, args.window, args.rounds, sync=False, args=args, workdir=workdir,
                              tag=f"x{processes}", discuss=args.discuss)
            result["load"] = "realistic"
            out[label] = result
            log(f"scale-out {label}: " + brief(result))
        except Exception as exc:  # noqa: BLE001
            log(f"scale-out {label} failed: {exc}")
            out[label] = {"error": str(exc)[-1500:]}
        finally:
            for server in servers:
                server.stop()
            _drop_postgres_database(args.postgres_url, name)
    return out


def report_rendering() -> dict | None:
    """benchmarks/report_bench.py (the report's own benchmark: 40 cards, 200 players): its JSON
    last line, or the seconds read from its text lines."""
    if not (ROOT / "benchmarks" / "report_bench.py").exists():
        return None
    log("report rendering: benchmarks/report_bench.py --repeat 1")
    out = subprocess.run([PY, str(ROOT / "benchmarks" / "report_bench.py"), "--repeat", "1"], cwd=ROOT,
                         capture_output=True, text=True, timeout=900)
    lines = out.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        pass
    result: dict = {"returncode": out.returncode, "lines": lines[-12:]}
    for line in lines:
        found = re.search(r"render (html|pdf)\s+([\d.]+)\s+([\d.]+)", line)
        if found:
            result[f"{found.group(1)}_render_s"] = float(found.group(2))
            result[f"{found.group(1)}_render_cpu_s"] = float(found.group(3))
        found = re.search(r"PDF served again end to end.*?([\d.]+) s wall", line)
        if found:
            result["pdf_served_again_s"] = float(found.group(1))
        found = re.search(r"PDF end to end.*?([\d.]+) s wall, ([\d.]+) s CPU", line)
        if found:
            result["pdf_end_to_end_s"] = float(found.group(1))
            result["pdf_end_to_end_cpu_s"] = float(found.group(2))
    if out.returncode != 0:
        result["stderr"] = out.stderr[-500:]
    return result


def cli_startup(app_root: Path, repeat: int = 5) -> dict:
    """Wall seconds of `inzetspel --help` and `inzetspel report --help` (median of `repeat`): a command
    imports what it needs when it runs, so asking for help must not load Flask, WeasyPrint or the database."""
    found: dict = {}
    for label, argv in (("help", ["--help"]), ("report_help", ["report", "--help"])):
        walls = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run([PY, "-c", LAUNCH, *argv], cwd=app_root, capture_output=True, check=True, timeout=60)
            walls.append(time.perf_counter() - start)
        found[f"cli_{label}_s"] = round(statistics.median(walls), 3)
    log(f"inzetspel --help {found['cli_help_s']} s, inzetspel report --help {found['cli_report_help_s']} s")
    return found


def headline(results: dict, players: int) -> dict:
    app = results["realistic"][f"app/gevent/{players}"]
    bare = results["realistic"].get(f"bare/gevent/{players}")
    s_app, s_bare = results["stress"].get("app/gevent"), results["stress"].get("bare/gevent")
    fair, s_fair = results["realistic"].get(f"bare-voted/gevent/{players}"), results["stress"].get("bare-voted/gevent")
    line = {
        "players": app["players"], "rooms": app["rooms"], "teams": app["teams"], "team_size": app["team_size"],
        "load": "realistic", "window_s": app["window_s"], "rounds": app["rounds"],
        "p50_ms": app["reveal_ms"]["p50"], "p95_ms": app["reveal_ms"]["p95"], "p99_ms": app["reveal_ms"]["p99"],
        "ack_p50_ms": app["ack_ms"]["p50"], "ack_p99_ms": app["ack_ms"]["p99"],
        "bare_p50_ms": bare["reveal_ms"]["p50"] if bare else None, "bare_p99_ms": bare["reveal_ms"]["p99"] if bare else None,
        "ratio_p99": ratio(app["reveal_ms"]["p99"], bare["reveal_ms"]["p99"]) if bare else None,
        "votes_per_s_max": s_app["votes_per_s_max"] if s_app else None,
        "bare_votes_per_s_max": s_bare["votes_per_s_max"] if s_bare else None,
        "ratio_votes_per_s": ratio(s_app["votes_per_s_max"], s_bare["votes_per_s_max"]) if s_app and s_bare else None,
        # The fair floor: bare + who-has-voted. app/fair is what the game adds on top of the feature.
        "fair_p99_ms": fair["reveal_ms"]["p99"] if fair else None,
        "ratio_p99_fair": ratio(app["reveal_ms"]["p99"], fair["reveal_ms"]["p99"]) if fair else None,
        "fair_votes_per_s_max": s_fair["votes_per_s_max"] if s_fair else None,
        "ratio_votes_per_s_fair": ratio(s_app["votes_per_s_max"], s_fair["votes_per_s_max"]) if s_app and s_fair else None,
        "cpu_ms_per_vote": app["server_cpu_ms_per_vote"],
        "bare_cpu_ms_per_vote": bare["server_cpu_ms_per_vote"] if bare else None,
        "fair_cpu_ms_per_vote": fair["server_cpu_ms_per_vote"] if fair else None,
        "ratio_cpu_per_vote": ratio(app["server_cpu_ms_per_vote"], bare["server_cpu_ms_per_vote"]) if bare else None,
        "ratio_cpu_per_vote_fair": ratio(app["server_cpu_ms_per_vote"], fair["server_cpu_ms_per_vote"]) if fair else None,
        "voted_per_vote": app.get("voted_per_vote"), "fair_voted_per_vote": fair.get("voted_per_vote") if fair else None,
        "connected": app["connected"], "held": app["held"], "dropped": app["dropped"], "errors": app["errors"],
        "rss_mb": app["rss_mb"], "rss_kb_per_player": app["rss_kb_per_player"],
        "bare_rss_mb": bare["rss_mb"] if bare else None, "bare_rss_kb_per_player": bare["rss_kb_per_player"] if bare else None,
        "server_cpu_pct": app["server_cpu_mean_pct"], "generator_cpu_pct": app["generator_cpu_mean_pct"],
        "other_cpu_pct": app["other_cpu_mean_pct"], "async_mode": "gevent",
        "async_modes_p99_ms": {k.split("/")[1]: v["reveal_ms"]["p99"] for k, v in results["realistic"].items()
                               if k.startswith("app/") and k.endswith(f"/{players}")},
    }
    big = results["realistic"].get(f"app/gevent/{BIG_PLAYERS}") if players != BIG_PLAYERS else None
    if big:
        bare_big = results["realistic"].get(f"bare/gevent/{BIG_PLAYERS}")
        line.update({"big_players": BIG_PLAYERS, "big_p99_ms": big["reveal_ms"]["p99"], "big_held": big["held"],
                     "big_errors": big["errors"], "big_bare_p99_ms": bare_big["reveal_ms"]["p99"] if bare_big else None})
    report = results.get("report") or {}
    for key in ("html_render_s", "pdf_render_s", "pdf_end_to_end_s", "pdf_served_again_s"):
        if key in report:
            line[f"report_{key}"] = report[key]
    line.update(results.get("cli") or {})
    return line


def _raise_open_files_limit() -> None:
    """2,000 players are 2,000 sockets in the server and in the generator: the servers and the
    generator inherit this process's limit, and a common default soft limit is 1,024."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="scaling series, all async modes for both, scale-out (long)")
    parser.add_argument("--players", type=int, default=1000)
    parser.add_argument("--sizes", default="100,500,1000,2000", help="the scaling series of --full")
    parser.add_argument("--team-size", type=int, default=20)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--discuss", type=float, default=0.5, help="seconds of discussion between reveal and decision")
    parser.add_argument("--arguments", type=int, default=2, help="arguments posted per team and round")
    parser.add_argument("--stress-rounds", type=int, default=3)
    parser.add_argument("--stress-max-players", type=int, default=1000, help="stop the stress series at this size")
    parser.add_argument("--mode-rounds", type=int, default=3, help="rounds of the eventlet/threading runs in the quick bench")
    parser.add_argument("--app-root", type=Path, default=ROOT, help="source tree of the game to benchmark")
    parser.add_argument("--only", choices=KINDS, help="benchmark one server kind (no ratios)")
    parser.add_argument("--no-fair", action="store_true", help="without the bare + who-has-voted floor")
    parser.add_argument("--voted-tick", type=float, default=VOTED_TICK,
                        help="the fair floor's `voted` tick in seconds (0: one `voted` per vote)")
    parser.add_argument("--big-rounds", type=int, default=3,
                        help=f"rounds of the {BIG_PLAYERS:,}-player runs of the quick bench (0: none)")
    parser.add_argument("--no-stress", action="store_true")
    parser.add_argument("--modes", default="gevent,eventlet,threading", help="async modes to measure (gevent always)")
    parser.add_argument("--no-scaleout", action="store_true", help="--full without the PostgreSQL/Redis runs")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL",
                                                                 "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--out", type=Path, default=None, help="results file (default: docs/benchmarks/results[-full].json)")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite the figures in docs/benchmarks.md")
    parser.add_argument("--no-report", action="store_true", help="skip benchmarks/report_bench.py")
    parser.add_argument("--profile", type=Path, default=None, metavar="DIR",
                        help="record the app server's realistic runs with py-spy; stacks and summaries in DIR")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server logs, databases)")
    args = parser.parse_args(argv)
    _raise_open_files_limit()
    args.tmp = tempfile.mkdtemp(prefix="inzetspel-bench-")
    kinds = [args.only] if args.only else [k for k in KINDS if not (args.no_fair and k == "bare-voted")]
    started = time.monotonic()
    results: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "taskset": bool(shutil.which("taskset")), "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
        "started": time.strftime("%Y-%m-%d %H:%M:%S"), "app_root": str(args.app_root), "full": args.full,
        "settings": {k: getattr(args, k) for k in ("players", "team_size", "window", "rounds", "discuss", "arguments",
                                                   "stress_rounds", "mode_rounds", "voted_tick")},
        "room_options": ROOM_OPTIONS or "inzetspel rooms create defaults",
        "realistic": {}, "stress": {}, "scaleout": {},
    }
    try:
        sizes = [int(s) for s in args.sizes.split(",")] if args.full else [args.players]
        if args.players not in sizes:
            sizes.append(args.players)
        for players in sorted(sizes):
            for kind in kinds:
                results["realistic"][f"{kind}/gevent/{players}"] = realistic(kind, "gevent", players, args)
        if not args.full and args.big_rounds and args.players != BIG_PLAYERS:
            # The quick bench also holds 2,000 players on one process (a few rounds: the target is held + p99).
            for kind in [k for k in kinds if k != "bare-voted"]:
                results["realistic"][f"{kind}/gevent/{BIG_PLAYERS}"] = realistic(kind, "gevent", BIG_PLAYERS, args,
                                                                               rounds=args.big_rounds)
        if not args.no_stress:
            for kind in kinds:
                results["stress"][f"{kind}/gevent"] = stress(kind, "gevent", args)
        for mode in [m for m in args.modes.split(",") if m in ("eventlet", "threading")]:
            for kind in (kinds if args.full else [k for k in kinds if k == "app"]):
                results["realistic"][f"{kind}/{mode}/{args.players}"] = realistic(
                    kind, mode, args.players, args, rounds=None if args.full else args.mode_rounds)
            if args.full and not args.no_stress:
                for kind in kinds:
                    results["stress"][f"{kind}/{mode}"] = stress(kind, mode, args)
        if args.full and not args.no_scaleout and "app" in kinds:
            results["scaleout"] = scaleout(args)
        results["report"] = None if args.no_report else report_rendering()
        if "app" in kinds:
            results["cli"] = cli_startup(args.app_root)
    finally:
        if args.keep:
            log(f"kept the servers' logs and databases in {args.tmp}")
        else:
            shutil.rmtree(args.tmp, ignore_errors=True)
    results["seconds"] = round(time.monotonic() - started, 1)
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    default_out = RESULTS_DIR / ("results-full.json" if args.full else "results.json")
    out = args.out or default_out
    out.parent.mkdir(parents=True, exist_ok=True)
    if not args.only:
        results["headline"] = headline(results, args.players)
    out.write_text(json.dumps(results, indent=1))
    log(f"results in {out} ({results['seconds']} s)")
    try:
        from benchmarks import plot

        plot.main([str(out)])
    except Exception as exc:  # noqa: BLE001  (a missing figure must not hide the measurements)
        log(f"plotting failed: {exc}")
    if (out.resolve() == default_out.resolve() or not args.out) and not args.no_docs:
        from benchmarks import document

        document.update(out)
        log(f"figures written to {document.DOC}")
    if args.only:
        print(json.dumps({k: brief(v) for k, v in results["realistic"].items()}))
        return
    print(json.dumps(results["headline"]))


if __name__ == "__main__":
    main()
