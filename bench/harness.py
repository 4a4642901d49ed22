"""What the benchmark scripts share: the processes they start (stopped by PID), the
environment of a throwaway server, waiting for it, logging in, timing a call."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
HOST = "127.0.0.1"
STARTUP_TIMEOUT = 30.0
ENCRYPTION_KEY = "YmVuY2gtb25seS1peHBvcnRhbC1lbmNyeXB0aW9uISE="


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def environment(db_path: Path, *, sandbox: bool) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "IXPORTAL_", "CACHE_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "sandbox.settings" if sandbox else "ixportal.settings",
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-not-for-production",
            "IXPORTAL_ENCRYPTION_KEYS": ENCRYPTION_KEY,
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": f"sqlite:///{db_path}",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "SECURE_COOKIES": "false",
            "LOG_LEVEL": "INFO",
            "IXPORTAL_SANDBOX": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


class Processes:
    """Every process the benchmark starts, stopped by PID (master, then its workers)."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []

    def start(
        self, argv: list[str], env: dict[str, str], log: Path, cpus: set[int] | None = None
    ) -> subprocess.Popen:
        handle = log.open("wb")
        # Pinned (when the machine has the cores), the stand-in InvoiceXpress and this client
        # do not take CPU from the dashboard: in production the service runs elsewhere.
        pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, preexec_fn=pin
        )
        handle.close()
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.started):
            workers = children(process.pid)
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)  # gunicorn: graceful stop of its workers
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
            for pid in workers:  # only our own workers, by PID, if any outlived the master
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def children(pid: int) -> list[int]:
    found: list[int] = []
    task_dir = Path(f"/proc/{pid}/task")
    if not task_dir.exists():
        return found
    for task in task_dir.iterdir():
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-2000:]}")
        try:
            requests.get(url, timeout=1, allow_redirects=False)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not start in {STARTUP_TIMEOUT:.0f} s")


def manage(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def log_in(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    login_url = f"{base}/accounts/login/"
    session.get(login_url, timeout=10)
    answer = session.post(
        login_url,
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
        },
        headers={"Referer": login_url},
        timeout=10,
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"login failed (HTTP {answer.status_code})")
    return session


def timed(call) -> float:
    started = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(
            f"{response.request.method} {response.request.path_url.split('?')[0]} -> {response.status_code}"
        )
    response.content  # noqa: B018  (read the whole body)
    return elapsed


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


UPSTREAM_LINE = re.compile(r"invoicexpress \S+ GET (\S+) -> (\S+) in (\d+) ms")


def upstream_lines(log: Path, offset: int) -> list[tuple[str, str, str]]:
    with log.open("rb") as handle:
        handle.seek(offset)
        text = handle.read().decode("utf-8", "replace")
    return UPSTREAM_LINE.findall(text)


def count_upstream(log: Path, views: int, call) -> float:
    time.sleep(0.2)
    offset = log.stat().st_size
    for _ in range(views):
        call()
    time.sleep(0.5)  # let the workers' log lines land
    return len(upstream_lines(log, offset)) / views
