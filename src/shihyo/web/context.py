"""Template context every page gets: the software version (shown in the footer)."""

from __future__ import annotations

from django.http import HttpRequest

import shihyo


def version(request: HttpRequest) -> dict[str, str]:
    return {"shihyo_version": shihyo.__version__}
