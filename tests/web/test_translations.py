"""The compiled Japanese catalogue matches its source, and every UI string is translated."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import shihyo

LOCALE = Path(shihyo.__file__).parent / "locale"


def po_entries(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgid_plural")[0].split("msgstr")[0]))
        msgstr = "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[1])) if "msgstr" in block else ""
        if msgid:
            entries[msgid] = msgstr.split('"')[0] if "msgstr[" in block else msgstr
    return entries


def test_every_message_is_translated_and_compiled() -> None:
    entries = po_entries(LOCALE / "ja" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 50
    untranslated = [k for k, v in entries.items() if not v]
    assert not untranslated, f"untranslated: {untranslated}"
    with (LOCALE / "ja" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid in entries:
        assert compiled.gettext(msgid) != msgid or msgid == entries[msgid], f"run `make messages`: {msgid!r}"
