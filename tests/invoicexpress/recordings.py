"""Replay the real InvoiceXpress exchanges in tests/fixtures/api-recordings (their licence beside them) with `responses`."""

from pathlib import Path

import responses
import yaml

RECORDINGS = Path(__file__).resolve().parents[1] / "fixtures" / "api-recordings"
BASE_URL = "https://ACCOUNT_NAME.app.invoicexpress.com"
API_KEY = "API_KEY"


def interactions(relative: str) -> list[dict]:
    with open(RECORDINGS / relative, encoding="utf-8") as fh:
        return yaml.safe_load(fh)["http_interactions"]


def replay(rsps: responses.RequestsMock, relative: str) -> dict:
    """Register every exchange of one cassette; returns the first one (request + response)."""
    recorded = interactions(relative)
    for exchange in recorded:
        request, response = exchange["request"], exchange["response"]
        body = response["body"].get("string", "")
        headers = {
            k: v[0] for k, v in response.get("headers", {}).items() if k in ("Content-Type",)
        }
        rsps.add(
            request["method"].upper(),
            request["uri"].split("?", 1)[0],
            body=body,
            status=response["status"]["code"],
            content_type=headers.get("Content-Type", "application/json"),
        )
    return recorded[0]
