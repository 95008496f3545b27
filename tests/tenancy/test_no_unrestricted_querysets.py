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
            if path.name in {"views.py", "feeds.py"} or "/api/" in rel or "/views/" in rel or path.name.endswith("_views.py"):
                files.append(path)
    return files


def chain_methods(node: ast.AST) -> list[str]:
    """Names along an attribute/call chain, outermost last: Model.objects.filter(...).first() -> [objects, filter, first]."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        else:
            break
    names.reverse()
    return names, node


def violations_in(path: Path, models: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    class Visitor(ast.NodeVisitor):
        def __init__(self):
            self.in_function = 0

        def visit_FunctionDef(self, node):
            self.in_function += 1
            self.generic_visit(node)
            self.in_function -= 1

        visit_AsyncFunctionDef = visit_FunctionDef

        def visit_Call(self, node):
            if self.in_function and isinstance(node.func, ast.Name) and node.func.id in {
                "get_object_or_404",
                "get_list_or_404",
            }:
                if node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in models:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.id}({node.args[0].id}) "
                                 "omzeilt de tenancy")
            self.generic_visit(node)

        def visit_Attribute(self, node):
            if self.in_function and node.attr in MANAGERS and isinstance(node.value, ast.Name):
                if node.value.id in models:
                    parent = getattr(node, "_parent_chain", None)
                    names = parent or []
                    if not SAFE.intersection(names):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr} zonder "
                                     "restrict()/visible_to()")
            self.generic_visit(node)

    # Annotate each manager attribute with the names of the chain it heads.
    for node in ast.walk(tree):
        if isinstance(node, ast.Call | ast.Attribute):
            names, base = chain_methods(node)
            if len(names) >= 1 and isinstance(base, ast.Name):
                # find the manager attribute node inside this chain
                inner = node
                while not (isinstance(inner, ast.Attribute) and inner.attr in MANAGERS and isinstance(inner.value, ast.Name)):
                    inner = inner.func if isinstance(inner, ast.Call) else inner.value
                    if not isinstance(inner, ast.Call | ast.Attribute):
                        break
                else:
                    existing = getattr(inner, "_parent_chain", [])
                    if len(names) > len(existing):
                        inner._parent_chain = names
    Visitor().visit(tree)
    return found


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
