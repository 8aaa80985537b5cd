"""The package's shape: layers that import downwards only, no import cycles, and modules
readable in one sitting."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "analysis"
LAYERS = ["data", "models", "pages", "build"]  # each may import only itself and the layers before it
MAX_LINES = 500


def modules() -> dict[str, Path]:
    out = {}
    for p in PACKAGE.rglob("*.py"):
        name = ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = p
    return out


def imports(path: Path, known: set[str]) -> set[str]:
    """Modules of the package that ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            found |= {t for t in [node.module, *(f"{node.module}.{a.name}" for a in node.names)] if t in known}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
    return found


MODULES = modules()
GRAPH = {m: imports(p, set(MODULES)) - {m} for m, p in MODULES.items()}


def test_there_are_no_import_cycles():
    def reach(start):
        seen, todo = set(), [start]
        while todo:
            for n in GRAPH[todo.pop()]:
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        return seen
    cycles = sorted(m for m in GRAPH if m in reach(m))
    assert cycles == []


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _layer(m) is not None))
def test_a_layer_imports_only_itself_and_the_layers_below(module):
    upward = sorted(t for t in GRAPH[module] if _layer(t) is not None and _layer(t) > _layer(module))
    assert upward == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_are_readable_in_one_sitting(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines"
