"""Japanese number notation: parsing "▲1,234", "1億2,000万", "35.2%" and formatting back.

All arithmetic is exact Decimal arithmetic; text is never parsed through float.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, Inexact, localcontext

__all__ = [
    "MISSING_MARKERS",
    "NumberParseError",
    "ParsedNumber",
    "format_japanese_number",
    "format_percent",
    "format_points",
    "is_missing",
    "parse_japanese_number",
    "round_half_up",
    "to_decimal",
]

# Multiplier words and their powers of ten, longest first so "百万" wins over "万".
_MULTIPLIER_EXPONENTS = {"百万": 6, "千万": 7, "千": 3, "万": 4, "億": 8, "兆": 12}
SCALES: dict[str, Decimal] = {"": Decimal(1)} | {word: Decimal(10**exp) for word, exp in _MULTIPLIER_EXPONENTS.items()}

_PLUS_SIGNS = frozenset("+")  # "＋" becomes "+" under NFKC
_MINUS_SIGNS = frozenset("▲△-−‐‑‒–—―")  # "－" becomes "-" under NFKC
_DASHES = frozenset("-−‐‑‒–—―－ー")

MISSING_MARKERS: frozenset[str] = frozenset(
    {"", "―", "ー", "-", "—", "–", "－", "‐", "‑", "‒", "−", "n/a", "N/A", "NA", "…", "..."}
)
"""Cell contents meaning "no value" (compared after NFKC and strip; n/a and NA in any case)."""

_MISSING_NORMALISED = frozenset(unicodedata.normalize("NFKC", m).casefold() for m in MISSING_MARKERS)

_MAX_LENGTH = 200
_NUMBER = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")
_MULTIPLIER = re.compile("|".join(_MULTIPLIER_EXPONENTS))  # dict order keeps longest first
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")

_HOW_EN = "Use digits, optionally with ▲ for negatives, commas, and 万/百万/億 (e.g. ▲1,234, 1億2,000万, 35.2%)."
_HOW_JA = "数字で書いてください（負の数は▲、桁区切りのカンマ、万・百万・億が使えます。例: ▲1,234、1億2,000万、35.2%）。"


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from text.

    value: exact value with multipliers applied ("197万" → 1970000).
    unit: text after the number and multiplier ("%", "件", "ポイント", ...; "" if none).
    precision: place value of the last written digit times its multiplier ("16.2" → 0.1, "197万" → 10000).
    multiplier: multiplier of the last group (1, 1000, 10000, ...).
    """

    value: Decimal
    unit: str
    precision: Decimal
    multiplier: Decimal


class NumberParseError(ValueError):
    """Text that is not a number; str() is the English message."""

    def __init__(self, text: str, *, message_en: str, message_ja: str) -> None:
        super().__init__(message_en)
        self.text = text
        self.message_en = message_en
        self.message_ja = message_ja


def _error(text: str, en: str, ja: str) -> NumberParseError:
    return NumberParseError(
        text,
        message_en=f"Cannot read {text!r} as a number: {en}. {_HOW_EN}",
        message_ja=f"「{text}」は数値として読み取れません。{ja}。{_HOW_JA}",
    )


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def is_missing(text: str) -> bool:
    """Whether a cell holds a missing-value marker ("", "―", "-", "n/a", ...) rather than a number."""
    return _normalise(text).casefold() in _MISSING_NORMALISED


def _quantum(exponent: int) -> Decimal:
    """1 with the given exponent, as a quantize() argument (1E+4 rounds to 万)."""
    return Decimal((0, (1,), exponent))


def _power_of_ten(exponent: int) -> Decimal:
    """10**exponent written plainly (Decimal("1000"), Decimal("0.01"))."""
    return Decimal(10**exponent) if exponent >= 0 else Decimal((0, (1,), exponent))


def parse_japanese_number(text: str) -> ParsedNumber:
    """Parse Japanese number notation exactly.

    Accepts a leading sign (+, or ▲ △ and minus-like dashes for negatives), digits with
    thousands commas and one decimal point, descending multiplier groups (千 万 百万 千万 億 兆,
    e.g. "1億2,000万", "1万5000") and a unit suffix without digits ("%", "件", "万件" = 万 + 件).
    Raises NumberParseError, also for missing-value markers (check is_missing first).
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_japanese_number expects str, got {type(text).__name__}")
    s = re.sub(r"\s+", "", _normalise(text))
    if not s:
        raise _error(text, "the text is empty", "空欄です")
    if len(s) > _MAX_LENGTH:
        raise _error(text, f"the text is longer than {_MAX_LENGTH} characters", "長すぎます")
    if is_missing(s) or s in _DASHES:
        raise _error(
            text,
            "it is a missing-value marker, not a number (leave the cell as missing or enter a value)",
            "欠測を表す記号で、数値ではありません（欠測のままにするか値を入力してください）",
        )

    negative = False
    body = s
    if s[0] in _PLUS_SIGNS or s[0] in _MINUS_SIGNS:
        negative = s[0] in _MINUS_SIGNS
        body = s[1:]
        if body and (body[0] in _PLUS_SIGNS or body[0] in _MINUS_SIGNS):
            raise _error(text, "it has more than one sign", "符号が重なっています")
        if not body:
            raise _error(text, "it is a sign without digits", "符号だけで数字がありません")

    # (digits as written, multiplier exponent) for each group
    groups: list[tuple[str, int]] = []
    pos = 0
    while m := _NUMBER.match(body, pos):
        digits = m.group()
        pos = m.end()
        if "," in digits and not _GROUPED.fullmatch(digits):
            raise _error(
                text,
                f"the commas in {digits!r} are not in thousands positions (write 1,234,567)",
                f"「{digits}」のカンマの位置が3桁区切りになっていません（例: 1,234,567）",
            )
        mult = _MULTIPLIER.match(body, pos)
        if mult is None:
            groups.append((digits, 0))
            break
        groups.append((digits, _MULTIPLIER_EXPONENTS[mult.group()]))
        pos = mult.end()
    if not groups:
        raise _error(text, "it does not start with a digit", "数字で始まっていません")

    unit = body[pos:]
    if unit[:1] in {".", ","} or any(c.isdigit() or c in _DASHES or c in "+▲△" for c in unit):
        raise _error(
            text,
            f"{unit!r} after the number is not a multiplier or unit; multipliers must descend "
            "(1億2,000万) and each may appear once",
            f"数値の後の「{unit}」を読めません。万・億などは大きい順に一度ずつ書いてください（例: 1億2,000万）",
        )
    last_exp = groups[-1][1]
    if "%" in unit and any(exp for _, exp in groups):
        en = "a percentage cannot have a multiplier such as 万"
        raise _error(text, en, "%に万などの単位は付けられません")

    with localcontext() as ctx:
        ctx.prec = 2 * _MAX_LENGTH + 20
        ctx.traps[Inexact] = True
        value = Decimal(0)
        previous_exp: int | None = None
        for i, (digits, exp) in enumerate(groups):
            number = Decimal(digits.replace(",", ""))
            if "." in digits and i < len(groups) - 1:
                raise _error(
                    text,
                    f"only the last group may have a decimal point ({digits!r} is followed by more digits)",
                    f"小数点は最後の数字にだけ使えます（「{digits}」の後にも数字があります）",
                )
            group_value = number.scaleb(exp)
            out_of_order = previous_exp is not None and (
                exp >= previous_exp or group_value >= _power_of_ten(previous_exp)
            )
            if out_of_order:
                raise _error(
                    text,
                    "multipliers must be in descending order and each group smaller than the one before "
                    "(write 1億2,000万, not 2,000万1億)",
                    "万・億などは大きい順に書き、各部分は前の単位未満にしてください（例: 1億2,000万）",
                )
            value += group_value
            previous_exp = exp
        last_digits = groups[-1][0]
        decimals = len(last_digits.partition(".")[2])
        precision_exp = last_exp - decimals
        value = value.quantize(_quantum(min(0, precision_exp)))
        if negative:
            value = -value
        if value == 0:
            value = abs(value)  # no negative zero
    return ParsedNumber(
        value=value,
        unit=unit,
        precision=_power_of_ten(precision_exp),
        multiplier=_power_of_ten(last_exp),
    )


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Round to `decimals` places, halves away from zero (四捨五入); negative decimals round to
    tens, hundreds, ... (-4 rounds to 万). The result is written without exponent."""
    if not value.is_finite():
        raise ValueError(f"cannot round {value}")
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + abs(decimals) + 10)
        rounded = value.quantize(_quantum(-decimals), rounding=ROUND_HALF_UP)
        if decimals < 0:
            rounded = rounded.quantize(Decimal(1))
        if rounded == 0:
            rounded = abs(rounded)
    return rounded


def format_japanese_number(
    value: Decimal,
    *,
    decimals: int = 0,
    scale: str = "",
    unit: str = "",
    negative: str = "▲",
    plus: str = "",
    grouping: bool = True,
) -> str:
    """Format a value in Japanese notation: divide by `scale`, round half up to `decimals`,
    group thousands, prefix `negative` (▲, -, △) or `plus` for positives, append scale and unit.

    format_japanese_number(Decimal(-590000), scale="万", unit="件") == "▲59万件". Zero has no sign.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; use one of {', '.join(repr(k) for k in SCALES)}")
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"cannot format {value}")
    scaled = value.scaleb(-_scale_exponent(scale))
    rounded = round_half_up(scaled, decimals)
    places = max(decimals, 0)
    digits = format(abs(rounded), f"{',' if grouping else ''}.{places}f")
    sign = "" if rounded == 0 else negative if rounded < 0 else plus
    return f"{sign}{digits}{scale}{unit}"


def _scale_exponent(scale: str) -> int:
    return _MULTIPLIER_EXPONENTS.get(scale, 0)


def format_points(value: Decimal, decimals: int = 1, lang: str = "ja") -> str:
    """A difference of rates: "+16.2ポイント", "▲0.4ポイント"; en "+16.2 points", "-0.4 points"."""
    if lang == "ja":
        return format_japanese_number(value, decimals=decimals, unit="ポイント", negative="▲", plus="+")
    if lang == "en":
        rounded = round_half_up(Decimal(value), decimals)
        noun = "point" if abs(rounded) == 1 and decimals <= 0 else "points"
        return format_japanese_number(value, decimals=decimals, unit=f" {noun}", negative="-", plus="+")
    raise ValueError(f"unsupported language {lang!r}; use 'ja' or 'en'")


def format_percent(value: Decimal, decimals: int = 1, *, negative: str = "▲", plus: str = "") -> str:
    """A percentage given in percent (35.2 → "35.2%", not 0.352)."""
    return format_japanese_number(value, decimals=decimals, unit="%", negative=negative, plus=plus)


def to_decimal(value: float) -> Decimal:
    """A float computed by the engine as a Decimal of 12 significant digits
    (2.6749999999999998 → 2.675), written without exponent; NaN and infinities raise ValueError."""
    if not math.isfinite(value):
        raise ValueError(f"cannot convert {value!r} to a Decimal")
    result = Decimal(format(value, ".12g"))
    with localcontext() as ctx:
        ctx.prec = 400  # enough for any finite float written in full
        exponent = result.as_tuple().exponent
        if isinstance(exponent, int) and exponent > 0:
            result = result.quantize(Decimal(1))
    if result == 0:
        result = abs(result)
    return result
