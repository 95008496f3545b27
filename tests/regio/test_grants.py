"""django-guardian's direct foreign-key tables for grants on a municipality (issue 11; STYLE.md rule 6)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import assign_perm, get_perms

from regio.models import Municipality, MunicipalityGroupObjectPermission, MunicipalityUserObjectPermission
from regio.roles import Role
from regio.tenancy import _supervised_municipality_ids, forget_scope, scope_of

pytestmark = pytest.mark.django_db
GRANTS = importlib.import_module("regio.migrations.0003_municipality_grants_direct_foreign_keys")


def test_a_supervisor_grant_lands_in_the_direct_table_and_shapes_the_scope(world):
    supervisor = world.user("a1", Role.SUPERVISOR)
    assign_perm("regio.supervise_municipality", supervisor, world.a2)
    assert MunicipalityUserObjectPermission.objects.filter(user=supervisor, content_object=world.a2).exists()
    assert not UserObjectPermission.objects.exists()  # not guardian's generic table
    assert get_perms(supervisor, world.a2) == ["supervise_municipality"]
    forget_scope(supervisor)
    assert scope_of(supervisor).supervised_municipality_ids == {world.a2.pk}


def test_a_group_grant_counts_too_and_is_read_in_one_query(world, django_assert_num_queries):
    supervisor = world.user("a1", Role.SUPERVISOR)
    assign_perm("regio.supervise_municipality", supervisor, world.a1)
    group = Group.objects.create(name="toezicht-team-a")
    group.user_set.add(supervisor)  # from the group's side, as the admin's group page does
    assign_perm("regio.supervise_municipality", group, world.a2)
    assert MunicipalityGroupObjectPermission.objects.filter(group=group, content_object=world.a2).exists()
    with django_assert_num_queries(1):
        assert _supervised_municipality_ids(supervisor) == {world.a1.pk, world.a2.pk}
    other = world.user("b1", Role.SUPERVISOR)
    assert _supervised_municipality_ids(other) == frozenset()


def test_the_migration_moves_existing_generic_grants(world):
    """Grants stored in guardian's generic tables before the direct tables existed move over; a grant on a
    municipality that no longer exists is dropped; the way back restores them."""
    supervisor = world.user("a1", Role.SUPERVISOR)
    group = Group.objects.create(name="toezicht-team-a")
    content_type = ContentType.objects.get_for_model(Municipality)
    permission = Permission.objects.get(codename="supervise_municipality", content_type=content_type)
    generic = {"permission": permission, "content_type": content_type}
    # bulk_create: guardian's save() refuses a grant on a missing object, which an old database may still hold.
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(user=supervisor, object_pk=str(world.a2.pk), **generic),
            UserObjectPermission(user=supervisor, object_pk="0", **generic),
        ]
    )
    by_group = GroupObjectPermission(group=group, object_pk=str(world.a1.pk), **generic)
    GroupObjectPermission.objects.bulk_create([by_group])

    GRANTS.move_grants_to_direct_tables(apps, None)

    assert list(MunicipalityUserObjectPermission.objects.values_list("user", "content_object")) == [
        (supervisor.pk, world.a2.pk)
    ]
    assert list(MunicipalityGroupObjectPermission.objects.values_list("group", "content_object")) == [
        (group.pk, world.a1.pk)
    ]
    assert not UserObjectPermission.objects.exists() and not GroupObjectPermission.objects.exists()
    forget_scope(supervisor)
    assert scope_of(supervisor).supervised_municipality_ids == {world.a2.pk}

    GRANTS.move_grants_back_to_generic_tables(apps, None)
    assert list(UserObjectPermission.objects.values_list("object_pk", flat=True)) == [str(world.a2.pk)]
    assert list(GroupObjectPermission.objects.values_list("object_pk", flat=True)) == [str(world.a1.pk)]
