"""Every URL of the URLconf, driven with hypothesis: its path parameters (real codes and garbage), its query
parameters and its form fields (those the forms declare and those the rendered pages' <form> elements
carry), as every role, with garbage, extremes, NUL, huge text and Unicode edge cases.

For every request: no server error (status < 500); a refused POST (4xx) writes nothing (every table's rows,
checksummed before and after); after an accepted write the main pages still answer 200.

The URL patterns are read from the URLconf, so an endpoint added later is fuzzed without editing this file
(each pattern is a test case of its own). `SHIHYO_URL_FUZZ_EXAMPLES` sets the examples per URL and role
(default 3).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shihyo.web.forms import ParsedForm

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=False)]

EXAMPLES = int(os.environ.get("SHIHYO_URL_FUZZ_EXAMPLES", "3"))
ROLES = ("anonymous", "office", "reviewer", "ward_a_clerk", "ward_b_clerk", "city_clerk", "viewer")
# tables a request may change without writing anything of the user's: the session, and the failed sign-ins
# a wrong password records (a 401 is a refusal that is counted on purpose)
NOT_DATA = frozenset({"django_session"})

EXTREMES: tuple[str | bytes, ...] = (
    "",
    " ",
    "0",
    "-1",
    "1e10",
    "-1e308",
    "1e309",
    "NaN",
    "Infinity",
    "-Infinity",
    "9" * 400,
    "0.0000000000000000000001",
    "FY1500",
    "FY10000",
    "R0",
    "H99",
    "1500-01-01",
    "1800-01-01",
    "9999-12-31",
    "2022-02-30",
    "2022-07-01T25:61",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\x7f",
    "\u2028",
    "x" * 101,
    "x" * 1001,
    "あ" * 5000,
    "x" * 70_000,
    "\u202eR4上期",
    "e\u0301\u0301\u0301\u0301",
    "１２３４",
    "ＦＹ２０２２",
    "▲３",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "\ufeff",
    "🧮" * 50,
    b"\xed\xa0\x80",  # a lone surrogate, as UTF-8 bytes would carry it
    b"\xff\xfe",
    b"\xc3",
)


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    params: tuple[tuple[str, str], ...]  # (name, converter)


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), space)
        elif entry.name:
            converters = entry.pattern.converters
            route = prefix + str(entry.pattern)
            params = tuple((n, type(c).__name__) for n, c in converters.items())
            yield Route(f"{namespace}{entry.name}", route, params)


ROUTES = sorted({r.name: r for r in _routes(get_resolver().url_patterns)}.values(), key=lambda r: r.name)


def test_every_url_pattern_is_fuzzed() -> None:
    """The enumeration sees the whole URLconf (the dashboard, collection, accounts, sign-in, language, health)."""
    names = {r.name for r in ROUTES}
    assert {"healthz", "set_language", "collection:login", "collection:submission", "dashboard:report"} <= names
    assert len(ROUTES) >= 20


class _Forms(HTMLParser):
    """The fields of a page's <form> elements: name → the values the page offers (value=, <option>)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, set[str]] = {}
        self.posted: set[str] = set()  # the fields of forms sent by POST
        self._post = False
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._post = a.get("method", "get").lower() == "post"
        if tag in ("input", "textarea", "select", "button") and a.get("name"):
            if self._post:
                self.posted.add(a["name"])
            values = self.fields.setdefault(a["name"], set())
            if a.get("value"):
                values.add(a["value"])
            self._select = a["name"] if tag == "select" else self._select
        if tag == "option" and self._select and a.get("value"):
            self.fields[self._select].add(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "form":
            self._post = False


def _declared_fields() -> set[str]:
    """Every field a typed form of shihyo declares (forms not yet on a page are fuzzed too)."""
    names: set[str] = set()
    pending: list[type[ParsedForm]] = [ParsedForm]
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        names |= set(form.parsers) | set(form.list_parsers) | set(form.base_fields)
    return names


def _snapshot() -> dict[str, str]:
    """A checksum of every table's rows (the test programme is small enough to read whole)."""
    sums: dict[str, str] = {}
    for model in apps.get_models():
        table = model._meta.db_table
        if table in NOT_DATA:
            continue
        rows = model._default_manager.order_by("pk").values_list()
        sums[table] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return sums


def _encode(pairs: list[tuple[str, str | bytes]]) -> str:
    return "&".join(
        f"{quote_from_bytes(k.encode())}="
        f"{quote_from_bytes(v if isinstance(v, bytes) else v.encode('utf-8', 'surrogatepass'))}"
        for k, v in pairs
    )


@dataclass
class World:
    """The stored test programme, its accounts and round, and what the pages offer."""

    codes: dict[str, list[str]]
    fields: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # page → its forms' fields
    clients: dict[str, Client] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)


def _world() -> World:
    from shihyo.web.catalogue.evaluation import definitions_of

    programme = definitions_of("mini")
    codes = {
        "programme": ["mini"],
        "round": ["r4-h1"],
        "indicator": [i.code for i in programme.indicators],
        "org_unit": ["city", "ward_a", "ward_b"],
        "fmt": ["csv", "xlsx", "svg", "png", "pdf", "pptx", "json"],
        "report_fmt": ["xlsx", "pptx", "pdf"],
        "round_code": ["r4-h1"],
        "period": ["FY2021", "FY2022H1"],
        "subject": [i.code for i in programme.indicators],
        "series": [s.code for s in programme.series],
        "index": ["0"],
        "level": ["pillar", "area", "measure", "task"],
        "directory": ["org-units", "teams"],
        "item": [*(u.code for u in programme.org_units), *(t.code for t in programme.teams)],
        "node": [
            c for p in programme.pillars for a in p.areas for c in (p.code, a.code, *(m.code for m in a.measures))
        ],
    }
    world = World(codes)
    users = get_user_model().objects
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(users.get(username=role))
        world.clients[role] = client
    return world


def _value(extra: list[str]) -> st.SearchStrategy[str | bytes]:
    strategies: list[st.SearchStrategy[Any]] = [st.sampled_from(EXTREMES), st.text(max_size=40)]
    if extra:
        strategies.insert(0, st.sampled_from(sorted(extra)))
    return st.one_of(strategies)


def _path_value(name: str, converter: str, real: list[str]) -> st.SearchStrategy[str]:
    """Mostly a code that exists (so the request reaches the view's inputs), sometimes garbage."""
    if converter == "SlugConverter":
        garbage: st.SearchStrategy[str] = st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True)
    elif converter == "IntConverter":  # only digits reach such a view; the number may be any size
        garbage = st.integers(0, 10**30).map(str)
    else:
        garbage = st.text(st.characters(blacklist_characters="/"), min_size=1)  # no surrogates: those go as bytes
    if not real:
        return garbage
    return st.integers(0, 5).flatmap(lambda n: garbage if n == 0 else st.sampled_from(real))


def _real(route: Route, name: str, codes: dict[str, list[str]]) -> list[str]:
    if name == "code":  # a round's code under /collection/, a programme's in the API, an indicator's on the dashboard
        if route.name.startswith("api-v1:"):
            return codes["programme"]
        return codes["round"] if route.name.startswith("collection:") else codes["indicator"]
    if name == "fmt" and route.name == "dashboard:report":
        return codes["report_fmt"]
    return codes.get(name, [])


PAGES = ("/", "/collection/mini/r4-h1/", "/collection/mini/r4-h1/ward_a/")


def _readable(world: World) -> None:
    office = world.clients["office"]
    for page in PAGES:
        assert office.get(page).status_code == 200, page


def _discover(world: World, path: str) -> dict[str, set[str]]:
    """The fields of the forms the page shows the office, a ward's clerk and a reviewer (GET)."""
    return _page_forms(world, path)[0]


def _page_forms(world: World, path: str) -> tuple[dict[str, set[str]], set[str]]:
    found: dict[str, set[str]] = {}
    posted: set[str] = set()
    for role in ("office", "ward_a_clerk", "reviewer"):
        response = world.clients[role].get(path)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            parser = _Forms()
            parser.feed(response.content.decode("utf-8", "replace"))
            posted |= parser.posted
            for name, values in parser.fields.items():
                found.setdefault(name, set()).update(values)
    return found, posted


def _request(world: World, role: str, method: str, path: str, pairs: list[tuple[str, str | bytes]]) -> int:
    client = world.clients[role]
    body = _encode(pairs)
    if method == "get":
        response = client.get(f"{path}?{body}" if body else path)
    else:
        response = client.generic(method.upper(), path, body, content_type="application/x-www-form-urlencoded")
    world.stats[str(response.status_code)] = world.stats.get(str(response.status_code), 0) + 1
    return response.status_code


def _probe(world: World, role: str, method: str, path: str, pairs: list[tuple[str, str | bytes]]) -> None:
    """One request and the properties every request keeps."""
    if method == "get":
        assert _request(world, role, method, path, pairs) < 500, (role, method, path, pairs)
        return
    before = _snapshot()
    status = _request(world, role, method, path, pairs)
    assert status < 500, (role, method, path, pairs)
    after = _snapshot()
    changed = sorted(t for t in after if after[t] != before[t])
    if status == 401 and path == reverse("collection:login"):
        # a wrong password is counted (the throttle's counter of the name and address)
        changed = [t for t in changed if t not in ("collection_loginfailure", "collection_signincounter")]
    if path.startswith("/api/"):
        changed = [t for t in changed if t != "api_ratewindow"]  # the API counts every request, refused or not
    if status >= 400:
        assert not changed, (f"a {status} to {method} {path} wrote {changed}", role, pairs)
    elif changed:
        world.stats["accepted writes"] = world.stats.get("accepted writes", 0) + 1
        world.fields.clear()  # the pages now hold new versions
        _readable(world)


# POST-only addresses whose forms sit on another page: the sign-out button and the language switch on every
# page, review and upload on the submission page
FORM_ON = {"collection:logout": "/", "set_language": "/", "collection:review": "..", "collection:upload": ".."}


def _form_page(route: Route, path: str) -> str:
    """The page that shows the address's form (itself, unless FORM_ON says otherwise)."""
    where = FORM_ON.get(route.name, path)
    return path.rstrip("/").rsplit("/", 1)[0] + "/" if where == ".." else where


PUBLIC = ("dashboard:", "healthz", "set_language", "collection:login")
QUERY = frozenset({"programme", "period", "as_of", "code", "org_unit", "round", "next"})
# the classes of input that once gave a server error, each sent in every field of every URL (the sweep)
NASTY: tuple[str | bytes, ...] = ("a\x00b", "x" * 70_000, "1e10", "FY1500", b"\xed\xa0\x80")


def _sweep(world: World, route: Route) -> None:
    """Deterministic: each field (with the page's own values in the others) and each query parameter a page
    reads × each input of NASTY, by GET and POST: anonymously on public pages, as the office (who reaches
    every form) elsewhere."""
    kwargs = {name: _real(route, name, world.codes)[0] for name, _ in route.params}
    path = reverse(route.name, kwargs=kwargs)
    role = "anonymous" if route.name.startswith(PUBLIC) else "office"
    offered, posted = _page_forms(world, _form_page(route, path))
    plan = [("get", name) for name in sorted(QUERY | (set(offered) - posted))]
    plan += [("post", name) for name in sorted(posted)]
    for method, name in plan:
        for bad in NASTY:
            writes = world.stats.get("accepted writes", 0)
            base = [(n, sorted(v)[0]) for n, v in sorted(offered.items()) if v and n != name]
            _probe(world, role, method, path, [*base, (name, bad)])
            if world.stats.get("accepted writes", 0) != writes:  # the page now holds a new version
                offered, posted = _page_forms(world, _form_page(route, path))


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_every_url_answers_garbage_without_a_server_error(round_: object, route: Route) -> None:
    """The sweep, then hypothesis: a role, path parameters, the page's fields mostly as the page fills them
    and one field (offered, declared or unknown) with garbage."""
    world = _world()
    _sweep(world, route)
    declared = _declared_fields()
    extra_names = st.sampled_from(sorted(declared | {"next", "language", "round", "lang", "x"}))

    @settings(
        max_examples=EXAMPLES * len(ROLES),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        role = data.draw(st.sampled_from(ROLES), label="role")
        kwargs = {
            name: data.draw(_path_value(name, conv, _real(route, name, world.codes)), label=name)
            for name, conv in route.params
        }
        path = reverse(route.name, kwargs=kwargs)
        page = _form_page(route, path)
        if page not in world.fields:
            world.fields[page] = _discover(world, page)
        offered = world.fields[page]
        method = data.draw(st.sampled_from(("get", "get", "post", "post", "post", "put")), label="method")
        # every field the page offers, mostly with a value the page holds (so the request gets past the
        # checks that come first), and one field — offered, declared by a form, or unknown — with garbage
        pairs: list[tuple[str, str | bytes]] = []
        for name in sorted(offered):
            how = data.draw(st.integers(0, 9), label=f"how {name}")
            if how == 0:
                continue
            values = sorted(offered[name])
            if how < 8 and values:
                pairs.append((name, data.draw(st.sampled_from(values), label=name)))
            else:
                pairs.append((name, data.draw(_value(values), label=name)))
        focus = data.draw(st.sampled_from(sorted(offered)) | extra_names if offered else extra_names, label="focus")
        pairs = [p for p in pairs if p[0] != focus]
        pairs.append((focus, data.draw(st.sampled_from(EXTREMES) | _value([]), label="garbage")))
        for _ in range(data.draw(st.integers(0, 2), label="extra fields")):
            pairs.append((data.draw(extra_names), data.draw(_value([]))))
        _probe(world, role, method, path, pairs)

    run()
    print(f"\n{route.name}: {sum(v for k, v in world.stats.items() if k.isdigit())} requests {world.stats}")


def test_the_fields_found_include_the_submission_forms_values(round_: object) -> None:
    """The page-form discovery reaches the dynamic per-value fields (v-<series>-<period>), so the fuzz sends
    them with garbage and with the values the page holds."""
    world = _world()
    fields = _discover(world, "/collection/mini/r4-h1/ward_a/")
    assert {"v-online-FY2022H1", "c-online-FY2022H1", "version", "action"} <= set(fields), sorted(fields)
    assert re.match(r"^\d+$", next(iter(fields["version"])))
