"""Whole dashboard pages, cached by what they show, with ETag and Last-Modified (304 when unchanged).

A public page (a visitor who has not signed in) depends on the address (path and query: programme,
period, unit, data date), the language, and the data: every programme's data version (a page names the
other programmes too) and the collection rounds' state (which units have sent their figures). Those
are read in one query (`page_state`); the key is their digest, so a write anywhere makes new keys, and
several processes sharing one cache (SHIHYO_CACHE_URL) never serve a page older than the data.

Signed-in users see their name and, in the office, figures not yet approved: their pages are rendered
each time (with the evaluation and fragment caches). The CSRF token of the page's forms (language
switch) differs per visitor: the stored page holds a placeholder that each response fills with the
visitor's own token.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language

from shihyo.web.catalogue import models as catalogue_models
from shihyo.web.collection import models as collection_models

LOG = logging.getLogger("shihyo.web")
View = Callable[..., HttpResponseBase]
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_PLACEHOLDER = b"__shihyo_csrf_token__"
PAGE_SECONDS = 24 * 60 * 60  # a page not asked for in a day leaves the cache (keys change with the data anyway)


@dataclass(frozen=True)
class PageState:
    """What every public page depends on besides its address and language."""

    digest: str
    changed_at: datetime | None


def page_state() -> PageState:
    """The data versions of every programme and the newest collection step, in one query."""
    stamps = catalogue_models.DataStamp._meta.db_table
    programmes = catalogue_models.Programme._meta.db_table
    rounds = collection_models.Round._meta.db_table
    events = collection_models.SubmissionEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.code, s.definitions, s.observations, s.notes, s.resolutions, s.changed_at, "
            f"(SELECT MAX(id) FROM {rounds}), "
            f"(SELECT MAX(id) FROM {events}), (SELECT at FROM {events} ORDER BY id DESC LIMIT 1) "
            f"FROM {stamps} s JOIN {programmes} p ON p.id = s.programme_id ORDER BY s.programme_id"
        )
        rows = cursor.fetchall()
    # the moment too: after a restore from a backup, new writes may reuse ids, never the moment
    parts = [[code, d, o, n, r, str(at)] for code, d, o, n, r, at, *_ in rows]
    last_round, last_event, event_at = rows[0][6:] if rows else (None, None, None)
    text = json.dumps([parts, last_round, last_event, getattr(settings, "SHIHYO_DEFAULT_PROGRAMME", "")])
    moments = [_moment(at) for *_, at, _r, _e, _a in rows] + ([_moment(event_at)] if event_at else [])
    return PageState(hashlib.sha256(text.encode()).hexdigest()[:24], max(moments) if moments else None)


def _moment(value: datetime | str) -> datetime:
    """A timestamp column read by a raw query (SQLite gives its text), in UTC."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _not_modified(request: HttpRequest, etag: str, changed_at: datetime | None) -> bool:
    asked = request.headers.get("If-None-Match")
    if asked is not None:
        return etag in {tag.strip() for tag in asked.split(",")} or asked.strip() == "*"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and changed_at is not None and int(changed_at.timestamp()) <= since


def _headers(response: HttpResponseBase, etag: str, changed_at: datetime | None) -> None:
    response["ETag"] = etag
    if changed_at is not None:
        response["Last-Modified"] = http_date(changed_at.timestamp())
    response["Cache-Control"] = "no-cache"  # a browser may keep the page, and asks each time whether it changed
    patch_vary_headers(response, ["Cookie"])


def _cache_get(key: str) -> tuple[bytes, str] | None:
    try:
        found = cache.get(key)
    except Exception:  # a shared cache that is down: render the page (/healthz says the cache is unavailable)
        LOG.warning("page cache unavailable; rendering the page", exc_info=True)
        return None
    return found if isinstance(found, tuple) else None


def _cache_set(key: str, stored: tuple[bytes, str]) -> None:
    try:
        cache.set(key, stored, PAGE_SECONDS)
    except Exception:
        LOG.warning("page cache unavailable; the page is not kept", exc_info=True)


def cached_page(view: View) -> View:
    """Serve a dashboard page from the page cache for visitors who have not signed in."""

    @wraps(view)
    def serve(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        state = page_state()
        address = json.dumps([request.get_full_path(), get_language(), state.digest, args, kwargs], default=str)
        key = hashlib.sha256(address.encode()).hexdigest()[:32]
        etag = f'"{key}"'
        if _not_modified(request, etag, state.changed_at):
            response: HttpResponseBase = HttpResponseNotModified()
            _headers(response, etag, state.changed_at)
            return response
        stored = _cache_get(f"page:{key}")
        if stored is None:
            rendered = view(request, *args, **kwargs)
            if rendered.status_code != 200 or not isinstance(rendered, HttpResponse) or rendered.streaming:
                return rendered
            stored = (_TOKEN.sub(rb"\1" + _PLACEHOLDER + rb"\2", rendered.content), rendered["Content-Type"])
            _cache_set(f"page:{key}", stored)
        content, content_type = stored
        if _PLACEHOLDER in content:
            content = content.replace(_PLACEHOLDER, get_token(request).encode())
        page = HttpResponse(content, content_type=content_type)
        _headers(page, etag, state.changed_at)
        return page

    return serve
