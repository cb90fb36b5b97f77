"""A small JSON Schema validator for the subset of draft 2020-12 that ``bundle.schema.json`` uses.

Why our own: the app ships with few dependencies and must validate 50,000 operations well inside the merge
budget. The schema is compiled once into nested closures, so a valid document costs one call per node and
builds no paths; only a failure assembles its JSON path (``operations[12].seq``) on the way back up. A keyword
outside the subset is refused when compiling, so the committed schema can never say more than this code
checks.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], None]

_ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description", "examples", "default", "$defs"}
_SUPPORTED = {
    "type", "const", "enum", "required", "properties", "additionalProperties", "propertyNames", "items",
    "minimum", "maximum", "minLength", "maxLength", "pattern", "minItems", "maxItems", "$ref", "anyOf",
}
_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class SchemaError(ValueError):
    """A document that does not match; ``path`` is a list of keys and indexes from the root."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.path: list[str | int] = []

    @property
    def where(self) -> str:
        out = ""
        for part in reversed(self.path):
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out


def kind(value: Any) -> str:
    """How to name a JSON value's type to a person."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def compile_schema(schema: dict[str, Any], root: dict[str, Any] | None = None) -> Check:
    """A function that raises :class:`SchemaError` when its argument does not match ``schema``."""
    root = root if root is not None else schema
    refs: dict[str, Check] = {}
    return _Compiler(root, refs).build(schema)


class _Compiler:
    def __init__(self, root: dict[str, Any], refs: dict[str, Check]) -> None:
        self.root = root
        self.refs = refs

    def ref(self, pointer: str) -> Check:
        if not pointer.startswith("#/$defs/"):
            raise ValueError(f"only local #/$defs references are supported, not {pointer!r}")
        name = pointer.removeprefix("#/$defs/")
        if name not in self.refs:
            slot: list[Check] = []
            self.refs[name] = lambda v: slot[0](v)  # stands in while a recursive definition is being built
            slot.append(self.build(self.root["$defs"][name]))
            self.refs[name] = slot[0]
        return self.refs[name]

    def build(self, schema: dict[str, Any]) -> Check:
        """One closure per schema node; the type test is fused into the node's own checks where it can be."""
        unknown = set(schema) - _SUPPORTED - _ANNOTATIONS
        if unknown:
            raise ValueError(f"schema keyword {sorted(unknown)[0]!r} is outside the supported subset")
        checks: list[Check] = []
        if "$ref" in schema:
            checks.append(self.ref(schema["$ref"]))
        spec = schema.get("type")
        strict = spec if isinstance(spec, str) else None
        if spec is not None and strict not in ("string", "integer", "object", "array"):
            checks.append(_type_check(spec))
        if "const" in schema:
            checks.append(_const_check(schema["const"]))
        if "enum" in schema:
            checks.append(_enum_check(schema["enum"]))
        if "anyOf" in schema:
            checks.append(_any_of([self.build(s) for s in schema["anyOf"]]))
        if strict == "string" or any(k in schema for k in ("minLength", "maxLength", "pattern")):
            checks.append(_string_check(schema, strict == "string"))
        if strict == "integer" or any(k in schema for k in ("minimum", "maximum")):
            checks.append(_number_check(schema, strict == "integer"))
        if strict == "object" or any(
            k in schema for k in ("required", "properties", "additionalProperties", "propertyNames")
        ):
            checks.append(self.object_check(schema, strict == "object"))
        if strict == "array" or any(k in schema for k in ("items", "minItems", "maxItems")):
            checks.append(self.array_check(schema, strict == "array"))
        if not checks:
            return _anything
        if len(checks) == 1:
            return checks[0]

        def check_all(value: Any) -> None:
            for c in checks:
                c(value)

        return check_all

    def object_check(self, schema: dict[str, Any], strict: bool) -> Check:
        required: list[str] = schema.get("required", [])
        props = {k: self.build(v) for k, v in schema.get("properties", {}).items()}
        extra_schema = schema.get("additionalProperties", True)
        extra: Check | None = None
        if extra_schema is False:
            def refuse(value: Any) -> None:
                raise SchemaError("not allowed here")
            extra = refuse
        elif isinstance(extra_schema, dict):
            extra = self.build(extra_schema)
        names = self.build(schema["propertyNames"]) if "propertyNames" in schema else None
        get = props.get

        def check(value: Any) -> None:
            if type(value) is not dict:
                if strict:
                    raise SchemaError(f"expected an object, found {kind(value)}")
                return  # another type this node allows
            for key in required:
                if key not in value:
                    err = SchemaError("missing")
                    err.path.append(key)
                    raise err
            for key, item in value.items():
                sub = get(key, extra)
                try:
                    if names is not None:
                        names(key)
                    if sub is not None:
                        sub(item)
                except SchemaError as err:
                    err.path.append(key)
                    raise
        return check

    def array_check(self, schema: dict[str, Any], strict: bool) -> Check:
        items = self.build(schema["items"]) if "items" in schema else None
        least, most = schema.get("minItems", 0), schema.get("maxItems")

        def check(value: Any) -> None:
            if type(value) is not list:
                if strict:
                    raise SchemaError(f"expected a list, found {kind(value)}")
                return
            if most is not None and len(value) > most:
                raise SchemaError(f"more than {most} items")
            if len(value) < least:
                raise SchemaError(f"fewer than {least} items")
            if items is None:
                return
            for i, item in enumerate(value):
                try:
                    items(item)
                except SchemaError as err:
                    err.path.append(i)
                    raise
        return check


def _anything(value: Any) -> None:
    return None


def _type_check(spec: str | list[str]) -> Check:
    names = [spec] if isinstance(spec, str) else list(spec)
    tests = [_TYPES[n] for n in names]
    wanted = " or ".join({"object": "an object", "array": "a list", "string": "text", "integer": "an integer",
                          "number": "a number", "boolean": "true/false", "null": "null"}[n] for n in names)

    def check(value: Any) -> None:
        for t in tests:
            if t(value):
                return
        raise SchemaError(f"expected {wanted}, found {kind(value)}")
    return check


def _const_check(const: Any) -> Check:
    def check(value: Any) -> None:
        if value != const or type(value) is not type(const):
            raise SchemaError(f"expected {const!r}, found {value!r}"[:200])
    return check


def _enum_check(options: list[Any]) -> Check:
    def check(value: Any) -> None:
        if value not in options:
            raise SchemaError(f"expected one of {', '.join(map(repr, options))}, found {value!r}"[:200])
    return check


def _any_of(alternatives: list[Check]) -> Check:
    def check(value: Any) -> None:
        first: SchemaError | None = None
        for alt in alternatives:
            try:
                alt(value)
                return
            except SchemaError as err:
                first = first or err
        assert first is not None
        raise first
    return check


def _string_check(schema: dict[str, Any], strict: bool) -> Check:
    """Length and pattern in one closure; ``strict``: anything but text is an error, else let through."""
    lo, hi = schema.get("minLength", 0), schema.get("maxLength", sys.maxsize)
    match = re.compile(schema["pattern"]).search if "pattern" in schema else None
    #: Ids recur on every operation (writer, version vector keys): remember a bounded number that passed.
    passed: set[str] = set()

    def check(value: Any) -> None:
        if type(value) is not str:
            if strict:
                raise SchemaError(f"expected text, found {kind(value)}")
            return
        if value in passed:
            return
        if not lo <= len(value) <= hi:
            raise SchemaError(f"text of {len(value)} characters; expected {lo} to {hi}")
        if match is not None:
            if match(value) is None:
                raise SchemaError(f"{value[:80]!r} does not have the expected form")
            if len(passed) < 4096 and len(value) <= 128:
                passed.add(value)
    return check


def _number_check(schema: dict[str, Any], strict: bool) -> Check:
    """Bounds in one closure; ``strict``: only an integer (not true/false, not 1.0) passes."""
    low, high = schema.get("minimum"), schema.get("maximum")

    def check(value: Any) -> None:
        t = type(value)
        if t is not int:
            if strict:
                raise SchemaError(f"expected an integer, found {kind(value)}")
            if t is not float:
                return
        if low is not None and value < low:
            raise SchemaError(f"{value} is below the minimum {low}")
        if high is not None and value > high:
            raise SchemaError(f"{value} is above the maximum {high}")
    return check
