"""Real server processes: `inzetspel serve` started as a user would, on a free port."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
INZETSPEL = str(Path(sys.executable).parent / "inzetspel")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `inzetspel serve` process; can be killed and started again on the same port and database."""

    def __init__(self, env: dict, async_mode: str, log_dir: Path):
        self.env, self.async_mode, self.port = env, async_mode, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"serve-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Server:
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [INZETSPEL, "serve", "--port", str(self.port), "--async-mode", self.async_mode],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"server did not start: {self.log()}")

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as when a machine loses power."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


def disconnect_all(clients: Iterable) -> None:
    """Disconnect python-socketio clients (anything with `.disconnect()`) all at once.

    Each disconnect waits up to 3 s for the server to answer the WebSocket close frame (websocket-client's
    default close timeout), and `inzetspel serve` under gevent never answers it: the frame is read as a new
    HTTP request ("Invalid HTTP method" in the server log). One after another, twenty tablets cost a minute
    of waiting for nothing; together, 3 s. Every client still sends its disconnect, as before."""
    clients = list(clients)
    if clients:
        with ThreadPoolExecutor(len(clients)) as pool:
            list(pool.map(lambda client: client.disconnect(), clients))


def run_cli(env: dict, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([INZETSPEL, *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def summary_of(output: str) -> dict:
    """`simulate` prints its JSON summary on the last line."""
    return json.loads(output.strip().splitlines()[-1])


def base_env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MESSAGE_QUEUE", "ASYNC_MODE")}
    env.update(DATABASE_URL=database_url, SECRET_KEY="server-test", DECKS_DIR=str(ROOT / "decks"))
    return env


@pytest.fixture
def server_env(database_url: str) -> dict:
    """Server processes on a fresh database: SQLite and, in a second run, PostgreSQL."""
    return base_env(database_url)


@pytest.fixture
def sqlite_server_env(sqlite_url: str) -> dict:
    return base_env(sqlite_url)


def count_rows(env: dict, sql: str) -> int:
    """Read the server's database directly, whichever engine it is."""
    from sqlalchemy import create_engine, text

    engine = create_engine(env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


@pytest.fixture
def start_server(request: pytest.FixtureRequest, tmp_path: Path):
    """start_server(mode, env=...) -> a running `inzetspel serve`, stopped after the test.

    Without `env` it runs on the test's `server_env`, asked for only then: a test that passes its own env
    (two processes on PostgreSQL, say) is not also run once per engine of `server_env` for nothing. A test that
    relies on the default names `server_env` among its parameters, so that it is run on every engine."""
    servers: list[Server] = []

    def _start(async_mode: str = "gevent", env: dict | None = None) -> Server:
        server = Server(env or request.getfixturevalue("server_env"), async_mode, tmp_path).start()
        servers.append(server)
        return server

    yield _start
    for server in servers:
        server.stop()
