"""The layering STYLE.md asks for holds: the domain knows nothing of Slack, templates or the
web, and the project's modules import each other without a cycle, at the top of the file."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = ("bot", "governance", "migrations", "message_templates", "documents", "web")
WEB_FRAMEWORKS = (
    "aiohttp",
    "bottle",
    "django",
    "falcon",
    "fastapi",
    "flask",
    "litestar",
    "pyramid",
    "quart",
    "sanic",
    "starlette",
    "tornado",
    "waitress",
    "werkzeug",
)
FORBIDDEN_IN_DOMAIN = (
    "slack_bolt",
    "slack_sdk",
    "jinja2",
    "bot",
    "web",
    "documents",
    *WEB_FRAMEWORKS,
)


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _project_modules() -> dict[str, Path]:
    """Every module of the project's packages, by dotted name."""
    modules: dict[str, Path] = {}
    for package in PROJECT_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def _absolute(node: ast.ImportFrom, module: str, path: Path) -> str:
    """The module a `from … import` names, with relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
    return f"{base}.{node.module}" if node.module else base


def _named(module: str, path: Path, tree: ast.AST, known: set[str]) -> Iterator[str]:
    """The project modules (or names in them) that the imports in `tree` name."""
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, module, path)
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source
                for alias in node.names
            ]
        yield from (target for target in targets if target.split(".")[0] in PROJECT_PACKAGES)


def _runs(module: str, target: str, known: set[str]) -> Iterator[str]:
    """The modules importing `target` from `module` runs: it and the packages it is in."""
    parts = target.split(".")
    for depth in range(1, len(parts) + 1):
        name = ".".join(parts[:depth])
        # A module's own packages are already imported by the time it runs.
        if name in known and not (module == name or module.startswith(name + ".")):
            yield name


def _import_graph() -> dict[str, set[str]]:
    modules = _project_modules()
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[module] = {
            name
            for target in _named(module, path, tree, known)
            for name in _runs(module, target, known)
        }
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for after in sorted(graph[node]):
            if after not in index:
                visit(after)
                low[node] = min(low[node], low[after])
            elif after in on_stack:
                low[node] = min(low[node], index[after])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_within(group, graph) for group in groups]


def _cycle_within(group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from the group's first module back to itself, inside the group."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for after in sorted(graph[node] & group):
                if after == start:
                    return [*paths[node], start]
                if after not in paths:
                    paths[after] = [*paths[node], after]
                    following.append(after)
        frontier = following
    return [start]


def test_the_import_graph_sees_listeners_registered_by_their_group() -> None:
    graph = _import_graph()
    assert "bot.listeners.commands.plan_command" in graph["bot.listeners.commands"]
    assert "bot.listeners" in graph["bot.scheduler"], "importing a module runs its packages"


def test_the_cycle_finder_names_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert sorted(_cycles(graph)) == [["a", "b", "c", "a"], ["e", "e"]]


def test_the_project_modules_import_each_other_without_a_cycle() -> None:
    graph = _import_graph()
    cycles = [" → ".join(cycle) for cycle in _cycles(graph)]
    assert cycles == [], "import cycles:\n" + "\n".join(cycles)


def test_no_project_module_is_imported_inside_a_function() -> None:
    """Imports inside functions hide cycles; third-party ones (slow to load) may wait there."""
    known = set(_project_modules())
    offenders = []
    for module, path in _project_modules().items():
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                offenders.extend(
                    f"{path.relative_to(ROOT)}:{function.lineno} {function.name} imports {name}"
                    for name in sorted(set(_named(module, path, function, known)))
                )
    assert offenders == []


def test_governance_never_imports_slack_jinja_a_web_framework_or_the_adapter() -> None:
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
        for folder in ("governance", "migrations", "web", "documents")
        for path in (ROOT / folder).rglob("*.py")
        if any(name.startswith("slack") for name in _imported_modules(path))
    ]
    assert outside == []


def test_documents_use_only_governance_plain_data() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in _imported_modules(path)
            if name.split(".")[0] in ("slack_bolt", "slack_sdk", "jinja2", "bot", "web")
        )
        for path in (ROOT / "documents").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_web_form_uses_governance_and_never_the_slack_adapter() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in _imported_modules(path) if name.split(".")[0] in ("bot", "documents")
        )
        for path in (ROOT / "web").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_governance_draws_no_charts_and_writes_no_files_for_people() -> None:
    drawing = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "governance").rglob("*.py")
        if {name.split(".")[0] for name in _imported_modules(path)} & {"matplotlib", "documents"}
    ]
    assert drawing == []
