"""The layering DESIGN.md promises, checked on the source: imports flow downwards, textual stays in ui/, and
nothing reaches for the network."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "wat_tui"

#: Which top-level parts of wat_tui each part must never import.
FORBIDDEN = {
    "lens": {"store", "review", "exchange", "ui", "cli", "commands"},
    "store": {"review", "exchange", "ui", "cli", "commands"},
    "review": {"exchange", "ui", "cli", "commands"},
    "exchange": {"ui", "cli", "commands"},
}
NETWORK = {"socket", "urllib", "http", "requests", "httpx", "aiohttp", "ftplib", "smtplib", "urllib3"}
#: The one allowed use: naming this device (socket.gethostname) for the writer table.
NETWORK_ALLOWED = {("store/db.py", "socket")}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def part_of(path: Path) -> str:
    first = path.relative_to(PACKAGE).parts[0]
    return first.removesuffix(".py")


def imported_names(path: Path) -> Iterator[tuple[str, int]]:
    package = ["wat_tui", *path.relative_to(PACKAGE).parent.parts]
    return names_in(path.read_text(encoding="utf-8"), package)


def names_in(source: str, package: list[str]) -> Iterator[tuple[str, int]]:
    """Dotted names of everything a module imports (also inside functions), relative imports resolved."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            yield mod, node.lineno
            for alias in node.names:
                yield f"{mod}.{alias.name}", node.lineno


def test_there_is_source_to_check() -> None:
    names = {rel(p) for p in modules()}
    assert {"store/db.py", "review/service.py", "lens/loader.py", "cli/__init__.py"} <= names


def test_textual_only_under_ui() -> None:
    offenders = [
        f"{rel(p)}:{line} imports {name}"
        for p in modules() if part_of(p) != "ui"
        for name, line in imported_names(p)
        if name == "textual" or name.startswith("textual.")
    ]
    assert offenders == []


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_nothing_below_imports_above(part: str) -> None:
    offenders = []
    for p in modules():
        if part_of(p) != part:
            continue
        for name, line in imported_names(p):
            bits = name.split(".")
            if bits[0] == "wat_tui" and len(bits) > 1 and bits[1] in FORBIDDEN[part]:
                offenders.append(f"{rel(p)}:{line} imports {name}")
    assert offenders == []


def test_no_network_modules() -> None:
    offenders = []
    for p in modules():
        for name, line in imported_names(p):
            top = name.split(".")[0]
            if top in NETWORK and (rel(p), top) not in NETWORK_ALLOWED:
                offenders.append(f"{rel(p)}:{line} imports {name}")
    assert offenders == []


def test_the_allowed_socket_use_is_only_gethostname() -> None:
    tree = ast.parse((PACKAGE / "store" / "db.py").read_text(encoding="utf-8"))
    uses = {
        node.attr for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "socket"
    }
    assert uses == {"gethostname"}


def test_checker_sees_nested_and_relative_imports() -> None:
    """The walk finds imports inside functions and resolves relative ones, so the tests above can fail."""
    source = "def f():\n    from ..review import service\n    import textual.app\n    from . import model\n"
    names = {name for name, _ in names_in(source, ["wat_tui", "lens"])}
    assert {"wat_tui.review", "wat_tui.review.service", "textual.app", "wat_tui.lens.model"} <= names


#: Database libraries: only the store talks to the database (DESIGN.md: one door to the data).
DATABASE = {"sqlite3", "sqlalchemy", "sqlmodel", "alembic"}
#: Where the connection and the operation log may be touched: the store, and the door above it.
DOOR = {"review/service.py"}
#: Attributes that are the store's insides when read off a Review (or anything else, outside the door).
STORE_INSIDES = {"conn", "_conn", "_db", "_records", "_log"}


def in_store(path: Path) -> bool:
    return part_of(path) == "store"


def test_only_the_store_imports_database_libraries() -> None:
    offenders = [
        f"{rel(p)}:{line} imports {name}"
        for p in modules() if not in_store(p)
        for name, line in imported_names(p)
        if name.split(".")[0] in DATABASE
    ]
    assert offenders == []


def store_insides_used(source: str) -> list[tuple[str, int]]:
    """``x.conn``, ``x._conn`` and ``x._log`` (also ``getattr(x, "conn")``), with their lines."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in STORE_INSIDES:
            found.append((node.attr, node.lineno))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in {"getattr", "setattr"} and len(node.args) >= 2
              and isinstance(node.args[1], ast.Constant) and node.args[1].value in STORE_INSIDES):
            found.append((str(node.args[1].value), node.lineno))
    return found


def test_nothing_reaches_past_the_door() -> None:
    """Exchange, the clock, the demo, the CLI and the screens call the Review's named methods; its connection
    and operation log are its own."""
    offenders = [
        f"{rel(p)}:{line} reads .{attr}"
        for p in modules() if not in_store(p) and rel(p) not in DOOR
        for attr, line in store_insides_used(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def sql_calls(source: str) -> list[tuple[str, int]]:
    """Calls that run SQL on a connection: ``.execute``, ``.executemany``, ``.executescript``."""
    return [(node.func.attr, node.lineno) for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"execute", "executemany", "executescript"}]


def test_the_store_owns_every_query() -> None:
    """No SQL above the store: the Review door calls the store's named queries (store/records.py and the rest)."""
    offenders = [
        f"{rel(p)}:{line} calls .{name}"
        for p in modules() if not in_store(p)
        for name, line in sql_calls(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_migrations_import_no_app_code_but_the_store() -> None:
    """Alembic's revisions and environment may use alembic and sqlalchemy; of the app, only the store."""
    root = PACKAGE.parent / "migrations"
    offenders = []
    for p in sorted(root.rglob("*.py")):
        for name, line in names_in(p.read_text(encoding="utf-8"), ["migrations"]):
            bits = name.split(".")
            if bits[0] == "wat_tui" and len(bits) > 1 and bits[1] != "store":
                offenders.append(f"{p.relative_to(root).as_posix()}:{line} imports {name}")
    assert offenders == []


#: The store's modules that read and write the review data at runtime: their statements are built from the table
#: models (SQLModel ``select()``, SQLAlchemy Core), never spelled as SQL text.
MODEL_BUILT = ("records.py", "oplog.py", "lenses.py")
SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|REPLACE)\b[^.]*\b(FROM|INTO|SET|WHERE)\b")


def sql_text_in(source: str) -> list[int]:
    """Lines of string constants that read as SQL statements (docstrings aside)."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and SQL_WORDS.search(node.value)]


def test_the_store_builds_its_statements_from_the_models() -> None:
    offenders = [f"store/{name}:{line}" for name in MODEL_BUILT
                 for line in sql_text_in((PACKAGE / "store" / name).read_text(encoding="utf-8"))]
    assert offenders == []
    assert sql_text_in('x = "SELECT value FROM meta WHERE key=?"\n') == [1]


def test_door_checker_sees_what_it_forbids() -> None:
    source = ("def f(review):\n    review.conn.execute('x')\n    review._log.write(1, 2, 3)\n"
              "    getattr(review, '_conn')\n    review.lenses.load('h')\n")
    assert sorted(store_insides_used(source)) == [("_conn", 4), ("_log", 3), ("conn", 2)]
    assert sql_calls(source) == [("execute", 2)]
    names = {n.split(".")[0] for n, _ in names_in("import sqlite3\nfrom sqlmodel import select\n", ["wat_tui"])}
    assert names & DATABASE == {"sqlite3", "sqlmodel"}


def test_the_ui_imports_nothing_from_the_command_line() -> None:
    """The screens and the ``wat-tui`` command both stand on the parts below; neither borrows from the other's
    helpers (the Export screen and the report command share ``exchange/document.py``)."""
    offenders = [
        f"{rel(p)}:{line} imports {name}"
        for p in modules() if part_of(p) == "ui"
        for name, line in imported_names(p)
        if name == "wat_tui.cli" or name.startswith("wat_tui.cli.")
    ]
    assert offenders == []
