from decimal import Decimal

import pytest

from shihyo.core.expression import ExpressionError, evaluate, parse_expression, references, to_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", Decimal(7)),
        ("(1 + 2) * 3", Decimal(9)),
        ("-a + b", Decimal(1)),
        ("a / b", Decimal("0.5")),
        ("max(a, b, 0) - min(a, b)", Decimal(1)),
        ("abs(a - b) * 10", Decimal(10)),
        ("10 - 4 - 3", Decimal(3)),
        ("8 / 4 / 2", Decimal(1)),
    ],
)
def test_evaluates_with_precedence_and_left_associativity(text: str, expected: Decimal) -> None:
    assert evaluate(parse_expression(text), {"a": Decimal(1), "b": Decimal(2)}) == expected


def test_division_by_zero_and_missing_inputs_give_none() -> None:
    assert evaluate(parse_expression("a / (b - 2)"), {"a": Decimal(1), "b": Decimal(2)}) is None
    assert evaluate(parse_expression("a + c"), {"a": Decimal(1)}) is None


def test_references_in_first_use_order_without_repeats() -> None:
    assert references(parse_expression("b * a + b / max(c, a)")) == ("b", "a", "c")


def test_text_round_trips() -> None:
    tree = parse_expression("-(a + 2) * max(b, 1.5) / c")
    assert parse_expression(to_text(tree)) == tree


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("", 0, "empty"),
        ("a +", 3, "ends too early"),
        ("(a + b", 6, "closing"),
        ("a $ b", 2, "unexpected character '$'"),
        ("__import__('os')", 11, "unexpected character"),
        ("__import__(a)", 0, "unknown function"),
        ("1 + eval(a)", 4, "unknown function"),
        ("abs(a, b)", 0, "one argument"),
        ("min(a)", 0, "two or more"),
        ("a b", 2, "after the expression"),
    ],
)
def test_rejections_name_the_position(text: str, position: int, fragment: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text)
    assert caught.value.position == position
    assert fragment in caught.value.message_en
    assert caught.value.message_ja
