"""The API instance: /api/v1/, its OpenAPI document at /api/v1/openapi.json, every operation behind
`TokenAuth` (which lets anonymous callers read published data) and the JSON error shape."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from shihyo import __version__
from shihyo.web.api import collection, errors, reads
from shihyo.web.api.auth import TokenAuth

DESCRIPTION = """\
shihyo's figures for other systems: the programme's catalogue, every computed value in long format,
target judgements, reconciliation with published figures (all public, no token needed), and — with a
personal API token made on the account page (/account/tokens/) — collection rounds: a unit's figures,
submissions and review steps, with the web's roles and org-unit scopes.

Send `Authorization: Bearer shy_…`. Errors are `{"error": …, "problems": [{"place", "message", "fix"}]}` in
Japanese, or English with `Accept-Language: en`. Each caller (a token, or an address without one) may make
a limited number of requests per minute; past it the answer is 429 with `Retry-After`.
"""


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # noqa: RUF012 - ninja reads it as a class attribute


api = NinjaAPI(
    renderer=Renderer(),
    title="shihyo API",
    version="1",
    description=DESCRIPTION,
    auth=TokenAuth(),
    urls_namespace="api-v1",
    docs_url=None,  # the human-readable page is shihyo's own (offline, translated): /api/v1/
    openapi_extra={"info": {"x-shihyo-version": __version__}},
)
errors.install(api)
api.add_router("", reads.router)
api.add_router("", collection.router)
