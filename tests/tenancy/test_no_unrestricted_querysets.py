"""A queryset that forgets tenancy must be hard to write (issue #3).

Every view and API module of our apps is parsed; inside function bodies, a chain that starts at
``<TenantModel>.objects`` (or ``_default_manager`` / ``_base_manager``) must pass through ``restrict``,
``visible_to`` or ``unrestricted`` (the last one only where the object was restricted first, and it is listed here).
Class-level ``queryset = ...`` attributes are allowed: ``TenantViewSetMixin`` / ``TenantViewMixin`` restrict them.
``get_object_or_404(Model, ...)`` and ``get_list_or_404(Model, ...)`` on a tenant model are refused outright.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

from regio.tenancy import TenantModel

ROOT = Path(settings.BASE_DIR)
APP_DIRS = ["regio", "agreements", "costsharing", "beschermdwonen", "toezicht"]
SAFE = {"restrict", "visible_to", "unrestricted"}
MANAGERS = {"objects", "_default_manager", "_base_manager"}


def tenant_model_names() -> set[str]:
    return {m.__name__ for m in apps.get_models() if issubclass(m, TenantModel)}


def view_modules() -> list[Path]:
    files = []
    for app in APP_DIRS:
        for path in (ROOT / app).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in rel:
                continue
            is_view = path.name in {"views.py", "feeds.py"} or path.name.endswith("_views.py")
            if is_view or "/api/" in rel or "/views/" in rel:
                files.append(path)
    return files


def chain_above(node: ast.AST, parents: dict) -> list[str]:
    """The attribute names called on ``node``: for Model.objects.filter(..).first() that is [filter, first]."""
    names = []
    while True:
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            names.append(parent.attr)
        elif not (isinstance(parent, ast.Call) and parent.func is node):
            return names
        node = parent


def violations_in(path: Path, models: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    where = path.relative_to(ROOT)
    found = []
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    for node in {n for f in functions for n in ast.walk(f)}:
        if (
            isinstance(node, ast.Attribute)
            and node.attr in MANAGERS
            and isinstance(node.value, ast.Name)
            and node.value.id in models
            and not SAFE.intersection(chain_above(node, parents))
        ):
            found.append(f"{where}:{node.lineno} {node.value.id}.{node.attr} zonder restrict()/visible_to()")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"get_object_or_404", "get_list_or_404"}
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in models
        ):
            found.append(f"{where}:{node.lineno} {node.func.id}({node.args[0].id}) omzeilt de tenancy")
    return sorted(found, key=lambda v: int(v.split(":")[1].split()[0]))


def test_views_and_api_never_query_a_tenant_model_unrestricted():
    models = tenant_model_names()
    problems = [v for path in view_modules() for v in violations_in(path, models)]
    assert not problems, "Querysets zonder tenancy:\n" + "\n".join(problems)


def test_the_check_itself_catches_a_forgotten_restrict(tmp_path):
    """The guard must be able to fail: a view that lists Region.objects.all() is caught."""
    bad = tmp_path / "views.py"
    bad.write_text(
        "from regio.models import Region\n"
        "def view(request):\n"
        "    return Region.objects.filter(code='x').first()\n"
        "def good(request):\n"
        "    return Region.objects.visible_to(request.user).filter(code='x').first()\n"
        "def bad2(request):\n"
        "    return get_object_or_404(Region, code='x')\n"
    )
    global ROOT
    old, ROOT = ROOT, tmp_path
    try:
        problems = violations_in(bad, tenant_model_names())
    finally:
        ROOT = old
    assert len(problems) == 2, problems
    assert ":3 " in problems[0] and ":7 " in problems[1]
