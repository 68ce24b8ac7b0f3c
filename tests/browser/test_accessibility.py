"""axe-core on every page type, in Japanese and English: no violation of impact serious or critical.

axe runs its default rule set (WCAG 2.0/2.1 A and AA, and best practices) on the page as drawn, charts
included. At desktop size for both languages, and at phone width in Japanese (tables that scroll sideways
there must be reachable by keyboard). Every violation, of any impact, is printed with its nodes; the full
results are saved as JSON in the artifacts folder.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, ViewportSize

from tests.browser.conftest import AXE_RESULTS, DESKTOP, LANGUAGES, PAGES, PHONE, Web

BLOCKING = ("serious", "critical")
CASES = [(name, lang, "desktop") for name in PAGES for lang in LANGUAGES] + [(name, "ja", "phone") for name in PAGES]
SIZES: dict[str, ViewportSize] = {"desktop": DESKTOP, "phone": PHONE}

_axe = Axe()


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    at {' '.join(str(t) for t in node['target'])}: {node['html'][:200]}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"        {line.strip()}" for line in summary.splitlines() if line.strip())
    return "\n".join(lines)


def check_axe(page: Page, name: str) -> None:
    """axe-core on the page as it is: results saved as AXE_RESULTS/NAME.json; serious or critical fail."""
    results = _axe.run(page, options={"resultTypes": ["violations"]})
    violations: list[dict[str, Any]] = results.response["violations"]
    (AXE_RESULTS / f"{name}.json").write_text(json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8")
    if violations:
        print(f"axe on {page.url} ({name}):\n{describe(violations)}")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"axe: serious or critical violations on {page.url} ({name}):\n" + describe(blocking)


@pytest.mark.parametrize(("name", "lang", "size"), CASES, ids=[f"{n}-{la}-{s}" for n, la, s in CASES])
def test_axe(web: Web, name: str, lang: str, size: str) -> None:
    page = web.open(PAGES[name], lang, SIZES[size])
    check_axe(page, f"{name}-{lang}-{size}")
    web.assert_clean()
