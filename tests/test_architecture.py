"""The shape of the code: apps depend one way, modules import each other without
cycles, and an import inside a function says why it is there.

    backbone ← stakeholders ← initiatives ← measures ← plans

Imports are read with `ast`, so the test sees what the code says, not what happens
to be imported already.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["backbone", "stakeholders", "initiatives", "measures", "plans"]
RANK = {app: i for i, app in enumerate(APPS)}
# The root URL configuration is the one module (with settings) that knows every app.
MAY_IMPORT_HIGHER = {"backbone.urls"}


def project_modules() -> dict[str, tuple[Path, bool]]:
    """Dotted name → (file, is a package) for every module of the apps, migrations aside."""
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            modules[".".join(parts)] = (path, is_package)
    return modules


MODULES = project_modules()
TREES = {
    name: ast.parse(path.read_text(), filename=str(path)) for name, (path, _) in MODULES.items()
}


def _owner(dotted: str) -> str | None:
    """The project module a dotted import name lands in (a name imported from a
    module belongs to that module), or None outside the project."""
    while dotted and dotted not in MODULES:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module if MODULES[module][1] else module.rpartition(".")[0]
        parts = package.split(".")
        parts = parts[: len(parts) - node.level + 1]
        base = ".".join(parts + ([node.module] if node.module else []))
    return [base] + [f"{base}.{alias.name}" for alias in node.names]


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _targets(name, node):
                    owner = _owner(target)
                    if owner and owner != name:
                        graph[name].add(owner)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_imports_between_apps():
    graph = import_graph()
    assert "backbone.models" in graph["stakeholders.models"]
    assert "stakeholders.selectors" in graph["initiatives.selectors.initiative"]


def test_no_app_imports_an_app_to_its_right():
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        for target in targets
        if module not in MAY_IMPORT_HIGHER
        and RANK[target.split(".")[0]] > RANK[module.split(".")[0]]
    )
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle():
    found = [sorted(cycle) for cycle in cycles(import_graph())]
    assert not found, f"Import cycles: {found}"


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [frozenset({"a", "b", "c"})]


def _explained(lines: list[str], lineno: int) -> bool:
    here, above = lines[lineno - 1], lines[lineno - 2] if lineno > 1 else ""
    return "#" in here or above.strip().startswith("#")


def test_an_import_inside_a_function_says_why():
    unexplained = []
    for name, tree in TREES.items():
        lines = MODULES[name][0].read_text().splitlines()
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.Import | ast.ImportFrom):
                    continue
                if not _explained(lines, node.lineno):
                    unexplained.append(f"{name}:{node.lineno} {ast.unparse(node)}")
    assert not unexplained, "Say why in a comment, or import at the top:\n" + "\n".join(unexplained)
