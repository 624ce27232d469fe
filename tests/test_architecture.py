"""The layout's rules, checked on the source: imports point one way, wings meet only through
what each wing's __init__ exports, and no module grows past one idea."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WINGS = ("analysis", "reading", "store", "searching", "quality")
# Which wings each wing (and each adapter) may import. Reading uses the analysis wing's Dutch word
# list as evidence for dehyphenation; everything else follows the flow of the data.
MAY_IMPORT = {
    "analysis": set(),
    "reading": {"analysis"},
    "store": {"analysis", "reading"},
    "searching": {"analysis", "reading", "store"},
    "quality": {"analysis", "reading", "store", "searching"},
    "cli": set(WINGS),
    "search_ui": {"analysis", "reading", "store", "searching"},
}
MAX_LINES = 450


def modules() -> list[tuple[str, Path]]:
    """(owner, path): the wing a module belongs to, or the adapter ("cli", "search_ui")."""
    found = []
    for path in sorted((ROOT / "indexer").rglob("*.py")):
        parts = path.relative_to(ROOT / "indexer").parts
        owner = parts[0] if len(parts) > 1 else ("cli" if parts[0].startswith("cli") else None)
        if owner:
            found.append((owner, path))
    found += [("search_ui", path) for path in sorted((ROOT / "search_ui").rglob("*.py"))]
    return found


def imported(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every `import` and `from ... import` in a file, nested ones too."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.module, [alias.name for alias in node.names]))
    return out


@pytest.mark.parametrize("owner, path", modules(), ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else v)
def test_imports_point_one_way_and_go_through_each_wings_exports(owner, path):
    for module, names in imported(path):
        parts = module.split(".")
        if parts[0] != "indexer" or len(parts) < 2 or parts[1] not in WINGS:
            continue
        wing = parts[1]
        if wing == owner:
            continue
        assert wing in MAY_IMPORT[owner], f"{path.relative_to(ROOT)} imports {module}: {owner} may not use {wing}"
        if len(parts) == 2 and names:  # from indexer.wing import x: x must be exported
            exported = set(__import__(f"indexer.{wing}", fromlist=["__all__"]).__all__)
            assert set(names) <= exported, f"{path.relative_to(ROOT)} uses {set(names) - exported} of {wing}, not exported"
        else:
            assert len(parts) == 2, f"{path.relative_to(ROOT)} reaches into {module}: import from indexer.{wing}"


def test_every_wing_says_what_it_does_and_exports_what_it_names():
    for wing in WINGS:
        package = __import__(f"indexer.{wing}", fromlist=["__all__"])
        assert package.__doc__ and "Exports:" in package.__doc__, wing
        for name in package.__all__:
            assert hasattr(package, name), f"indexer.{wing} names {name} but has no such thing"


@pytest.mark.parametrize("owner, path", modules(), ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else v)
def test_no_module_grows_past_one_idea(owner, path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it by idea"


def test_the_search_wing_reads_the_index_only_through_the_store():
    """Whoosh's query objects are the compiled query's form; its readers belong to the store."""
    for owner, path in modules():
        if owner == "searching":
            for module, _ in imported(path):
                assert not module.startswith("whoosh") or module in ("whoosh", "whoosh.query", "whoosh.support.levenshtein"), \
                    f"{path.relative_to(ROOT)} imports {module}"


@pytest.mark.parametrize("package, absent", [
    ("indexer.reading", {"whoosh", "click", "flask", "numpy"}),
    ("indexer.analysis", {"whoosh", "click", "flask", "numpy"}),
    ("indexer.searching", {"click", "flask"}),
    ("indexer.store", {"click", "flask"}),
])
def test_a_wing_loads_without_what_it_does_not_use(package, absent):
    code = f"import sys, {package}; print(sorted(set({sorted(absent)!r}) & {{m.split('.')[0] for m in sys.modules}}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
