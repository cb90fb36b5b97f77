"""Risk-rule conditions: a small recursive-descent parser and evaluator.

Grammar (whitespace is insignificant)::

    condition := 'default' | or
    or        := and ('||' and)*
    and       := unary ('&&' unary)*
    unary     := '!' unary | atom
    atom      := CHOICE_ID | '(' or ')'

Nesting (parentheses and ``!``) is limited to :data:`MAX_DEPTH` levels, so a hostile lens gets a syntax error
instead of exhausting Python's recursion limit; real conditions nest two or three levels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Set
from dataclasses import dataclass

#: Deepest nesting of parentheses and ``!`` a condition may use.
MAX_DEPTH = 100

_TOKEN = re.compile(r"(&&|\|\|)|([!()])|([A-Za-z0-9_.\-]+)")
_SPACE = re.compile(r"\s*")


class ConditionSyntaxError(ValueError):
    """A condition that does not parse; ``position`` is the character offset of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


@dataclass(frozen=True)
class Ref:
    choice_id: str


@dataclass(frozen=True)
class Not:
    operand: Condition


@dataclass(frozen=True)
class And:
    operands: tuple[Condition, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Condition, ...]


@dataclass(frozen=True)
class Default:
    pass


Condition = Ref | Not | And | Or | Default


def _tokens(text: str) -> Iterator[tuple[str, int]]:
    """Tokens with their character offsets; linear in the length of the text."""
    pos = _SPACE.match(text).end()  # type: ignore[union-attr]
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ConditionSyntaxError(f"unexpected character {text[pos]!r}", pos)
        yield m.group(), pos
        pos = _SPACE.match(text, m.end()).end()  # type: ignore[union-attr]


def _show(tok: str) -> str:
    """A token for an error message, cut short so a hostile file cannot make the message huge."""
    return repr(tok if len(tok) <= 40 else tok[:40] + "...")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = list(_tokens(text))
        self.i = 0
        self.depth = 0

    def peek(self) -> str | None:
        return self.toks[self.i][0] if self.i < len(self.toks) else None

    def where(self) -> int:
        return self.toks[self.i][1] if self.i < len(self.toks) else len(self.text)

    def take(self) -> str:
        tok = self.toks[self.i][0]
        self.i += 1
        return tok

    def parse(self) -> Condition:
        if not self.toks:
            raise ConditionSyntaxError("empty condition", 0)
        node = self.or_()
        if self.peek() is not None:
            raise ConditionSyntaxError(f"unexpected {_show(self.peek() or '')}", self.where())
        return node

    def or_(self) -> Condition:
        parts = [self.and_()]
        while self.peek() == "||":
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_(self) -> Condition:
        parts = [self.unary()]
        while self.peek() == "&&":
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionSyntaxError(f"nested more than {MAX_DEPTH} levels deep", self.where())

    def unary(self) -> Condition:
        if self.peek() == "!":
            self.nest()
            self.take()
            node = Not(self.unary())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> Condition:
        tok = self.peek()
        if tok is None:
            raise ConditionSyntaxError("condition ends too early", len(self.text))
        if tok == "(":
            self.nest()
            self.take()
            node = self.or_()
            if self.peek() != ")":
                raise ConditionSyntaxError("missing ')'", self.where())
            self.take()
            self.depth -= 1
            return node
        if tok in ("&&", "||", ")", "!"):
            raise ConditionSyntaxError(f"unexpected {_show(tok)}", self.where())
        self.take()
        return Ref(tok)


def parse_condition(text: str) -> Condition:
    """Parse a condition; ``default`` (alone) is the catch-all rule."""
    if text.strip() == "default":
        return Default()
    return _Parser(text).parse()


def choice_refs(cond: Condition) -> set[str]:
    """Every choice id a condition mentions."""
    if isinstance(cond, Ref):
        return {cond.choice_id}
    if isinstance(cond, Not):
        return choice_refs(cond.operand)
    if isinstance(cond, And | Or):
        out: set[str] = set()
        for op in cond.operands:
            out |= choice_refs(op)
        return out
    return set()


def evaluate(cond: Condition, selected: Set[str]) -> bool:
    """Does the condition hold when exactly ``selected`` choices are in place?"""
    if isinstance(cond, Default):
        return True
    if isinstance(cond, Ref):
        return cond.choice_id in selected
    if isinstance(cond, Not):
        return not evaluate(cond.operand, selected)
    if isinstance(cond, And):
        return all(evaluate(op, selected) for op in cond.operands)
    return any(evaluate(op, selected) for op in cond.operands)
