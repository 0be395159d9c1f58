"""Where the game server spends its CPU under load: py-spy samples, summarised per function.

`python -m benchmarks.run --profile ...` records the app server with py-spy while the realistic load
runs (raw "collapsed" stacks: one line per distinct stack, frames joined by ';', then a count) and
writes the summary below next to the results. Summarise an existing recording with

    python -m benchmarks.profile STACKS.txt [--top 25]
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

# py-spy frame: "function (path/to/file.py:123)"; the line number is dropped so a function is one row.
_FRAME = re.compile(r"^(?P<fn>.*?) \((?P<file>[^():]+)(?::\d+)?\)$")


def frame_name(frame: str) -> str:
    """'fn (…/site-packages/pkg/mod.py:12)' -> 'pkg/mod.py:fn'; game code keeps its game/ path."""
    found = _FRAME.match(frame.strip())
    if not found:
        return frame.strip()
    path = found.group("file")
    for marker in ("site-packages/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    if "/game/" in path:
        path = "game/" + path.rsplit("/game/", 1)[1]
    elif "/benchmarks/" in path:
        path = "benchmarks/" + path.rsplit("/benchmarks/", 1)[1]
    return f"{path}:{found.group('fn')}"


def parse_collapsed(lines: list[str]) -> list[tuple[list[str], int]]:
    """Collapsed stacks -> (frames root first, samples)."""
    stacks = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            continue
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        stacks.append(([frame_name(f) for f in stack.split(";")], int(count)))
    return stacks


def is_idle(frames: list[str]) -> bool:
    """A sample whose innermost frame is the event loop waiting for I/O."""
    return bool(frames) and any(marker in frames[-1] for marker in ("hub.py:switch", "hub.py:run", "select", "epoll"))


def summarize(stacks: list[tuple[list[str], int]], top: int = 25) -> dict:
    """Self and inclusive samples per function (busy samples only), the game's own functions separately."""
    busy = [(frames, n) for frames, n in stacks if not is_idle(frames)]
    total = sum(n for _, n in stacks)
    busy_total = sum(n for _, n in busy)
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    for frames, n in busy:
        own[frames[-1]] += n
        for name in set(frames):
            inclusive[name] += n

    def share(counter: Counter[str], only_game: bool = False) -> list[dict]:
        rows = [(k, v) for k, v in counter.most_common() if not only_game or k.startswith("game/")]
        return [{"function": k, "samples": v, "pct_of_busy": round(100 * v / busy_total, 1) if busy_total else 0.0}
                for k, v in rows[:top]]

    return {
        "samples": total, "busy_samples": busy_total,
        "busy_pct": round(100 * busy_total / total, 1) if total else 0.0,
        "self": share(own), "inclusive_game": share(inclusive, only_game=True),
        "inclusive": share(inclusive),
    }


def format_summary(summary: dict, top: int = 25) -> str:
    lines = [f"{summary['busy_samples']} busy of {summary['samples']} samples ({summary['busy_pct']} %)", "",
             "self time (innermost frame), % of busy samples:"]
    lines += [f"  {r['pct_of_busy']:5.1f}  {r['function']}" for r in summary["self"][:top]]
    lines += ["", "inclusive time of the game's functions, % of busy samples:"]
    lines += [f"  {r['pct_of_busy']:5.1f}  {r['function']}" for r in summary["inclusive_game"][:top]]
    lines += ["", "inclusive time of any function, % of busy samples:"]
    lines += [f"  {r['pct_of_busy']:5.1f}  {r['function']}" for r in summary["inclusive"][:top]]
    return "\n".join(lines)


class Recorder:
    """py-spy record of one process for as long as it is started (None-safe when py-spy is missing)."""

    def __init__(self, pid: int, out: Path, rate: int = 100):
        exe = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        self.out = out
        self.cmd = [exe, "record", "--pid", str(pid), "--format", "raw", "--rate", str(rate), "--output", str(out),
                    "--nonblocking"]
        self.proc: subprocess.Popen | None = None
        self.available = Path(exe).exists()

    def start(self) -> Recorder:
        if self.available:
            self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        return self

    def stop(self) -> dict | None:
        """Stop recording (SIGINT makes py-spy write its file) and summarise it."""
        if self.proc is None:
            return None
        import signal

        self.proc.send_signal(signal.SIGINT)
        try:
            _, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        if not self.out.exists():
            return {"error": (err or "py-spy wrote nothing")[-500:]}
        return summarize(parse_collapsed(self.out.read_text().splitlines()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stacks", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    print(format_summary(summarize(parse_collapsed(args.stacks.read_text().splitlines()), args.top), args.top))


if __name__ == "__main__":
    main()
