"""/healthz for a load balancer: is the database reachable, is the cache reachable. JSON, no data; 503 when not."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

LOG = logging.getLogger("shihyo.health")


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except Exception:
        LOG.exception("healthz: the database is not reachable")
        return False


def _cache() -> bool:
    try:
        cache.set("shihyo:healthz", "ok", timeout=10)
        return bool(cache.get("shihyo:healthz") == "ok")
    except Exception:
        LOG.exception("healthz: the cache is not reachable")
        return False


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "cache": _cache()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **{k: "ok" if v else "unavailable" for k, v in checks.items()}},
        status=200 if healthy else 503,
    )
