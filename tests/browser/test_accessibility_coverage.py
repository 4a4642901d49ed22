"""Every page a person can open is in the accessibility scan (test_accessibility.py), or is
listed in accessibility_pages.py as not a page, with why. A new page fails here until it is
scanned. Not a browser test: it walks the URL configuration and resolves the scanned paths."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.browser.accessibility_pages import (
    ANONYMOUS,
    ANONYMOUS_WITH_EMAIL,
    NOT_PAGES,
    OTHER_APPS,
    POST_ONLY,
    Ids,
    pages,
)

# Stand-in values for URL parameters: a route takes the first its converter's pattern accepts.
SAMPLES = (1, uuid.UUID(int=1), "acme")


def sample(converter) -> object:
    return next(v for v in SAMPLES if re.fullmatch(converter.regex, str(v)))


def named_routes() -> dict[str, dict]:
    """Every named route outside OTHER_APPS: name -> sample kwargs for reverse()."""
    found: dict[str, dict] = {}

    def walk(resolver: URLResolver, namespace: tuple[str, ...], converters: dict) -> None:
        for entry in resolver.url_patterns:
            here = {**converters, **entry.pattern.converters}
            if isinstance(entry, URLResolver):
                if entry.namespace in OTHER_APPS:
                    continue
                walk(entry, (*namespace, *([entry.namespace] if entry.namespace else [])), here)
            elif isinstance(entry, URLPattern) and entry.name:
                kwargs = {key: sample(conv) for key, conv in here.items()}
                found.setdefault(":".join((*namespace, entry.name)), kwargs)

    walk(get_resolver(), (), {})
    return found


def scanned_routes() -> set[str]:
    paths = [path for role in ("clerk", "manager") for path, _ in pages(Ids(), role)]
    paths += [path for path, _ in ANONYMOUS + ANONYMOUS_WITH_EMAIL]
    names = set()
    for path in paths:
        try:
            names.add(resolve(urlsplit(path).path).view_name)
        except Exception:  # noqa: BLE001  (the 404 page's own path resolves to nothing)
            continue
    return names


def test_every_page_is_scanned_or_excluded_with_a_reason():
    routes = set(named_routes())
    scanned = scanned_routes()
    excluded = POST_ONLY | set(NOT_PAGES)
    assert sorted(routes - scanned - excluded) == [], "a page the accessibility scan misses"
    assert sorted(scanned & excluded) == [], "scanned, yet listed as not a page"
    assert sorted(excluded - routes) == [], "excluded routes that no longer exist"
    assert all(NOT_PAGES.values())


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_a_post_only_route_refuses_get(client, name):
    url = reverse(name, kwargs=named_routes()[name])
    assert client.get(url).status_code == 405
