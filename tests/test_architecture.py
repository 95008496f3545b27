"""The allowed import direction between the apps (issue 11; STYLE.md rule 16: apps meet through registries in regio).

Every module of every app is parsed (``ast``, so imports inside functions count too), and so are the string
references of relations (``models.ForeignKey("app_label.Model")``), which tie the apps' tables together as firmly as
an import. The rules:

* The core is layered, each layer importing only the layers below it::

      regio  ←  agreements  ←  costsharing  ←  invoicing

  ``regio`` imports no app at all (its settings and urls name the apps by string only, as the project's wiring).
  Cost sharing never imports invoicing; agreements never import cost sharing.
* The side apps, ``toezicht`` and ``beschermdwonen`` (and the apps to come), import only downward: anything of
  ``regio`` and ``agreements``, and of cost sharing only its model-free modules listed in ``MODEL_FREE`` (pure
  arithmetic that does not load cost sharing's tables). They reach cost sharing and invoicing through registries in
  ``regio`` (key weight providers, invoice-line sources, deadlines, navigation, region-file sections).
* No app imports a side app, and no side app imports another one.
* A relation names a model of its own app or of an app it may import.

``migrations/`` are left out: they are generated from the models, which are checked. Each failure names the file and
line and says which app may import which.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CORE = ["regio", "agreements", "costsharing", "invoicing"]  # lowest first
SIDE = ["toezicht", "beschermdwonen", "inkoop"]
APPS = CORE + SIDE
# Model-free modules of cost sharing a side app may import, with the reason; checked to stay model-free below.
MODEL_FREE = {
    "costsharing.split": "exact splitting by weights (largest remainder): pure arithmetic on Decimal and Fraction",
}
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def app_of(module: str) -> str | None:
    """The app (by label) a dotted module name belongs to, or None for Django, libraries and the stdlib."""
    top = module.split(".")[0]
    return top if top in APPS else None


def allowed(source: str, target: str, module: str) -> bool:
    """May app ``source`` import ``module`` of app ``target``?"""
    if source == target:
        return True
    if source in CORE and target in CORE:
        return CORE.index(target) < CORE.index(source)
    if source in SIDE and target in ("regio", "agreements"):
        return True
    if source in SIDE and target == "costsharing":
        return module in MODEL_FREE
    return False


def rule_of(source: str) -> str:
    if source in CORE:
        below = CORE[: CORE.index(source)]
        return f"{source} may import {', '.join(below) if below else 'no other app'}"
    return f"{source} may import regio, agreements and {', '.join(MODEL_FREE)}; the rest through registries in regio"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def app_files() -> list[Path]:
    files = []
    for top in APPS:
        files += [p for p in (ROOT / top).rglob("*.py") if "migrations" not in p.parts]
    return sorted(files)


def references(path: Path, root: Path = ROOT):
    """(line, dotted module or "label.Model", kind) of every import and every relation named by string in a file,
    in the order of the file."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in sorted(ast.walk(tree), key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, "import"
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                # "from costsharing import services" imports costsharing.services; "from x.y import name" is x.y.
                candidate = f"{base}.{alias.name}"
                is_module = (ROOT / Path(*candidate.split("."))).with_suffix(".py").exists() or (
                    ROOT / Path(*candidate.split("."))
                ).is_dir()
                yield node.lineno, candidate if is_module else base, "import"
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in RELATIONS and node.args and isinstance(node.args[0], ast.Constant):
                target = node.args[0].value
                if isinstance(target, str) and "." in target:
                    yield node.lineno, target, "relation"


def violations(files: list[Path] | None = None, root: Path = ROOT) -> list[str]:
    found = []
    for path in app_files() if files is None else files:
        source = app_of(module_name(path, root))
        for line, target_name, kind in references(path, root):
            if kind == "relation":
                target = target_name.split(".")[0]
                if target not in APPS:
                    continue
                ok = allowed(source, target, "") if target != "costsharing" or source in CORE else False
            else:
                target = app_of(target_name)
                if target is None:
                    continue
                ok = allowed(source, target, target_name)
            message = f"{path.relative_to(root)}:{line}: {source} → {target_name} ({kind}); {rule_of(source)}"
            if not ok and message not in found:
                found.append(message)
    return found


def app_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in app_files():
        source = app_of(module_name(path))
        for _line, name, kind in references(path):
            target = name.split(".")[0] if kind == "relation" else app_of(name)
            if target in APPS and target != source:
                graph[source].add(target)
    return graph


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return trail[trail.index(nxt) :] + [nxt] if nxt in trail else [node, nxt]
            if nxt not in state:
                found = visit(nxt, trail + [nxt])
                if found:
                    return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


def test_imports_follow_the_allowed_direction():
    problems = violations()
    assert not problems, "Imports against the allowed direction (issue 11):\n" + "\n".join(problems)


def test_no_import_cycle_between_apps():
    cycle = cycle_in(app_graph())
    assert cycle is None, "Import cycle between apps: " + " → ".join(cycle)


def test_model_free_modules_load_no_models():
    """A module a side app may import from cost sharing stays free of models (or it would tie the tables)."""
    for module, _reason in MODEL_FREE.items():
        path = ROOT / Path(*module.split(".")).with_suffix(".py")
        for line, name, _kind in references(path):
            assert "models" not in name.split(".") and not name.startswith("django.db"), (
                f"{path.relative_to(ROOT)}:{line} imports {name}, but {module} is listed as model-free"
            )


def test_the_checker_catches_what_it_must():
    """The rules themselves, on examples (so that a checker that passes everything cannot pass)."""
    assert allowed("costsharing", "regio", "regio.models")
    assert allowed("invoicing", "costsharing", "costsharing.models")
    assert not allowed("costsharing", "invoicing", "invoicing.models")
    assert not allowed("costsharing", "toezicht", "toezicht.services")
    assert not allowed("regio", "agreements", "agreements.models")
    assert not allowed("toezicht", "costsharing", "costsharing.api.views")
    assert allowed("toezicht", "costsharing", "costsharing.split")
    assert not allowed("toezicht", "beschermdwonen", "beschermdwonen.models")
    assert not allowed("toezicht", "invoicing", "invoicing.models")
    assert app_of("invoicing.services") == "invoicing"
    assert app_of("costsharing.services") == "costsharing"
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": set()}) is None


def test_function_level_and_relative_imports_are_seen(tmp_path):
    """The import costsharing/services.py used to make inside a function (``from toezicht.services import
    fte_weights``) is found, with its file and line; so is a relative import and a relation named by string."""
    probe = tmp_path / "costsharing" / "api" / "_architecture_probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(
        "def f():\n    from toezicht.services import fte_weights\n\n\nfrom ...invoicing import models\n"
        "x = models.ForeignKey('toezicht.SupervisionCapacity', on_delete=None)\n"
    )
    assert violations([probe], root=tmp_path) == [
        "costsharing/api/_architecture_probe.py:2: costsharing → toezicht.services (import); "
        "costsharing may import regio, agreements",
        "costsharing/api/_architecture_probe.py:5: costsharing → invoicing.models (import); "
        "costsharing may import regio, agreements",
        "costsharing/api/_architecture_probe.py:6: costsharing → toezicht.SupervisionCapacity (relation); "
        "costsharing may import regio, agreements",
    ]
