"""A queryset that forgets tenancy must be hard to write (issue #3; issue 10, finding 9).

Every module of our apps is parsed (not only views and API modules: services, tasks, loaders, models too); inside
function bodies, a chain that starts at ``<TenantModel>.objects`` (or ``_default_manager`` / ``_base_manager``)
must pass through ``restrict``, ``visible_to`` or ``unrestricted``; only ``create`` / ``bulk_create`` /
``bulk_update`` of instances in hand need none (they select no rows). Every ``.unrestricted()`` call site is on the
allowlist (``tests/tenancy/unrestricted_allowlist.py``: file, function, reason) or names its reason as the argument,
``.unrestricted("why")``; an allowlist entry whose call site is gone fails too.
Class-level ``queryset = ...`` attributes are allowed: ``TenantViewSetMixin`` / ``TenantViewMixin`` restrict them.
``get_object_or_404(Model, ...)`` and ``get_list_or_404(Model, ...)`` on a tenant model are refused outright.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

from regio.tenancy import TenantModel
from tests.tenancy.unrestricted_allowlist import ALLOWED

ROOT = Path(settings.BASE_DIR)
APP_DIRS = ["regio", "agreements", "costsharing", "invoicing", "beschermdwonen", "toezicht", "inkoop"]
SAFE = {"restrict", "visible_to", "unrestricted"}
MANAGERS = {"objects", "_default_manager", "_base_manager"}
# Writes of instances in hand: they select no rows, so there is nothing to restrict.
NEW_ROWS = {"create", "bulk_create", "bulk_update"}


def tenant_model_names() -> set[str]:
    return {m.__name__ for m in apps.get_models() if issubclass(m, TenantModel)}


def app_modules() -> list[Path]:
    """Every Python module of the apps except migrations."""
    files = []
    for app in APP_DIRS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "/migrations/" not in path.relative_to(ROOT).as_posix():
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
            and not NEW_ROWS.intersection(chain_above(node, parents)[:1])
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


def test_no_module_queries_a_tenant_model_unrestricted():
    models = tenant_model_names()
    problems = [v for path in app_modules() for v in violations_in(path, models)]
    assert not problems, "Querysets zonder tenancy:\n" + "\n".join(problems)


def unrestricted_sites(path: Path) -> list[tuple[str, int, str | None]]:
    """(function, line, reason argument) of every ``.unrestricted(...)`` call; the function as ``Class.method``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def visit(node, stack):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                visit(child, [*stack, child.name])
                continue
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr == "unrestricted"
            ):
                arg = child.args[0] if child.args else None
                reason = arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
                found.append((".".join(stack) or "<module>", child.lineno, (reason or "").strip() or None))
            visit(child, stack)

    visit(tree, [])
    return found


def allowlist_problems(paths: list[Path], allowed: dict[str, dict[str, str]]) -> list[str]:
    problems = []
    seen: set[tuple[str, str]] = set()
    for path in paths:
        rel = path.relative_to(ROOT).as_posix()
        for function, line, reason in unrestricted_sites(path):
            listed = allowed.get(rel, {}).get(function)
            if reason:
                continue
            if listed is None:
                problems.append(f'{rel}:{line} {function}: .unrestricted() zonder reden: "{function}": "<waarom>"')
            elif not listed.strip():
                problems.append(f"{rel} {function}: lege reden op de lijst")
            else:
                seen.add((rel, function))
    for rel, functions in allowed.items():
        for function in functions:
            if (rel, function) not in seen:
                problems.append(
                    f"{rel} {function}: staat op de lijst maar roept .unrestricted() (zonder reden) niet meer"
                )
    return problems


def test_every_unrestricted_call_site_is_listed_with_its_reason():
    problems = allowlist_problems(app_modules(), ALLOWED)
    assert not problems, "unrestricted() buiten de lijst (tests/tenancy/unrestricted_allowlist.py):\n" + "\n".join(
        problems
    )


def test_the_allowlist_check_can_fail(tmp_path):
    """An unlisted call site fails, a listed one without a call fails, a reason argument serves as the listing."""
    global ROOT
    app = tmp_path / "app"
    app.mkdir()
    module = app / "services.py"
    module.write_text(
        "from regio.models import Region\n"
        "def listed(user):\n"
        "    return Region.objects.unrestricted().count()\n"
        "def unlisted(user):\n"
        "    return Region.objects.unrestricted().count()\n"
        "class Job:\n"
        "    def run(self):\n"
        "        return Region.objects.unrestricted('de nachtelijke taak leest elke regio').count()\n"
    )
    old, ROOT = ROOT, tmp_path
    try:
        problems = allowlist_problems([module], {"app/services.py": {"listed": "reden", "gone": "reden"}})
    finally:
        ROOT = old
    assert len(problems) == 2, problems
    assert problems[0].startswith("app/services.py:5 unlisted") and "gone" in problems[1]


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
