"""The player page's weight and load time in Chromium on loopback: `make page-weight`.

Starts `inzetspel serve` on a fresh SQLite database, creates a room, and opens its player page
(/r/CODE) at tablet size in fresh browser contexts (a cold cache each time), then once more in a
warm context. Sizes come from the browser's Resource Timing (what really crossed the wire,
compressed, headers included); the load time is navigation start to the load event. Writes the
section between `<!-- page-weight:start -->` and `<!-- page-weight:end -->` in docs/benchmarks.md
(or prints it with --dry-run). Not a test: the figures depend on the machine.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
INZETSPEL = str(Path(sys.executable).parent / "inzetspel")
START, END = "<!-- page-weight:start -->", "<!-- page-weight:end -->"
BUDGET_KB, BUDGET_MS = 150, 1000
TABLET = {"width": 768, "height": 1024}
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Resource Timing of the page: every file with what crossed the wire and what it unpacks to.
ENTRIES = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const files = performance.getEntriesByType('resource').map((r) => ({
    url: r.name, type: r.initiatorType, transfer: r.transferSize, encoded: r.encodedBodySize, decoded: r.decodedBodySize}));
  files.unshift({url: nav.name, type: 'document', transfer: nav.transferSize, encoded: nav.encodedBodySize, decoded: nav.decodedBodySize});
  return {files, load_ms: nav.loadEventEnd - nav.startTime, dom_ms: nav.domContentLoadedEventEnd - nav.startTime};
}"""


def kind(url: str) -> str:
    path = url.split("?")[0]
    return "js" if path.endswith(".js") else "css" if path.endswith(".css") else "other"


def measure(page, url: str) -> dict:
    """Load `url` in `page` and return its files, JS+CSS bytes and timings."""
    page.goto(url, wait_until="load")
    page.wait_for_function("() => performance.getEntriesByType('navigation')[0].loadEventEnd > 0")
    data = page.evaluate(ENTRIES)
    assets = [f for f in data["files"] if kind(f["url"]) in ("js", "css")]
    data["js_css_transfer"] = sum(f["transfer"] for f in assets)
    data["js_css_decoded"] = sum(f["decoded"] for f in assets)
    data["all_transfer"] = sum(f["transfer"] for f in data["files"])
    return data


def start_server(folder: Path) -> tuple[subprocess.Popen, str, dict]:
    from tests.server.conftest import free_port

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MESSAGE_QUEUE")}
    env.update(DATABASE_URL=f"sqlite:///{folder / 'weight.db'}", SECRET_KEY="page-weight", DECKS_DIR=str(ROOT / "decks"))
    port = free_port()
    proc = subprocess.Popen([INZETSPEL, "serve", "--port", str(port)], env=env, cwd=ROOT,
                            stdout=open(folder / "serve.log", "w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if requests.get(f"{url}/healthz", timeout=1).ok:
                return proc, url, env
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError((folder / "serve.log").read_text())


def run(loads: int) -> dict:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="page-weight-"))
    proc, url, env = start_server(folder)
    try:
        made = subprocess.run([INZETSPEL, "rooms", "create", "--deck", "talent-en-passie", "--teams", "2"],
                              env=env, cwd=ROOT, capture_output=True, text=True, check=True)
        page_url = f"{url}/r/{made.stdout.strip().splitlines()[-1].replace('-', '')}"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS, headless=True)
            cold = []
            for _ in range(loads):
                context = browser.new_context(viewport=TABLET)
                cold.append(measure(context.new_page(), page_url))
                context.close()
            context = browser.new_context(viewport=TABLET)
            page = context.new_page()
            measure(page, page_url)
            warm = measure(page, page_url)  # the same tablet opening the page again
            context.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(folder, ignore_errors=True)
    first = cold[0]
    return {
        "url": "/r/CODE", "loads": loads, "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "files": [{"file": "/r/CODE (the HTML)" if f["type"] == "document" else "/" + f["url"].split("/", 3)[-1].split("?")[0],
                   "transfer": f["transfer"], "decoded": f["decoded"]} for f in first["files"]],
        "js_css_transfer": first["js_css_transfer"], "js_css_decoded": first["js_css_decoded"],
        "all_transfer": first["all_transfer"],
        "load_average": round(os.getloadavg()[0], 1),
        "load_ms_median": statistics.median(c["load_ms"] for c in cold), "load_ms_max": max(c["load_ms"] for c in cold),
        "dom_ms_median": statistics.median(c["dom_ms"] for c in cold),
        "warm_transfer": warm["all_transfer"], "warm_js_css_transfer": warm["js_css_transfer"],
        "warm_load_ms": warm["load_ms"],
    }


def section(r: dict) -> str:
    kb = lambda n: f"{n / 1024:.1f} KB"  # noqa: E731
    rows = "\n".join(f"| `{f['file']}` | {kb(f['transfer'])} | {kb(f['decoded'])} |" for f in r["files"])
    return f"""{START}
## Player page weight

What a tablet downloads to open the player page (`{r['url']}`), measured in headless Chromium on
loopback by `make page-weight` (`benchmarks/page_weight.py`; {r['machine']}). Sizes are the browser's
Resource Timing: bytes on the wire, compressed, headers included. Static files are compressed with
brotli (zstd or gzip for browsers without it) and carry a content hash in their URL, so a returning
tablet revalidates nothing; the HTML itself is sent uncompressed on purpose (it carries a CSRF token
next to reflected input: BREACH). The budget is {BUDGET_KB} KB of JS+CSS and {BUDGET_MS} ms; the browser test
`tests/e2e/test_full_session.py` fails when the JS+CSS budget is exceeded. The machine's 1-minute load
average at the end of the run was {r['load_average']} (other work shares its cores; the slowest load is
usually the first after the server starts, which compresses each file once and keeps it).

| | figure |
|---|---|
| JS + CSS transferred (cold cache) | **{kb(r['js_css_transfer'])}** (unpacked {kb(r['js_css_decoded'])}) |
| everything transferred (cold cache) | {kb(r['all_transfer'])} |
| load time, cold cache, median of {r['loads']} (max) | **{r['load_ms_median']:.0f} ms** ({r['load_ms_max']:.0f} ms) |
| DOMContentLoaded, median | {r['dom_ms_median']:.0f} ms |
| opened again on the same tablet: transferred / JS+CSS / load | {kb(r['warm_transfer'])} / {kb(r['warm_js_css_transfer'])} / {r['warm_load_ms']:.0f} ms |

| file | transferred | unpacked |
|---|---|---|
{rows}
{END}"""


def write(text: str, doc: Path = DOC) -> None:
    current = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if START in current and END in current:
        head, rest = current.split(START, 1)
        current = head + text + rest.split(END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    doc.write_text(current, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--dry-run", action="store_true", help="print the section instead of writing docs/benchmarks.md")
    args = parser.parse_args()
    result = run(args.loads)
    if args.dry_run:
        print(section(result))
    else:
        write(section(result))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
