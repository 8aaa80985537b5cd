"""The package's shape: layers that import downwards only, no import cycles, and modules
readable in one sitting."""
import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "analysis"
LAYERS = ["data", "models", "pages", "build"]  # each may import only itself and the layers before it
MAX_LINES = 500
ROOT = PACKAGE.parent


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


# --- pages and models are generic: no fact ids, no tests of area codes -----------------------------

FACT_ID_LITERAL = re.compile(r"""["'][0-9]{3}\.[a-z][a-z0-9_-]*\.""")
AREA_CODE = re.compile(r"^(?:[0-9]{2}[A-Z]|E[0-9]{8})$")


def _python_files():
    return sorted(p for p in (ROOT / "analysis").rglob("*.py"))


def test_no_fact_id_literal_in_python():
    found = []
    for path in _python_files():
        rel = str(path.relative_to(ROOT))
        found += [f"{rel}:{n}" for n, line in enumerate(path.read_text().splitlines(), 1) if FACT_ID_LITERAL.search(line)]
    assert not found, f"figures are read by measure, breakdown and period, never by id: {found}"


def _area_constants(tree) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            values = node.value.elts if isinstance(node.value, (ast.Tuple, ast.List)) else [node.value]
            if all(isinstance(v, ast.Constant) and isinstance(v.value, str) and AREA_CODE.match(v.value) for v in values):
                for t in node.targets:
                    names |= {e.id for e in (t.elts if isinstance(t, ast.Tuple) else [t]) if isinstance(e, ast.Name)}
    return names


def test_no_page_or_model_tests_an_area_code():
    found = []
    for path in _python_files():
        rel = str(path.relative_to(ROOT))
        if not rel.startswith(("analysis/pages/", "analysis/models/")):
            continue
        tree = ast.parse(path.read_text())
        constants = _area_constants(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict) and any(  # a table keyed by area code is a test of it too
                    isinstance(k, ast.Constant) and isinstance(k.value, str) and AREA_CODE.match(k.value) for k in node.keys):
                found.append(f"{rel}:{node.lineno}")
            if not isinstance(node, ast.Compare):
                continue
            for side in (node.left, *node.comparators):
                literal = isinstance(side, ast.Constant) and isinstance(side.value, str) and AREA_CODE.match(side.value)
                codes = isinstance(side, (ast.Tuple, ast.List, ast.Set)) and any(
                    isinstance(e, ast.Constant) and isinstance(e.value, str) and AREA_CODE.match(e.value) for e in side.elts)
                named = isinstance(side, ast.Name) and side.id in constants
                if literal or codes or named:
                    found.append(f"{rel}:{node.lineno}")
    assert not found, f"a block appears where the area's data hold its inputs, never by area code: {found}"


def test_the_guards_catch_what_they_look_for():
    assert FACT_ID_LITERAL.search('f = _fact(page, "002.finplan.99f.fin_plan_line.2013-14.gap")')
    tree = ast.parse('CPR = "99F"\nif area_code != CPR:\n    pass\nif code in ("06Q", "99E"):\n    pass\n')
    assert _area_constants(tree) == {"CPR"}
