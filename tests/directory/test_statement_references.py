"""The department links' department and the entity history's user are still references the
database enforces (on PostgreSQL by per-statement triggers, see ``common.references``): a link
to a department that does not exist, or history naming a user who does not, is refused; a
department or user still referred to cannot be deleted; deleting through the application (which
removes the links first) still works."""

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from spotcheck.accounts.models import Department
from spotcheck.directory.models import MarketEntity
from tests.factories import DepartmentFactory, EntityFactory, UserFactory

LINKS = MarketEntity.departments.through
HISTORY = MarketEntity.history.model
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_link_to_a_missing_department_is_refused_and_nothing_is_written():
    entity, department = EntityFactory(), DepartmentFactory()
    missing = Department.objects.order_by("-pk").first().pk + 1000
    with pytest.raises(IntegrityError), transaction.atomic():
        LINKS.objects.bulk_create(
            [
                LINKS(marketentity=entity, department_id=department.pk),
                LINKS(marketentity=entity, department_id=missing),
            ]
        )
    assert not LINKS.objects.exists()


def test_links_to_existing_departments_are_written():
    entities = EntityFactory.create_batch(3)
    first, second = DepartmentFactory(), DepartmentFactory()
    LINKS.objects.bulk_create(
        LINKS(marketentity=e, department=d) for e in entities for d in (first, second)
    )
    assert LINKS.objects.count() == 6


def test_a_linked_department_cannot_be_deleted_behind_the_applications_back():
    entity, department = EntityFactory(), DepartmentFactory()
    entity.departments.add(department)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_department WHERE id = %s", [department.pk])
    assert Department.objects.filter(pk=department.pk).exists()
    # The application removes the links first, then the department
    department.delete()
    assert not LINKS.objects.exists()
    assert MarketEntity.objects.filter(pk=entity.pk).exists()


def test_history_naming_a_missing_user_is_refused():
    entity = EntityFactory()
    user = UserFactory()
    row = HISTORY.objects.filter(id=entity.pk).first()
    HISTORY.objects.filter(pk=row.pk).update(history_user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        HISTORY.objects.filter(pk=row.pk).update(history_user_id=user.pk + 1000)
    assert HISTORY.objects.get(pk=row.pk).history_user_id == user.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's triggers")
def test_a_user_named_in_history_cannot_be_deleted_behind_the_applications_back():
    entity, user = EntityFactory(), UserFactory()
    HISTORY.objects.filter(id=entity.pk).update(history_user=user)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_user WHERE id = %s", [user.pk])
    assert HISTORY.objects.filter(history_user=user).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's triggers")
def test_a_role_that_may_only_read_departments_may_still_link_to_them():
    # The check runs as its owner, as a foreign key's does: linking needs no right to lock
    # the departments (FOR KEY SHARE needs UPDATE on the parent otherwise).
    entity, department = EntityFactory(), DepartmentFactory()
    table = LINKS._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("DROP ROLE IF EXISTS spotcheck_test_linker")
        cursor.execute("CREATE ROLE spotcheck_test_linker NOLOGIN")
        try:
            cursor.execute(
                f"GRANT USAGE ON SCHEMA public TO spotcheck_test_linker; "
                f"GRANT SELECT, INSERT ON {table} TO spotcheck_test_linker; "
                f"GRANT USAGE ON SEQUENCE {table}_id_seq TO spotcheck_test_linker; "
                "GRANT SELECT ON accounts_department TO spotcheck_test_linker"
            )
            cursor.execute("SET ROLE spotcheck_test_linker")
            cursor.execute(
                f"INSERT INTO {table} (marketentity_id, department_id) VALUES (%s, %s)",
                [entity.pk, department.pk],
            )
        finally:
            cursor.execute("RESET ROLE")
            cursor.execute("DROP OWNED BY spotcheck_test_linker")
            cursor.execute("DROP ROLE spotcheck_test_linker")
    assert LINKS.objects.filter(department=department).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's triggers")
def test_departments_are_deleted_under_read_committed_only():
    # Under a snapshot level the check could miss a link committed meanwhile: it refuses
    spare = DepartmentFactory()
    with pytest.raises(OperationalError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("DELETE FROM accounts_department WHERE id = %s", [spare.pk])
    assert Department.objects.filter(pk=spare.pk).exists()
    spare.delete()  # the application's level
    assert not Department.objects.filter(pk=spare.pk).exists()
