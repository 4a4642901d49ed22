"""CI smoke test: the production path, as README's operator runs it.

The environment is .env.example (what README documents) with only its placeholders
replaced: DEBUG off, HTTPS behind a proxy, HSTS, PostgreSQL (a database of its own,
created and dropped here) and Redis. Then, as in production:

  manage.py check --deploy   (0 warnings, or fail)
  manage.py migrate
  manage.py collectstatic    (whitenoise's compressed manifest storage, into a temp dir)
  gunicorn -c deploy/gunicorn.conf.py ixportal.wsgi on 127.0.0.1

and the login page must answer 200 through the "proxy" headers with its security headers,
every stylesheet and script it links must answer 200, plain http must redirect to https,
and the access log must not show a query string.

Environment: SMOKE_DATABASE (default ixportal_smoke), SMOKE_POSTGRES
(postgres://postgres@127.0.0.1:5432), SMOKE_CACHE_URL (redis://127.0.0.1:6379/2),
SMOKE_PORTS (8200-8299: the first free port is used).
"""

import base64
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "ixportal.example.internal"  # ALLOWED_HOSTS in .env.example
POSTGRES = os.environ.get("SMOKE_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("SMOKE_DATABASE", "ixportal_smoke")
CACHE_URL = os.environ.get("SMOKE_CACHE_URL", "redis://127.0.0.1:6379/2")
SECRET_IN_QUERY = "smoke-secret-" + secrets.token_hex(4)


def fail(message: str) -> None:
    print(f"SMOKE FAILED: {message}", file=sys.stderr)
    raise SystemExit(1)


def documented_environment() -> dict[str, str]:
    """.env.example's assignments (comments and commented-out lines skipped)."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def production_environment(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "IXPORTAL_"))}
    env.update(documented_environment())
    # Only the placeholders and the machine-specific paths are replaced.
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        IXPORTAL_ENCRYPTION_KEYS=base64.b64encode(os.urandom(32)).decode(),
        DATABASE_URL=f"{POSTGRES}/{DATABASE}",
        CACHE_URL=CACHE_URL,
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        DJANGO_SETTINGS_MODULE="ixportal.settings",
    )
    if env.get("DEBUG", "").lower() not in ("false", "0", "off", "no"):
        fail(".env.example must document DEBUG=false")
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        fail(f"manage.py {' '.join(args)} exited {result.returncode}:\n{output}")
    return output


def recreate_database(drop_only: bool = False) -> None:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))


def free_port() -> int:
    low, _, high = os.environ.get("SMOKE_PORTS", "8200-8299").partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    fail(f"no free port in {low}-{high}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(base: str, path: str, *, https: bool = True):
    headers = {"Host": HOST, "X-Forwarded-For": "192.0.2.10"}
    if https:
        headers["X-Forwarded-Proto"] = "https"  # what the reverse proxy adds
    request = urllib.request.Request(base + path, headers=headers)
    try:
        with OPENER.open(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            fail(f"gunicorn exited {server.returncode} before answering")
        try:
            fetch(base, "/accounts/login/")
            return
        except OSError:
            time.sleep(0.3)
    fail("gunicorn did not answer within 60 s")


def check_site(base: str) -> None:
    status, headers, body = fetch(base, f"/accounts/login/?next=/{SECRET_IN_QUERY}/")
    if status != 200:
        fail(f"login page answered {status}:\n{body[:2000].decode(errors='replace')}")
    for header in (
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
    ):
        if not headers.get(header):
            fail(f"login page lacks the {header} header")
    print(f"login page: 200, CSP {headers['Content-Security-Policy']!r}")
    html = body.decode()
    assets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    assets += re.findall(r'<script[^>]+src="([^"]+)"', html)
    if len(assets) < 3:
        fail(f"the login page links only {assets}")
    for url in assets:
        if not url.startswith("/static/") or not re.search(r"\.[0-9a-f]{12}\.(css|js)$", url):
            fail(f"{url} is not a manifest (hashed) static URL")
        status, headers, body = fetch(base, url)
        if status != 200 or not body:
            fail(f"{url} answered {status}")
        print(f"  {url}: 200, {len(body)} bytes, {headers.get('Cache-Control')}")
    status, headers, _ = fetch(base, "/accounts/login/", https=False)
    if status != 301 or not headers.get("Location", "").startswith(f"https://{HOST}/"):
        fail(f"plain http answered {status} {headers.get('Location')}, not a redirect to https")
    print("plain http: 301 to https")


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="ixportal-smoke-"))
    env = production_environment(tmp)
    server = None
    try:
        output = manage(env, "check", "--deploy", "--fail-level", "WARNING")
        if "no issues" not in output:
            fail(f"check --deploy is not clean:\n{output}")
        print("check --deploy: 0 issues")
        recreate_database()
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        if not (tmp / "static" / "staticfiles.json").exists():
            fail("collectstatic wrote no manifest")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        access_log = tmp / "access.log"
        server_env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_ACCESS_LOG": str(access_log),
            "GUNICORN_ERROR_LOG": str(tmp / "error.log"),
        }
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "ixportal.wsgi"],
            cwd=ROOT,
            env=server_env,
        )
        # Hook: the database job worker (`manage.py db_worker`, from the Background jobs
        # issue) starts here, with the same environment, and is stopped with gunicorn below.
        wait_until_up(base, server)
        check_site(base)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        server = None
        log = access_log.read_text()
        if "/accounts/login/" not in log:
            fail(f"the access log shows no request:\n{log}")
        if SECRET_IN_QUERY in log or "?next=" in log:
            fail(f"the access log shows a query string:\n{log}")
        print("access log: paths only, no query strings")
        print("SMOKE OK")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            print((tmp / "error.log").read_text()[-3000:] if (tmp / "error.log").exists() else "")
        recreate_database(drop_only=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
