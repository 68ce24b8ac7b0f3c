"""Fuzzing the upload paths: whatever a department's submitter sends, shihyo refuses it readably or records it whole.

Submitters of a collection round upload the Excel template they downloaded or a CSV, and some of what comes
back is malformed (Excel re-saved it, a macro broke it, a file was cut off in the mail) or hostile (formula
injection, zip tricks, XML entities). Every example here is posted through the Django test client as the
ward A submitter, and three promises are checked after each one:

- no server error: the answer is 302 (accepted), 400 (refused) or 409 (someone else changed the figures);
- no partial write: a refused upload adds no entry, step or published revision; an accepted one adds exactly
  one step and publishes nothing (publishing is the reviewer's approval);
- every refusal readable: the page lists the problems, each with its place and a message in both languages,
  of a bounded length, as it appears on the page.

The strategies: (a) random bytes under a spreadsheet or CSV name; (b) CSVs from a grammar (headers, rows,
hostile and Japanese notations, encodings, quoting, line ends); (c) the real template edited with openpyxl
(values of every type in every kind of cell, sheets deleted or renamed, the hidden sheet's values changed);
(d) the real template corrupted as bytes or as zip members (truncation, flipped bytes, garbage, XML entity
attacks); (e) the web form with the same values. A zip bomb has a test of its own. Explicit examples pin
what the fuzzing found (a period before Meiji, values longer than their column, NUL characters, a whole
cell quoted back in a message). SHIHYO_FUZZ_EXAMPLES sets the examples per strategy (60 by default);
`pytest -s` prints one summary line per strategy.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
import traceback
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import openpyxl  # type: ignore[import-untyped]  # no stubs
import pytest
from django.template.defaultfilters import linebreaksbr
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]  # no stubs

from shihyo.core.problems import Problem
from shihyo.io.submissions import CSV_COLUMNS, META_SHEET, SHEET
from shihyo.web.catalogue.models import ObservationRevision
from shihyo.web.collection.models import EntryRevision, Submission, SubmissionEvent
from tests.collection.conftest import PASSWORD

pytestmark = [pytest.mark.db, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("SHIHYO_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ENOUGH = 50  # examples after which each strategy has reached both answers (accepted and refused)
UNIT = "ward_a"
BASE = f"/collection/mini/r4-h1/{UNIT}"
ROWS_ASKED = 2  # online and staff for R4上期
MAX_PROBLEM_TEXT = 1000  # a message the submitter can still read: no file echoed back in full
SECRET = "root:x:0:"  # the first line of /etc/passwd, should an XML entity ever read it

# What submitters type, paste and get from other systems, and what an attacker tries.
HOSTILE = (
    "=cmd|' /C calc'!A0",
    "+1",
    "-1",
    "@SUM(1)",
    "=1/0",
    '=HYPERLINK("http://evil.example","x")',
    "▲1,000",
    "△5",
    "１２万",
    "1億2,000万",
    "2,000万1億",
    "",
    " ",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "1e999",
    "1E+999999999",
    "0x10",
    "1_000",
    "１,２００",
    "1,2,3",
    "1.2.3",
    "١٢",
    "½",
    "Ⅻ",
    "5%",
    "5件",
    "5人",
    "5万件",
    "ー",
    "―",
    "n/a",
    "…",
    "\x00",
    "1\x00",
    '"',
    '""',
    'a"b',
    "1\n2",
    "line\r\nbreak",
    "\t1",
    " 3 ",
    "\u202e1",
    "\ufeff1",
    "😀",
    "👨\u200d👩\u200d👧",
    "<script>alert(1)</script>",
    "{{ 7|add:7 }}",
    "%s%s%n",
    "'; DROP TABLE collection_entryrevision; --",
    "9" * 61,
    "9" * 150,
    "1" + " " * 150 + "2",
    "0." + "0" * 80 + "1",
    "0.12345678901234567890123456789012345678901234567890123456789",
    "9" * 5000,
)
VALID_COUNTS = ("0", "5", "12", "１０", "300", "1,200", "10,227", "1.2万", "１２万", "1億2,000万", " 42 ")
COMMENTS = ("", "前年より増加", "窓口の電子化で増加", "'=1+1", "=1+1", "集計方法を変更\n（内訳は別紙）")
CODES = ("online", "staff", "counter", "rate", "online_smart", "ONLINE", " online ", "", "onl ine", "電子申請件数")
PERIODS = (
    "R4上期",
    "FY2022H1",
    "令和4年度上期",
    "2022年度上期",
    "Ｒ４上期",
    "R4下期",
    "FY2021H2",
    "R4",
    "FY1500",
    "FY0001H1",
    "FY9998H2",
    "R99上期",
    "M1",
    "H31/R1",
    "2022-04",
    "2022",
    "",
)


def long_digits(n: int) -> str:
    return "9" * n


text_values = st.one_of(
    st.sampled_from(HOSTILE + VALID_COUNTS + COMMENTS),
    st.text(max_size=20),
    st.integers(-(10**30), 10**30).map(str),
    st.floats().map(repr),
    st.integers(50, 3000).map(long_digits),
)
cell_texts = st.one_of(text_values, st.sampled_from(CODES + PERIODS))


# --- the world of one fuzzing run --------------------------------------------------------------------------


@dataclass
class Tally:
    """What one strategy's examples came to, printed at the end of the test (`pytest -s`)."""

    strategy: str
    tried: int = 0
    accepted: int = 0
    rejected: int = 0
    conflicts: int = 0
    server_errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"fuzz {self.strategy}: {self.tried} examples, {self.accepted} accepted, {self.rejected} rejected, "
            f"{self.conflicts} conflicts, {self.server_errors} server errors"
        )


@dataclass(frozen=True)
class Counts:
    entries: int
    events: int
    published: int


def counts() -> Counts:
    return Counts(EntryRevision.objects.count(), SubmissionEvent.objects.count(), ObservationRevision.objects.count())


def version() -> int:
    return Submission.objects.get(round__code="r4-h1", org_unit=UNIT).version


def signed_in(name: str = "ward_a_clerk") -> Client:
    """A submitter's browser; a server error comes back as a 500 response (with its traceback kept) to count."""
    client = Client(raise_request_exception=False)
    response = client.post("/login/", {"username": name, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def named(raw: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(raw)
    handle.name = name
    return handle


Shown = Callable[[Problem], list[str]]  # the texts of a problem as its page shows them


def check_answer(response: Any, before: Counts, base: int, tally: Tally, render: Shown) -> None:
    """The three promises for one example; `render` gives the texts a refusal must show on its page."""
    status = response.status_code
    tally.tried += 1
    tally.statuses[status] = tally.statuses.get(status, 0) + 1
    if status >= 500:
        tally.server_errors += 1
        trace = "".join(traceback.format_exception(*response.exc_info)) if response.exc_info else ""
        raise AssertionError(f"server error {status}\n{trace[-4000:]}")
    after = counts()
    body = response.content.decode()
    assert SECRET not in body, "a file on the server leaked into the page"
    if status == 302:
        tally.accepted += 1
        assert after.events == before.events + 1, "an accepted upload is exactly one step"
        assert 0 <= after.entries - before.entries <= ROWS_ASKED, "only the values asked for are entered"
        assert after.published == before.published, "nothing is published before a reviewer approves"
        assert version() == base + 1
        assert not EntryRevision.objects.filter(comment__contains=SECRET).exists()
        return
    assert status in (400, 409), f"unexpected status {status}: {body[:500]}"
    assert after == before, f"a refused upload wrote something: {before} → {after}"
    assert version() == base
    if status == 409:
        tally.conflicts += 1
        assert "他の人がこの提出を更新しました" in body
        return
    tally.rejected += 1
    problems = response.context["problems"] if response.context else ()
    assert problems, f"a refusal without the list of problems: {body[:1000]}"
    for problem in problems:
        assert problem.place().strip(), f"a problem without its place: {problem}"
        assert problem.ja.strip() and problem.en.strip(), f"a problem without a message: {problem}"
        for text in (problem.render("ja"), problem.render("en")):
            assert len(text) <= MAX_PROBLEM_TEXT, f"an unreadably long problem ({len(text)} characters): {text[:300]}…"
        for shown in render(problem):
            assert shown in body, f"the problem is not on the page: {shown[:300]}"


def on_error_page(problem: Problem) -> list[str]:
    """The upload's error page shows each problem as one line: place, message and hint."""
    return [str(linebreaksbr(problem.render("ja"), autoescape=True))]


def on_form_page(problem: Problem) -> list[str]:
    """The submission page lists each problem with its place beside the message and hint."""
    hint = f" — {problem.hint_ja}" if problem.hint_ja else ""
    return [str(escape(problem.place())), str(escape(problem.ja + hint))]


SENT_VERSIONS = ("current", "current", "current", "older", "newer", "missing", "full-width", "superscript", "huge")


def version_field(current: int, sent: str) -> str:
    """The version a CSV upload is posted with: the page's, a stale or unknown one, none, or unreadable."""
    texts = {"current": str(current), "older": str(max(current - 1, 0)), "newer": str(current + 1)}
    return texts.get(sent) or {"missing": "", "full-width": "１", "superscript": "²", "huge": "9" * 5000}[sent]


def upload(client: Client, tally: Tally, name: str, raw: bytes, sent: str = "current") -> None:
    """Post one file as the ward A submitter and check the answer."""
    before, current = counts(), version()
    data = {"file": named(raw, name), "version": version_field(current, sent)}
    check_answer(client.post(f"{BASE}/upload/", data), before, current, tally, on_error_page)


def run(tally: Tally, body: Callable[[], None]) -> None:
    """Run a hypothesis-driven body and print the tally even when an example fails."""
    try:
        body()
    finally:
        print(f"\n{tally.summary()} (statuses {dict(sorted(tally.statuses.items()))})")


# --- (a) random bytes --------------------------------------------------------------------------------------

NAMES = ("r4.xlsx", "r4.csv", "R4.XLSX", "r4.Csv", "r4.xls", "r4", "r4.txt", "../../r4.xlsx", "提出.csv")


@st.composite
def random_files(draw: st.DrawFn) -> tuple[str, bytes]:
    prefix = draw(st.sampled_from((b"", b"PK\x03\x04", b"PK\x05\x06" + b"\x00" * 18, b"\xef\xbb\xbf", b"code,")))
    return draw(st.sampled_from(NAMES)), prefix + draw(st.binary(max_size=2048))


def test_random_bytes_are_refused_readably(round_: object) -> None:
    client, tally = signed_in(), Tally("(a) random bytes")

    @FUZZ
    @given(random_files())
    def one(file: tuple[str, bytes]) -> None:
        upload(client, tally, *file)

    run(tally, one)
    assert tally.tried >= EXAMPLES


# --- (b) CSV from a grammar --------------------------------------------------------------------------------


@dataclass
class CsvDocument:
    header: list[str]
    rows: list[dict[str, str]]
    ragged: dict[int, int] = field(default_factory=dict)  # row index → cells added (or removed, if negative)


def _apply_csv_mutation(doc: CsvDocument, mutation: tuple[Any, ...]) -> None:
    kind, *args = mutation
    if kind == "shuffle":
        random.Random(args[0]).shuffle(doc.header)
    elif kind == "drop_column" and args[0] in doc.header:
        doc.header.remove(args[0])
    elif kind == "extra_column":
        doc.header.insert(args[1] % (len(doc.header) + 1), args[0])
    elif kind == "rename_column" and doc.header:
        doc.header[args[0] % len(doc.header)] = args[1]
    elif kind == "empty_header":
        doc.header = []
    elif kind == "set" and doc.rows:
        doc.rows[args[0] % len(doc.rows)][args[1]] = args[2]
    elif kind == "add_row":
        doc.rows.insert(args[0] % (len(doc.rows) + 1), dict(args[1]))
    elif kind == "drop_row" and doc.rows:
        doc.rows.pop(args[0] % len(doc.rows))
    elif kind == "ragged" and doc.rows:
        doc.ragged[args[0] % len(doc.rows)] = args[1]


row_dicts = st.fixed_dictionaries(
    {
        "code": st.one_of(st.sampled_from(CODES), cell_texts),
        "period": st.one_of(st.sampled_from(PERIODS), cell_texts),
        "value": st.one_of(st.sampled_from(VALID_COUNTS), text_values),
        "comment": st.one_of(st.sampled_from(COMMENTS), text_values),
    }
)
column_names = st.one_of(
    st.sampled_from((*CSV_COLUMNS, "extra", "備考", "VALUE", " value ", "", "コード", "\ufeffcode", "code\x00")),
    st.text(max_size=8),
)
csv_mutations = st.one_of(
    st.tuples(st.just("shuffle"), st.integers(0, 2**32)),
    st.tuples(st.just("drop_column"), st.sampled_from(CSV_COLUMNS)),
    st.tuples(st.just("extra_column"), column_names, st.integers(0, 10)),
    st.tuples(st.just("rename_column"), st.integers(0, 10), column_names),
    st.tuples(st.just("empty_header")),
    st.tuples(st.just("set"), st.integers(0, 5), st.sampled_from(("code", "period", "value", "comment")), cell_texts),
    st.tuples(st.just("set"), st.integers(0, 5), st.just("value"), text_values),
    st.tuples(st.just("add_row"), st.integers(0, 5), row_dicts),
    st.tuples(st.just("drop_row"), st.integers(0, 5)),
    st.tuples(st.just("ragged"), st.integers(0, 5), st.sampled_from((-3, -1, 1, 2))),
)


def _csv_text(doc: CsvDocument, quoting: str, line_end: str) -> str:
    lines: list[list[str]] = [doc.header] if doc.header else []
    for i, row in enumerate(doc.rows):
        cells = [row.get(column, "") for column in doc.header] or list(row.values())
        delta = doc.ragged.get(i, 0)
        cells = cells + ["x"] * delta if delta > 0 else cells[: len(cells) + delta]
        lines.append(cells)
    if quoting == "raw":  # no quoting at all, as a hand-written file or a careless export would have it
        return "".join(",".join(cells) + line_end for cells in lines)
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL if quoting == "all" else csv.QUOTE_MINIMAL, lineterminator=line_end)
    writer.writerows(lines)
    return out.getvalue()


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A correct CSV of both rows, then a few mutations of its header, cells, rows and bytes."""
    doc = CsvDocument(
        header=list(draw(st.sampled_from((CSV_COLUMNS, ("code", "period", "value", "comment"))))),
        rows=[
            {"code": code, "period": draw(st.sampled_from(PERIODS[:5])), "value": draw(st.sampled_from(VALID_COUNTS))}
            | {"comment": draw(st.sampled_from(COMMENTS[1:4]))}
            for code in ("online", "staff")
        ],
    )
    for mutation in draw(st.lists(csv_mutations, max_size=4)):
        _apply_csv_mutation(doc, mutation)
    text = _csv_text(doc, draw(st.sampled_from(("minimal", "all", "raw"))), draw(st.sampled_from(("\r\n", "\n", "\r"))))
    text = draw(st.sampled_from(("", "\ufeff"))) + text + draw(st.sampled_from(("", "\r\n", "\r\n\r\n,,,\r\n", '"')))
    encoding = draw(st.sampled_from(("utf-8", "utf-8-sig", "cp932")))
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:  # Excel would not have written this text as Shift_JIS: send it as UTF-8 instead
        raw = text.encode("utf-8")
    cut = draw(st.one_of(st.none(), st.integers(0, max(len(raw) - 1, 0))))
    return draw(st.sampled_from(("r4.csv", "R4.CSV"))), raw if cut is None else raw[:cut]


def test_csv_uploads_from_a_grammar(round_: object) -> None:
    client, tally = signed_in(), Tally("(b) CSV grammar")

    @FUZZ
    @given(csv_files(), st.sampled_from(SENT_VERSIONS))
    @example(("r4.csv", b"code,period,value\r\nonline,FY1500,1\r\n"), "current")  # no era names FY1500
    @example(("r4.csv", f"code,period,value\r\nonline,R4上期,{'9' * 150}\r\n".encode()), "current")  # too long
    @example(("r4.csv", f"code,period,value\r\nonline,{'R4上期' * 5000},1\r\n".encode()), "current")
    def one(file: tuple[str, bytes], sent: str) -> None:
        upload(client, tally, *file, sent=sent)

    run(tally, one)
    assert EXAMPLES < ENOUGH or (tally.accepted and tally.rejected), "the grammar reaches both answers"


# --- (c) the real template, edited -------------------------------------------------------------------------


def legal(text: str) -> str:
    """openpyxl refuses control characters in cells; what it can write is what Excel can save."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


FORMULAS = ("=1/0", "=SUM(H7:H8)", "=H8", '=WEBSERVICE("http://evil.example")', "=A1&B1", "=#REF!", "={1,2}")
cell_values: st.SearchStrategy[object] = st.one_of(
    cell_texts.map(legal),
    st.sampled_from(FORMULAS),
    st.integers(-(10**20), 10**20),
    st.integers(0, 308).map(lambda n: 10**n - 1),  # openpyxl writes no int beyond the largest float
    st.floats(),
    st.decimals().filter(lambda d: not d.is_snan()),  # openpyxl cannot write a signalling NaN
    st.booleans(),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.times(),
    st.integers(1, 32767).map(long_digits),
)
cell_refs = st.one_of(
    st.sampled_from(("H7", "H8", "I7", "I8", "A7", "A8", "B7", "B8")),
    st.builds(lambda column, row: f"{column}{row}", st.sampled_from("ABHI"), st.integers(1, 12)),
    st.sampled_from(("H9", "A9", "B9", "J7", "G7", "Z100", "H5006", "A5006", "XFD1048576")),
)
sheet_names = st.sampled_from((SHEET, META_SHEET))
template_edits = st.one_of(
    st.tuples(st.just("cell"), cell_refs, cell_values),
    st.tuples(st.just("cell"), cell_refs, cell_values),  # twice: what a submitter mostly changes is a cell
    st.tuples(st.just("meta"), st.integers(1, 6), cell_values),
    st.tuples(st.just("meta_key"), st.integers(1, 6), cell_values),
    st.tuples(st.just("delete_sheet"), sheet_names),
    st.tuples(st.just("rename_sheet"), sheet_names, st.sampled_from(("Sheet1", "提出 ", "SHIHYO", "提出(2)"))),
    st.tuples(st.just("add_sheet"), st.sampled_from(("Sheet1", "提出", "shihyo"))),
    st.tuples(st.just("show_meta")),
    st.tuples(st.just("version"), st.sampled_from((-1, 1, 10**6))),
)


def _edit(book: Any, edit: tuple[Any, ...]) -> None:
    kind, *args = edit
    if kind == "cell" and SHEET in book.sheetnames:
        book[SHEET][args[0]] = args[1]
    elif kind in ("meta", "meta_key") and META_SHEET in book.sheetnames:
        book[META_SHEET].cell(row=args[0], column=2 if kind == "meta" else 1, value=args[1])
    elif kind == "delete_sheet" and args[0] in book.sheetnames and len(book.sheetnames) > 1:
        del book[args[0]]
    elif kind == "rename_sheet" and args[0] in book.sheetnames:
        book[args[0]].title = args[1]
    elif kind == "add_sheet":
        book.create_sheet(args[0])
    elif kind == "show_meta" and META_SHEET in book.sheetnames:
        book[META_SHEET].sheet_state = "visible"
    elif kind == "version" and META_SHEET in book.sheetnames:  # filled in against an older (or unknown) version
        book[META_SHEET]["B5"] = str(max(version() + args[0], 0))


def filled_template(client: Client, edits: list[tuple[Any, ...]], values: tuple[object, ...]) -> bytes:
    """The template as the page serves it now, filled in with openpyxl, then edited."""
    response = client.get(f"{BASE}/template.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    for ref, value in zip(("H7", "H8", "I7", "I8"), values, strict=True):
        book[SHEET][ref] = value
    for edit in edits:
        _edit(book, edit)
    if not any(sheet.sheet_state == "visible" for sheet in book.worksheets):
        book.worksheets[0].sheet_state = "visible"  # openpyxl cannot save a book with every sheet hidden
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


filled_values = st.tuples(
    st.sampled_from(VALID_COUNTS), st.sampled_from(VALID_COUNTS), st.sampled_from(COMMENTS), st.sampled_from(COMMENTS)
)


def test_edited_templates(round_: object) -> None:
    client, tally = signed_in(), Tally("(c) edited templates")

    @FUZZ
    @given(st.lists(template_edits, max_size=4), filled_values)
    @example([("meta", 4, "9" * 5000)], ("1", "1", "", ""))  # the org unit of another template, quoted back
    @example([("cell", "H7", "9" * 61)], ("1", "1", "", ""))  # more digits than a value keeps
    def one(edits: list[tuple[Any, ...]], values: tuple[object, ...]) -> None:
        upload(client, tally, "r4.xlsx", filled_template(client, edits, values))

    run(tally, one)
    assert EXAMPLES < ENOUGH or (tally.accepted and tally.rejected), "the edits reach both answers"


# --- (d) the real template, corrupted ----------------------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_XML, BOOK_XML = "xl/worksheets/sheet1.xml", "xl/workbook.xml"  # the submission sheet is the first
READS_A_FILE = '<!ENTITY x SYSTEM "file:///etc/passwd">'
BILLION_LAUGHS = (  # "x" would expand to 10⁹ times "lol"
    '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i + 1} "{f"&a{i};" * 10}">' for i in range(9)) + '<!ENTITY x "&a9;">'
)
DEEP = f'<worksheet xmlns="{MAIN}"><sheetData>{"<row>" * 50_000}{"</row>" * 50_000}</sheetData></worksheet>'


def _declare(text: str, root: str, payload: str) -> str:
    """The XML part with a document type declaring `payload`, after the XML declaration if there is one."""
    head = re.match(r"<\?xml[^>]*\?>", text)
    at = head.end() if head else 0
    return f"{text[:at]}<!DOCTYPE {root} [{payload}]>{text[at:]}"


def _hostile_sheet(xml: bytes, payload: str) -> bytes:
    """The submission sheet with an entity declared and used as the comment of I7 (a comment is kept as written)."""
    text = _declare(xml.decode("utf-8"), "worksheet", payload)
    cell = '<c r="I7" t="inlineStr"><is><t>&x;</t></is></c>'
    if re.search(r'<c r="I7"', text):
        return re.sub(r'<c r="I7"[^>]*?(/>|>.*?</c>)', cell, text, count=1).encode("utf-8")
    row = re.search(r'<row r="7"[^>]*>.*?(</row>)', text)
    assert row is not None, "the template has a row 7"
    return (text[: row.start(1)] + cell + text[row.start(1) :]).encode("utf-8")


def _hostile_book(xml: bytes, payload: str) -> bytes:
    """The workbook part with an entity declared and used as the name of the hidden sheet."""
    text = _declare(xml.decode("utf-8"), "workbook", payload)
    return text.replace(f'name="{META_SHEET}"', 'name="&x;"').encode("utf-8")


def _rewrite(raw: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook with one member changed (or, for "duplicate", the submission sheet stored twice)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")  # a duplicate member name is one of the tricks
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, change(data) if info.filename == member else data)
            if member == "duplicate" and info.filename.endswith("sheet1.xml"):
                target.writestr(info.filename, b"<worksheet/>")
    return out.getvalue()


def _members(raw: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return archive.namelist()


corruptions = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("flip"), st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), min_size=1, max_size=8)),
    st.tuples(st.just("garbage"), st.integers(0, 20), st.binary(max_size=512)),
    st.tuples(st.just("cut_member"), st.integers(0, 20), st.floats(0, 1)),
    st.tuples(st.just("empty_member"), st.integers(0, 20)),
    st.tuples(
        st.just("entity"), st.sampled_from(("xxe", "laughs", "laughs_in_book", "xxe_in_book", "deep", "duplicate"))
    ),
)


def corrupt(raw: bytes, corruption: tuple[Any, ...]) -> bytes:
    kind, *args = corruption
    members = _members(raw)
    if kind == "truncate":
        return raw[: int(args[0] * (len(raw) - 1))]
    if kind == "flip":
        flipped = bytearray(raw)
        for where, mask in args[0]:
            flipped[int(where * (len(raw) - 1))] ^= mask
        return bytes(flipped)
    if kind == "garbage":
        return _rewrite(raw, members[args[0] % len(members)], lambda _: args[1])
    if kind == "cut_member":
        return _rewrite(raw, members[args[0] % len(members)], lambda data: data[: int(args[1] * len(data))])
    if kind == "empty_member":
        return _rewrite(raw, members[args[0] % len(members)], lambda _: b"")
    if args[0] == "xxe":
        return _rewrite(raw, SHEET_XML, lambda data: _hostile_sheet(data, READS_A_FILE))
    if args[0] == "laughs":
        return _rewrite(raw, SHEET_XML, lambda data: _hostile_sheet(data, BILLION_LAUGHS))
    if args[0] == "laughs_in_book":
        return _rewrite(raw, BOOK_XML, lambda data: _hostile_book(data, BILLION_LAUGHS))
    if args[0] == "xxe_in_book":
        return _rewrite(raw, BOOK_XML, lambda data: _hostile_book(data, READS_A_FILE))
    if args[0] == "deep":
        return _rewrite(raw, SHEET_XML, lambda _: DEEP.encode())
    return _rewrite(raw, "duplicate", lambda data: data)


def test_corrupted_templates(round_: object) -> None:
    client, tally = signed_in(), Tally("(d) corrupted templates")

    @FUZZ
    @given(corruptions, filled_values)
    def one(corruption: tuple[Any, ...], values: tuple[object, ...]) -> None:
        upload(client, tally, "r4.xlsx", corrupt(filled_template(client, [], values), corruption))

    run(tally, one)
    assert EXAMPLES < ENOUGH or tally.rejected, "corruption is noticed"


def test_a_zip_bomb_is_refused_before_it_is_unzipped(round_: object) -> None:
    """A 5 MB upload can unzip to 5 GB of XML (about 25 s of parsing per request); the template is far smaller."""
    client, tally = signed_in(), Tally("zip bomb")
    spaces = b" " * (60 * 1024 * 1024)
    bomb = _rewrite(
        filled_template(client, [], ("1", "1", "", "")),
        SHEET_XML,
        lambda data: data.replace(b"<sheetData>", b"<sheetData>" + spaces),
    )
    assert len(bomb) < 1024 * 1024
    upload(client, tally, "r4.xlsx", bomb)
    assert tally.rejected == 1
    assert "展開すると大きすぎます" in client.post(f"{BASE}/upload/", {"file": named(bomb, "r4.xlsx")}).content.decode()


@pytest.mark.parametrize("sent", ["superscript", "huge"])
def test_an_unreadable_version_is_no_server_error(round_: object, sent: str) -> None:
    """A version field a browser never sends (the page writes ASCII digits), posted by hand or by a script."""
    client, tally = signed_in(), Tally(f"version {sent}")
    upload(client, tally, "r4.csv", "code,period,value\r\nonline,R4上期,1\r\nstaff,R4上期,1\r\n".encode(), sent=sent)


# --- (e) the web form --------------------------------------------------------------------------------------

form_values = st.one_of(st.sampled_from(VALID_COUNTS), text_values, st.text(max_size=30))
form_comments = st.one_of(st.sampled_from(COMMENTS), text_values, st.text(max_size=30))


def test_the_web_form_with_the_same_values(round_: object) -> None:
    client, tally = signed_in(), Tally("(e) web form")
    fields = ("v-online-FY2022H1", "v-staff-FY2022H1", "c-online-FY2022H1", "c-staff-FY2022H1")

    @FUZZ
    @given(st.tuples(form_values, form_values, form_comments, form_comments), st.sets(st.sampled_from(fields)))
    @example(("1", "1", "a\x00b", ""), set())  # PostgreSQL keeps no NUL character in text
    @example(("1" + " " * 150 + "2", "1", "", ""), set())  # a value longer than its column
    def one(texts: tuple[str, ...], left_out: set[str]) -> None:
        before, current = counts(), version()
        data = {name: text for name, text in zip(fields, texts, strict=True) if name not in left_out}
        response = client.post(f"{BASE}/", {**data, "version": str(current)})
        check_answer(response, before, current, tally, on_form_page)

    run(tally, one)
    assert EXAMPLES < ENOUGH or (tally.accepted and tally.rejected), "the values reach both answers"
