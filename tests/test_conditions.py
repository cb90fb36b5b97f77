"""Risk-rule conditions and question risk.

The parser is checked against two evaluators written here and nowhere else: a direct evaluation of the
randomly generated syntax tree, and Python's own parser reading the condition translated to ``and``, ``or``
and ``not`` (Python gives ``not`` > ``and`` > ``or`` the same precedence the format gives ``!`` > ``&&`` >
``||``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wat_tui.lens.conditions import (
    MAX_DEPTH,
    And,
    ConditionSyntaxError,
    Default,
    Not,
    Or,
    Ref,
    choice_refs,
    evaluate,
    parse_condition,
)
from wat_tui.lens.model import Choice, Question, RiskRule
from wat_tui.lens.risk import Risk, question_risk, rules_risk

IDS = ["a", "b_1", "sec_x_3", "c.d", "e-f"]

# -- the independent evaluators ------------------------------------------------------------------------------

# A test-side tree: ("ref", id) | ("not", tree) | ("and", [trees]) | ("or", [trees]).
Tree = tuple[str, Any]

_PY_TOKEN = re.compile(r"\s*(&&|\|\||!|\(|\)|[A-Za-z0-9_.\-]+)")


def model_eval(tree: Tree, selected: frozenset[str]) -> bool:
    kind, arg = tree
    if kind == "ref":
        return arg in selected
    if kind == "not":
        return not model_eval(arg, selected)
    if kind == "and":
        return all(model_eval(t, selected) for t in arg)
    return any(model_eval(t, selected) for t in arg)


def python_eval(text: str, selected: frozenset[str]) -> bool:
    """Translate the condition to a Python expression over a set and let Python parse and evaluate it."""
    words = {"&&": " and ", "||": " or ", "!": " not ", "(": "(", ")": ")"}
    out: list[str] = []
    pos = 0
    while text[pos:].strip():
        m = _PY_TOKEN.match(text, pos)
        assert m is not None, f"test translator cannot read {text!r} at {pos}"
        tok = m.group(1)
        out.append(words.get(tok, f"({tok!r} in S)"))
        pos = m.end()
    result = eval("".join(out), {"__builtins__": {}}, {"S": selected})  # noqa: S307 - text built from our tokens
    assert isinstance(result, bool)
    return result


# -- random trees, rendered with random spacing and redundant parentheses ------------------------------------

_PREC = {"or": 1, "and": 2, "not": 3, "ref": 4}
_SPACE = st.sampled_from(["", "", " ", "  ", "\t", "\n", " \n\t "])

trees: st.SearchStrategy[Tree] = st.recursive(
    st.sampled_from(IDS).map(lambda i: ("ref", i)),
    lambda kids: st.one_of(
        kids.map(lambda t: ("not", t)),
        st.lists(kids, min_size=2, max_size=4).map(lambda ts: ("and", ts)),
        st.lists(kids, min_size=2, max_size=4).map(lambda ts: ("or", ts)),
    ),
    max_leaves=14,
)


def render(tree: Tree, data: st.DataObject, context: int = 0) -> str:
    """Text for ``tree``; parentheses where precedence needs them and, at random, where it does not."""
    kind, arg = tree

    def sp() -> str:
        return data.draw(_SPACE)

    if kind == "ref":
        body = str(arg)
    elif kind == "not":
        body = "!" + sp() + render(arg, data, _PREC["not"])
    else:
        op = "&&" if kind == "and" else "||"
        body = render(arg[0], data, _PREC[kind])
        for t in arg[1:]:
            body += sp() + op + sp() + render(t, data, _PREC[kind])
    if _PREC[kind] < context or data.draw(st.integers(0, 5)) == 0:
        body = "(" + sp() + body + sp() + ")"
    return sp() + body + sp()


selections = st.frozensets(st.sampled_from(IDS))


@given(tree=trees, data=st.data())
@settings(max_examples=300, deadline=None)
def test_parser_agrees_with_independent_evaluators(tree: Tree, data: st.DataObject) -> None:
    text = render(tree, data)
    cond = parse_condition(text)
    for _ in range(4):
        selected = data.draw(selections)
        expected = model_eval(tree, selected)
        assert python_eval(text, selected) == expected, text
        assert evaluate(cond, selected) == expected, text


@given(tree=trees, data=st.data())
@settings(max_examples=100, deadline=None)
def test_choice_refs_are_the_ids_in_the_text(tree: Tree, data: st.DataObject) -> None:
    def ids(t: Tree) -> set[str]:
        kind, arg = t
        if kind == "ref":
            return {arg}
        if kind == "not":
            return ids(arg)
        return set().union(*(ids(x) for x in arg))

    assert choice_refs(parse_condition(render(tree, data))) == ids(tree)


@given(
    text=st.text(alphabet="ab_ !()&|\t", max_size=30),
    selected=st.frozensets(st.sampled_from(["a", "b", "ab"])),
)
@settings(max_examples=300, deadline=None)
def test_any_text_parses_or_fails_with_a_position(text: str, selected: frozenset[str]) -> None:
    """Junk never escapes as another exception; what parses means what Python says it means."""
    try:
        cond = parse_condition(text)
    except ConditionSyntaxError as exc:
        assert 0 <= exc.position <= len(text)
        return
    if not isinstance(cond, Default):
        assert evaluate(cond, selected) == python_eval(text, selected), text


# -- fixed examples ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a", Ref("a")),
        ("a && b", And((Ref("a"), Ref("b")))),
        ("a||b||c", Or((Ref("a"), Ref("b"), Ref("c")))),
        ("a || b && c", Or((Ref("a"), And((Ref("b"), Ref("c")))))),
        ("a && b || c", Or((And((Ref("a"), Ref("b"))), Ref("c")))),
        ("!a && b", And((Not(Ref("a")), Ref("b")))),
        ("!(a && b)", Not(And((Ref("a"), Ref("b"))))),
        ("!!a", Not(Not(Ref("a")))),
        ("(a || b) && c", And((Or((Ref("a"), Ref("b"))), Ref("c")))),
        ("((a))", Ref("a")),
        ("\ta\n&&  !\tb ", And((Ref("a"), Not(Ref("b"))))),
        ("default", Default()),
        ("  default\n", Default()),
    ],
)
def test_parse_shapes_and_precedence(text: str, tree: object) -> None:
    assert parse_condition(text) == tree


def test_default_always_holds() -> None:
    assert evaluate(parse_condition("default"), frozenset())
    assert evaluate(parse_condition("default"), frozenset(IDS))


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("", "empty condition", 0),
        ("   ", "empty condition", 0),
        ("a &&", "condition ends too early", 4),
        ("!", "condition ends too early", 1),
        ("a & b", "unexpected character '&'", 2),
        ("a|b", "unexpected character '|'", 1),
        ("a && b$", "unexpected character '$'", 6),
        ("(a || b", "missing ')'", 7),
        ("a && (b c)", "missing ')'", 8),
        ("a || || b", "unexpected '||'", 5),
        ("a b", "unexpected 'b'", 2),
        (")", "unexpected ')'", 0),
        ("(a))", "unexpected ')'", 3),
        ("a && !", "condition ends too early", 6),
        ("&& a", "unexpected '&&'", 0),
    ],
)
def test_syntax_errors_name_the_position(text: str, message: str, position: int) -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse_condition(text)
    assert str(info.value) == message
    assert info.value.position == position


def test_nesting_is_limited_instead_of_exhausting_the_stack() -> None:
    ok = "(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH
    assert parse_condition(ok) == Ref("a")
    for hostile in ("(" * 5000 + "a" + ")" * 5000, "!" * 5000 + "a", "(!" * 3000 + "a" + ")" * 3000):
        with pytest.raises(ConditionSyntaxError, match="nested more than"):
            parse_condition(hostile)


def test_a_very_long_condition_parses_in_linear_time() -> None:
    ids = [f"c{i}" for i in range(40_000)]
    text = "  &&  ".join(ids) + "   "
    start = time.perf_counter()
    cond = parse_condition(text)
    assert time.perf_counter() - start < 5
    assert evaluate(cond, frozenset(ids))
    assert not evaluate(cond, frozenset(ids[1:]))


def test_error_messages_cut_long_tokens_short() -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse_condition("a " + "x" * 10_000)
    assert len(str(info.value)) < 80


# -- rules and question risk ---------------------------------------------------------------------------------


def question(rules: Sequence[tuple[str, str]], ids: Sequence[str] = ("a", "b", "c", "q_no")) -> Question:
    return Question(
        id="q",
        title="Q",
        description="",
        choices=tuple(Choice(i, i.upper()) for i in ids),
        risk_rules=tuple(RiskRule(t, parse_condition(t), r) for t, r in rules),
        pillar_id="p",
    )


BUILTIN_STYLE = [("a && b && !q_no", "NONE"), ("a && !q_no", "MEDIUM"), ("default", "HIGH")]


def test_first_rule_that_holds_wins() -> None:
    q = question([("a", "MEDIUM"), ("a && b", "NONE"), ("default", "HIGH")])
    assert rules_risk(q, {"a", "b"}) == Risk.MEDIUM
    assert rules_risk(q, {"b"}) == Risk.HIGH
    q2 = question([("a && b", "NONE"), ("a", "MEDIUM"), ("default", "HIGH")])
    assert rules_risk(q2, {"a", "b"}) == Risk.NONE


def test_no_rule_holding_without_default_is_high() -> None:
    q = question([("a", "NONE")])
    assert rules_risk(q, {"b"}) == Risk.HIGH
    assert question_risk(q, ["b"]) == Risk.HIGH


@given(
    rules=st.lists(st.tuples(trees, st.sampled_from(["HIGH", "MEDIUM", "NONE"])), min_size=1, max_size=4),
    selected=selections,
    data=st.data(),
)
@settings(max_examples=100, deadline=None)
def test_rules_risk_is_the_first_holding_rule(
    rules: list[tuple[Tree, str]], selected: frozenset[str], data: st.DataObject
) -> None:
    q = question([(render(t, data), r) for t, r in rules], ids=IDS)
    expected = next((r for t, r in rules if model_eval(t, selected)), "HIGH")
    assert rules_risk(q, selected) == Risk(expected)


def test_question_risk_unanswered_and_not_applicable() -> None:
    q = question(BUILTIN_STYLE)
    assert question_risk(q, None) == Risk.UNANSWERED
    assert question_risk(q, []) == Risk.UNANSWERED
    assert question_risk(q, None, not_applicable=True) == Risk.NOT_APPLICABLE
    assert question_risk(q, ["a", "b"], not_applicable=True) == Risk.NOT_APPLICABLE
    assert question_risk(q, ["a", "b"]) == Risk.NONE
    assert question_risk(q, ["a"]) == Risk.MEDIUM
    assert question_risk(q, ["b"]) == Risk.HIGH
    assert question_risk(q, ["q_no"]) == Risk.HIGH
    assert question_risk(q, ["a", "b", "q_no"]) == Risk.HIGH


def test_a_not_applicable_choice_counts_as_in_place() -> None:
    q = question(BUILTIN_STYLE)
    assert question_risk(q, ["a"], na_choices=["b"]) == Risk.NONE
    assert question_risk(q, [], na_choices=["a"]) == Risk.MEDIUM
    assert question_risk(q, None, na_choices=["a", "b"]) == Risk.NONE
    assert question_risk(q, ["b"], na_choices=["a"]) == Risk.NONE
