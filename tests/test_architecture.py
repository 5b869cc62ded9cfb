"""The package reads like the architecture: packages by concern in layers, no import
going back up a layer, no cycle, and only ``isgraph.store`` touching a store backend."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

from .conftest import ROOT

PACKAGE = ROOT / "isgraph"
#: Each package and its layer: a module imports only from lower layers or its own package.
LAYERS = {
    "base": 0,  # isgraph/errors, messages, namespaces, resources, text
    "rdf": 1,
    "sparql": 1,  # the SPARQL language: parser and policy, read before any store
    "store": 2,
    "shacl": 3,
    "reason": 3,
    "query": 4,
    "graph": 5,
    "federation": 6,
    "imports": 6,  # the data observatories already have: formats read into cases
    "web": 7,
    "cli": 8,
}
#: The facade that re-exports the public API for ``import isgraph``.
FACADE = "isgraph"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) else "base"


def imports(path: Path) -> list[tuple[str, int]]:
    """The isgraph modules a file imports (anywhere in it), with their lines."""
    module = module_name(path)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names if alias.name.split(".")[0] == "isgraph"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if path.name == "__init__.py" else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "isgraph":
                continue
            for alias in node.names:  # "from isgraph.store import labels" may name a module
                candidate = f"{target}.{alias.name}"
                is_module = (ROOT / Path(*candidate.split("."))).with_suffix(".py").exists() or (
                    ROOT / Path(*candidate.split("."))
                ).is_dir()
                found.append((candidate if is_module else target, node.lineno))
    return found


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_sits_in_a_known_layer() -> None:
    assert {package_of(m) for m in modules() if m != FACADE} == set(LAYERS)


@pytest.mark.parametrize("module", sorted(set(modules()) - {FACADE}))
def test_no_import_goes_up_a_layer(module: str) -> None:
    source = package_of(module)
    wrong = [
        f"{target} (line {line})"
        for target, line in imports(modules()[module])
        if target != FACADE and package_of(target) != source and LAYERS[package_of(target)] >= LAYERS[source]
    ]
    assert wrong == [], f"{module} ({source}, layer {LAYERS[source]}) imports upward or sideways: {wrong}"


def test_no_import_cycle() -> None:
    graph = nx.DiGraph()
    for module, path in modules().items():
        graph.add_node(module)
        for target, _ in imports(path):
            if FACADE not in (module, target):
                graph.add_edge(module, target)
    assert sorted(nx.simple_cycles(graph)) == []


def test_only_the_store_package_touches_a_store_backend() -> None:
    """pyoxigraph's terms and parsers are the RDF model everywhere, but a pyoxigraph ``Store``
    is opened, the embedded store's pyoxigraph store is reached, and SPARQLWrapper is used,
    only in ``isgraph/store``."""
    offenders = []
    for module, path in modules().items():
        if package_of(module) == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Store":
                offenders.append(f"{module}: a pyoxigraph Store opened (line {node.lineno})")
            if isinstance(node, ast.Attribute) and node.attr == "oxigraph":
                offenders.append(f"{module}: .oxigraph reaches into the embedded store (line {node.lineno})")
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if any(n.split(".")[0] == "SPARQLWrapper" for n in names):
                    offenders.append(f"{module}: SPARQLWrapper (line {node.lineno})")
    assert offenders == []


def test_the_store_setting_is_read_in_one_place() -> None:
    readers = sorted(
        module
        for module, path in modules().items()
        if any(
            v in path.read_text(encoding="utf-8").replace("``ISGRAPH_", "")
            for v in ('"ISGRAPH_ENDPOINT"', '"ISGRAPH_STORE"', '"ISGRAPH_UPDATE_ENDPOINT"')
        )
    )
    assert readers == ["isgraph.store.connect"]


def test_every_type_ignore_names_its_error_and_its_reason() -> None:
    import re

    pattern = re.compile(r"#\s*type:\s*ignore(\[[a-z-]+(?:,\s*[a-z-]+)*\])?(\s*#\s*\S.*)?")
    bare = [
        f"{module}:{number}"
        for module, path in modules().items()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for found in pattern.finditer(line)
        if not (found.group(1) and found.group(2))
    ]
    assert bare == []
