"""Open data rules that need no framework: the municipality code's check digit and the licences shihyo knows.

全国地方公共団体コード (the local government code of the Ministry of Internal Affairs and Communications) is six
digits: two for the prefecture, three for the municipality, and a check digit. The check digit is a modulus-11
check of the first five: multiply them by 6, 5, 4, 3 and 2, add the products, take the remainder after dividing
by 11, subtract it from 11 and keep the last digit of the result (Kobe: 2·6 + 8·5 + 1·4 + 0·3 + 0·2 = 56,
56 mod 11 = 1, 11 − 1 = 10 → 0, so 28100 becomes 281000).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FIVE_DIGITS = re.compile(r"^[0-9]{5}$")
_SIX_DIGITS = re.compile(r"^[0-9]{6}$")
WEIGHTS = (6, 5, 4, 3, 2)


def check_digit(first_five: str) -> int:
    """The check digit of the first five digits of a 全国地方公共団体コード."""
    if not _FIVE_DIGITS.match(first_five):
        raise ValueError(f"expected five digits, got {first_five!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first_five, WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def municipality_code_problem(code: str) -> tuple[str, str, str, str] | None:
    """Why `code` is not a valid 全国地方公共団体コード — (ja, en, hint_ja, hint_en) — or None when it is."""
    if not _SIX_DIGITS.match(code):
        return (
            f"全国地方公共団体コード「{code[:20]}」は6桁の数字ではありません",
            f"the local government code '{code[:20]}' is not six digits",
            "検査数字を含む6桁で書いてください（例: 神戸市は '281000'）。YAML では引用符で囲みます",
            "write all six digits, the check digit included (Kobe: '281000'), in quotes in YAML",
        )
    expected = check_digit(code[:5])
    if int(code[5]) != expected:
        return (
            f"全国地方公共団体コード「{code}」の検査数字（6桁目）が合いません（{code[:5]} の検査数字は {expected}）",
            f"the check digit (6th digit) of the local government code '{code}' is wrong "
            f"(the check digit of {code[:5]} is {expected})",
            f"'{code[:5]}{expected}' ではありませんか。総務省の全国地方公共団体コードを確認してください",
            f"did you mean '{code[:5]}{expected}'? Check the code in the ministry's list",
        )
    return None


@dataclass(frozen=True)
class Licence:
    """A licence the open data can be published under."""

    id: str  # SPDX-style identifier, as written in programme.yaml
    name: str
    name_ja: str
    url: str


LICENCES: dict[str, Licence] = {
    item.id: item
    for item in (
        Licence(
            "CC-BY-4.0",
            "Creative Commons Attribution 4.0 International",
            "クリエイティブ・コモンズ 表示 4.0 国際",
            "https://creativecommons.org/licenses/by/4.0/deed.ja",
        ),
        Licence(
            "CC0-1.0",
            "Creative Commons Zero 1.0 Universal (public domain dedication)",
            "CC0 1.0 全世界（パブリック・ドメイン提供）",
            "https://creativecommons.org/publicdomain/zero/1.0/deed.ja",
        ),
        Licence(
            "PDL-1.0",
            "Public Data License (Version 1.0), Japan",
            "公共データ利用規約（第1.0版）",
            "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
        ),
    )
}
