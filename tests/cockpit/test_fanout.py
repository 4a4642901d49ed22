"""The fan-out: outcomes by key, typed errors as messages, late calls reported, not waited for."""

from __future__ import annotations

import threading
import time

from invoices.cockpit.fanout import fan_out
from invoices.invoicexpress.errors import ServerError


def test_each_call_keeps_its_own_outcome(db):
    def fails():
        raise ServerError("InvoiceXpress had an internal error (HTTP 500).", status=500)

    def surprises():
        raise ZeroDivisionError

    outcomes = fan_out([("a", lambda: 1), ("b", fails), ("c", surprises)], timeout=5)

    assert outcomes["a"].value == 1 and outcomes["a"].ok
    assert outcomes["b"].error == "InvoiceXpress had an internal error (HTTP 500)."
    assert outcomes["c"].error == "This company could not be read (unexpected error)."


def test_a_late_call_is_reported_and_not_waited_for(db):
    release = threading.Event()
    finished = []

    def slow():
        release.wait(5)
        return "late"

    outcomes = fan_out(
        [("fast", lambda: "ok"), ("slow", slow)],
        timeout=0.2,
        on_done=lambda key, outcome: finished.append((key, outcome.value)),
    )

    assert outcomes["fast"].value == "ok"
    assert outcomes["slow"].late and "No answer within 0.2 seconds" in outcomes["slow"].error
    assert ("slow", "late") not in finished  # fan_out returned while it still ran
    release.set()
    for _ in range(50):  # the late answer still reaches on_done
        if ("slow", "late") in finished:
            break
        time.sleep(0.05)
    assert ("slow", "late") in finished
