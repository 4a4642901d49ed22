"""deploy/gunicorn.conf.py: threads for an I/O-bound service, and no query string in logs."""

import runpy
from pathlib import Path

import environ

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def load(monkeypatch, **env):
    # A developer's .env must not leak into the test process's environment.
    monkeypatch.setattr(environ.Env, "read_env", lambda *args, **kwargs: None)
    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_it_runs_threaded_workers_with_a_timeout_above_the_longest_request(monkeypatch, settings):
    config = load(monkeypatch)
    assert config["worker_class"] == "gthread"
    assert config["workers"] >= 1 and config["threads"] >= 8
    # Long work runs in background jobs now; the longest page waits for its upstream budget
    # (2 s), connects up to three times (3.05 s each) and reads once (20 s): the production
    # defaults of IXPORTAL_UPSTREAM_PAGE_WAIT_SECONDS, _CONNECT_TIMEOUT and _READ_TIMEOUT.
    longest = 2 + 3 * 3.05 + 20
    assert config["timeout"] > longest


def test_the_access_log_has_paths_without_query_strings(monkeypatch):
    log_format = load(monkeypatch)["access_log_format"]
    assert "%(U)s" in log_format
    for leaky in ("%(r)s", "%(q)s", "%(f)s"):  # request line, query, referer
        assert leaky not in log_format


def test_the_environment_overrides_it(monkeypatch):
    config = load(
        monkeypatch,
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="32",
        GUNICORN_TIMEOUT="90",
        GUNICORN_BIND="127.0.0.1:8299",
    )
    assert (config["workers"], config["threads"], config["timeout"], config["bind"]) == (
        3,
        32,
        90,
        "127.0.0.1:8299",
    )
