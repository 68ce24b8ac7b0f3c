"""The Content-Security-Policy of every response: scripts, styles, images, fonts and connections from shihyo
itself only; no inline script or style, no eval, no plugins, no framing, forms posting only to shihyo.

The pages keep to it: scripts are files (`app.js`, `collection.js`, the vega bundle served by the app), data for
the charts travel in `<script type="application/json">` blocks (data, never run), styles are in `app.css`, and
the charts are drawn by vega-embed with `ast: true`, Vega's expression interpreter, so Vega generates no code
at run time and needs no 'unsafe-eval' (tests/browser/test_csp.py reads Chromium's console for violations)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"
POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = POLICY
        return response
