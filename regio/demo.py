"""Demo steps beyond the region files: apps register what the demo should show that a file cannot say
(e.g. "the 2025 reckoning approved and invoiced, one invoice paid, one overdue with a reminder").

``load_demo`` imports ``demo/*.yaml`` and then runs every registered step in order. A step must be idempotent: it
checks what is already there, so loading the demo twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

_STEPS: dict[str, tuple[int, Callable[[], str]]] = {}


def register_demo_step(name: str, step: Callable[[], str], order: int = 100) -> None:
    """``step()`` returns one line for the console, e.g. "WM 2025: afrekening goedgekeurd, 3 facturen"."""
    _STEPS[name] = (order, step)


def demo_steps() -> list[tuple[str, Callable[[], str]]]:
    return [(name, step) for name, (order, step) in sorted(_STEPS.items(), key=lambda item: (item[1][0], item[0]))]


PLATFORM_ADMIN_USERNAME = "platformbeheerder"


def ensure_platform_admin() -> str:
    """The demo's platform administrator: the installation's operator, of no municipality (issue 10, finding 2).

    A region file names only people of a municipality, so the demo creates this account here; it gets the demo
    password with the others. Idempotent.
    """
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from regio.models import User
    from regio.roles import Role, ensure_role_groups

    ensure_role_groups()
    user, created = User.objects.get_or_create(
        username=PLATFORM_ADMIN_USERNAME,
        defaults={
            "full_name": "Platformbeheerder (demo)",
            "email": "platformbeheerder@regio-wmo.example",
            "municipality": None,
            "password": make_password(None),
        },
    )
    group = Group.objects.get(name=Role.PLATFORM_ADMIN)
    if not user.groups.filter(pk=group.pk).exists():
        user.groups.add(group)
    return "platformbeheerder aangemaakt" if created else "platformbeheerder bestaat al"
