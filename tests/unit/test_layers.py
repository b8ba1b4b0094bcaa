"""The layers hold: bot/ and adapters/ reach storage only through core's unit of work, and core/
imports no chat platform or web framework. Read from the source, so a new module is checked too."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Modules of bot/ or adapters/ that may import SQLAlchemy themselves. The composition root
# (bot/app.py) wires the engine through core.db.engine and needs no exception either, nor does
# the admin (web_admin/admin): it hands SQLAdmin core's session maker (Database.sessionmaker) and
# model classes, and every change goes through core.admin's services.
SQLALCHEMY_ALLOWED: frozenset[str] = frozenset()


def imported_roots(path: Path) -> set[str]:
    """The top-level packages a module imports, at any depth (including inside functions)."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def modules(*packages: str) -> list[Path]:
    found = [p for package in packages for p in sorted((ROOT / package).rglob("*.py"))]
    assert found, f"no modules under {packages}"
    return found


def test_bot_adapters_and_web_do_not_import_sqlalchemy() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in modules("bot", "adapters", "web_admin")
        if "sqlalchemy" in imported_roots(path)
        and str(path.relative_to(ROOT)) not in SQLALCHEMY_ALLOWED
    ]
    assert offenders == [], "use a service or store in core/ through the unit of work"


def test_core_imports_no_platform_or_web_framework() -> None:
    banned = {"telegram", "discord", "fastapi", "starlette", "bot", "adapters", "web_admin"}
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & banned)
        for path in modules("core")
        if imported_roots(path) & banned
    }
    assert offenders == {}


def test_adapters_do_not_import_each_other() -> None:
    for platform in ("console", "telegram", "discord"):
        others = {f"adapters.{p}" for p in ("console", "telegram", "discord")} - {
            f"adapters.{platform}"
        }
        for path in modules(f"adapters/{platform}"):
            tree = ast.parse(path.read_text())
            names = {
                n.module
                for n in ast.walk(tree)
                if isinstance(n, ast.ImportFrom) and n.module is not None
            } | {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            crossing = {m for m in names if any(m == o or m.startswith(o + ".") for o in others)}
            assert crossing == set(), f"{path.relative_to(ROOT)} imports {crossing}"


def test_the_check_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from sqlalchemy import select\n    return select\n")
    assert "sqlalchemy" in imported_roots(module)
