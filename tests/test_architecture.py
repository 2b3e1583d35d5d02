"""The layering STYLE.md asks for holds: the domain knows nothing of Slack or templates."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_DOMAIN = ("slack_bolt", "slack_sdk", "jinja2", "bot")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_governance_never_imports_slack_jinja_or_the_adapter() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in _imported_modules(path) if name.split(".")[0] in FORBIDDEN_IN_DOMAIN
        )
        for path in (ROOT / "governance").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_only_bot_imports_slack() -> None:
    outside = [
        str(path.relative_to(ROOT))
        for folder in ("governance", "migrations")
        for path in (ROOT / folder).rglob("*.py")
        if any(name.startswith("slack") for name in _imported_modules(path))
    ]
    assert outside == []
