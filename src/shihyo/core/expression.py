"""A small, safe arithmetic language for indicators no other kind fits.

Grammar: numbers, codes, `+ - * /`, unary minus, parentheses and the functions abs, min, max.
Parsed by hand into a tree; nothing is ever passed to Python's eval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

FUNCTIONS = frozenset({"abs", "min", "max"})

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/(),]))")


class ExpressionError(ValueError):
    """An expression that cannot be parsed; `position` is the 0-based character offset."""

    def __init__(self, expr: str, position: int, message_en: str, message_ja: str) -> None:
        super().__init__(f"{message_en} at position {position + 1} of '{expr}'")
        self.expr = expr
        self.position = position
        self.message_en = message_en
        self.message_ja = message_ja


@dataclass(frozen=True)
class Number:
    value: Decimal


@dataclass(frozen=True)
class Ref:
    code: str


@dataclass(frozen=True)
class Negate:
    operand: Node


@dataclass(frozen=True)
class BinaryOp:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Node, ...]


Node = Number | Ref | Negate | BinaryOp | Call


def _tokenize(expr: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(expr):
        if expr[pos:].strip() == "":
            break
        match = _TOKEN.match(expr, pos)
        if match is None or match.end() == pos:
            bad = len(expr) - len(expr[pos:].lstrip())
            raise ExpressionError(
                expr, bad, f"unexpected character '{expr[bad]}'", f"使えない文字「{expr[bad]}」があります"
            )
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind), match.start(kind)))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, expr: str) -> None:
        self.expr = expr
        self.tokens = _tokenize(expr)
        self.index = 0

    def _peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _error(self, message_en: str, message_ja: str, position: int | None = None) -> ExpressionError:
        token = self._peek()
        if position is None:
            position = token[2] if token else len(self.expr)
        return ExpressionError(self.expr, position, message_en, message_ja)

    def _take(self, text: str) -> bool:
        token = self._peek()
        if token is not None and token[0] == "op" and token[1] == text:
            self.index += 1
            return True
        return False

    def parse(self) -> Node:
        if not self.tokens:
            raise self._error("the expression is empty", "式が空です")
        node = self._sum()
        if self._peek() is not None:
            raise self._error("unexpected text after the expression", "式の後に余分な記述があります")
        return node

    def _sum(self) -> Node:
        node = self._product()
        while True:
            if self._take("+"):
                node = BinaryOp("+", node, self._product())
            elif self._take("-"):
                node = BinaryOp("-", node, self._product())
            else:
                return node

    def _product(self) -> Node:
        node = self._unary()
        while True:
            if self._take("*"):
                node = BinaryOp("*", node, self._unary())
            elif self._take("/"):
                node = BinaryOp("/", node, self._unary())
            else:
                return node

    def _unary(self) -> Node:
        if self._take("-"):
            return Negate(self._unary())
        if self._take("+"):
            return self._unary()
        return self._atom()

    def _atom(self) -> Node:
        token = self._peek()
        if token is None:
            raise self._error("the expression ends too early", "式が途中で終わっています")
        kind, text, position = token
        if kind == "num":
            self.index += 1
            try:
                return Number(Decimal(text))
            except InvalidOperation as exc:  # pragma: no cover - the token pattern admits only numbers
                raise self._error(f"bad number '{text}'", f"数値「{text}」が不正です") from exc
        if kind == "name":
            self.index += 1
            if self._take("("):
                return self._call(text, position)
            return Ref(text)
        if self._take("("):
            node = self._sum()
            if not self._take(")"):
                raise self._error("a closing ')' is missing", "閉じ括弧「)」がありません")
            return node
        raise self._error(f"unexpected '{text}'", f"「{text}」は使えない位置にあります")

    def _call(self, name: str, position: int) -> Node:
        if name not in FUNCTIONS:
            raise self._error(
                f"unknown function '{name}' (allowed: abs, min, max)",
                f"関数「{name}」は使えません（使える関数: abs, min, max）",
                position,
            )
        args = [self._sum()]
        while self._take(","):
            args.append(self._sum())
        if not self._take(")"):
            raise self._error("a closing ')' is missing", "閉じ括弧「)」がありません")
        if name == "abs" and len(args) != 1:
            raise self._error("abs() takes one argument", "abs() の引数は1つです", position)
        if name in ("min", "max") and len(args) < 2:
            raise self._error(f"{name}() takes two or more arguments", f"{name}() の引数は2つ以上です", position)
        return Call(name, tuple(args))


def parse_expression(expr: str) -> Node:
    """Parse `expr` into a tree or raise ExpressionError naming the position."""
    return _Parser(expr).parse()


def references(node: Node) -> tuple[str, ...]:
    """Codes an expression refers to, in first-use order, without repeats."""
    found: list[str] = []

    def walk(n: Node) -> None:
        match n:
            case Ref(code):
                if code not in found:
                    found.append(code)
            case Negate(operand):
                walk(operand)
            case BinaryOp(_, left, right):
                walk(left)
                walk(right)
            case Call(_, args):
                for arg in args:
                    walk(arg)
            case Number():
                pass

    walk(node)
    return tuple(found)


def evaluate(node: Node, values: dict[str, Decimal]) -> Decimal | None:
    """Evaluate exactly with Decimals (used to explain a single figure); None on division by zero."""
    match node:
        case Number(value):
            return value
        case Ref(code):
            return values.get(code)
        case Negate(operand):
            inner = evaluate(operand, values)
            return None if inner is None else -inner
        case BinaryOp(op, left, right):
            a, b = evaluate(left, values), evaluate(right, values)
            if a is None or b is None:
                return None
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            return None if b == 0 else a / b
        case Call(function, args):
            items = [evaluate(arg, values) for arg in args]
            present = [v for v in items if v is not None]
            if len(present) != len(items):
                return None
            if function == "abs":
                return abs(present[0])
            return min(present) if function == "min" else max(present)
    raise AssertionError(f"unknown node {node!r}")  # pragma: no cover


def to_text(node: Node) -> str:
    """Render a tree back to canonical text."""
    match node:
        case Number(value):
            return str(value)
        case Ref(code):
            return code
        case Negate(operand):
            return f"-{_wrap(operand)}"
        case BinaryOp(op, left, right):
            return f"{_wrap(left)} {op} {_wrap(right)}"
        case Call(function, args):
            return f"{function}({', '.join(to_text(a) for a in args)})"
    raise AssertionError(f"unknown node {node!r}")  # pragma: no cover


def _wrap(node: Node) -> str:
    return f"({to_text(node)})" if isinstance(node, BinaryOp) else to_text(node)
