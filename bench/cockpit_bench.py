"""`make bench`, part 6: the cockpit over COMPANIES companies against one company's list
page, computed afresh (POST Refresh: the fan-out) and from the shared cache, beside the same
upstream calls made straight to the stand-in at once. Run by bench/run.py."""

from __future__ import annotations

import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import count_upstream, p95, timed  # noqa: E402  (bench/ is scripts)

COMPANIES = 10
COCKPIT_ROUNDS = int(os.environ.get("BENCH_COCKPIT_ROUNDS", "20"))
TARGET_COCKPIT_RATIO = 1.3


def raw_fanout(sandbox_url: str, keys: dict[str, str]) -> float:
    """The cockpit's list requests (two pages of unpaid invoices, the drafts count, this
    month), straight to the stand-in, all at once: what InvoiceXpress alone takes."""
    today = time.strftime("%d/%m/%Y")
    month_start = "01/" + today[3:]
    requests_to_make = []
    for slug, key in keys.items():
        url = f"{sandbox_url}{slug}/invoices.json"
        unpaid = [("type[]", t) for t in ("Invoice", "VatMossInvoice", "DebitNote")]
        unpaid += [("status[]", "final"), ("status[]", "sent"), ("per_page", 100)]
        month = [("status[]", s) for s in ("final", "sent", "settled")]
        month += [("date[from]", month_start), ("date[to]", today), ("per_page", 100)]
        for params in (
            [*unpaid, ("page", 1)],
            [*unpaid, ("page", 2)],
            [("status[]", "draft"), ("per_page", 1)],
            month,
        ):
            requests_to_make.append((url, [*params, ("api_key", key)]))
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_maxsize=len(requests_to_make))
    session.mount("http://", adapter)

    def get(item):
        url, params = item
        answer = session.get(url, params=params, timeout=30)
        answer.json()  # read and decode it, as the dashboard does
        return answer.status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(requests_to_make)) as pool:
        statuses = list(pool.map(get, requests_to_make))
    elapsed = (time.perf_counter() - started) * 1000
    if set(statuses) != {200}:
        raise RuntimeError(f"raw fan-out answers {set(statuses)}")
    return elapsed


def bench_cockpit(
    browser: requests.Session,
    dashboard: str,
    list_page,
    log: Path,
    sandbox_url: str,
    seeded,
    *,
    setup: str,
) -> None:
    """The cockpit computed afresh and from the cache, interleaved with one company's list
    page and with the same upstream calls made raw; `setup` says how the companies were
    seeded."""
    refresh_url = f"{dashboard}/cockpit/refresh/"

    def fresh() -> requests.Response:
        answer = browser.post(
            refresh_url,
            data={"csrfmiddlewaretoken": browser.cookies.get("csrftoken", "")},
            headers={"Referer": f"{dashboard}/"},
            timeout=30,
            allow_redirects=False,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"cockpit refresh -> {answer.status_code}")
        return answer

    def cached() -> requests.Response:
        return browser.get(f"{dashboard}/", timeout=30)

    first = cached()
    rows = first.text.count('<tr data-company="bench')
    errors = first.text.count("could not be read")
    if rows != COMPANIES or errors:
        raise RuntimeError(f"the cockpit shows {rows} companies, {errors} with an error")
    print(
        f"\nCockpit over {COMPANIES} companies ({setup}), {COCKPIT_ROUNDS} rounds ...",
        flush=True,
    )
    for _ in range(3):
        fresh()
    samples: dict[str, list[float]] = {
        "full list page (1 company)": [],
        "cockpit, computed": [],
        "cockpit, from cache": [],
        "same calls, raw, at once": [],
    }
    for _ in range(COCKPIT_ROUNDS):
        samples["full list page (1 company)"].append(timed(list_page))
        started = time.perf_counter()
        fresh()
        samples["cockpit, computed"].append((time.perf_counter() - started) * 1000)
        samples["cockpit, from cache"].append(timed(cached))
        samples["same calls, raw, at once"].append(raw_fanout(sandbox_url, seeded["api_keys"]))
    per_view = count_upstream(log, 5, fresh)
    per_cached_view = count_upstream(log, 5, cached)
    median = {name: statistics.median(values) for name, values in samples.items()}
    print(f"{'':28} {'median ms':>10} {'p95 ms':>10}")
    for name, values in samples.items():
        print(f"{name:28} {median[name]:10.1f} {p95(values):10.1f}")
    ratio = median["cockpit, computed"] / median["full list page (1 company)"]
    print(f"cockpit computed / list page {ratio:10.3f}   (target <= {TARGET_COCKPIT_RATIO:.1f})")
    cached_ratio = median["cockpit, from cache"] / median["full list page (1 company)"]
    print(f"cockpit cached / list page   {cached_ratio:10.3f}")
    floor = median["same calls, raw, at once"]
    print(
        f"cockpit computed - raw calls {median['cockpit, computed'] - floor:10.1f} ms "
        "(the dashboard's own part: parsing, figures, page)"
    )
    print(
        f"upstream calls per computed cockpit: {per_view:.1f} ({per_view / COMPANIES:.1f} per company); from cache: {per_cached_view:.1f}"
    )
