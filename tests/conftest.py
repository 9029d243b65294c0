"""Named personas in two departments; every access test speaks in their names."""

import pytest
from django.test import Client

from spotcheck.accounts.models import Role

from .factories import DepartmentFactory, UserFactory

# Fixtures for the draw ceremony, shared by the draws, api and browser tests.
pytest_plugins = ["tests.draw_fixtures", "tests.inspections.merge_fixtures"]


@pytest.fixture(autouse=True)
def isolated_storage(settings, tmp_path):
    """Uploads, reports and draw kits go to the test's own folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DRAWS_ROOT = tmp_path / "draws"


@pytest.fixture
def market_dept(db):
    return DepartmentFactory(code="SCJGJ", name="东城区市场监督管理局")


@pytest.fixture
def health_dept(db):
    return DepartmentFactory(code="WJW", name="东城区卫生健康委员会")


@pytest.fixture
def office_admin_wang(market_dept):
    return UserFactory(username="office_admin_wang", role=Role.OFFICE_ADMIN, department=market_dept)


@pytest.fixture
def liaison_zhao(market_dept):
    return UserFactory(username="liaison_zhao", role=Role.DEPARTMENT_ADMIN, department=market_dept)


@pytest.fixture
def liaison_sun(health_dept):
    return UserFactory(username="liaison_sun", role=Role.DEPARTMENT_ADMIN, department=health_dept)


@pytest.fixture
def reviewer_li(market_dept):
    return UserFactory(username="reviewer_li", role=Role.REVIEWER, department=market_dept)


@pytest.fixture
def inspector_zhang(market_dept):
    return UserFactory(username="inspector_zhang", role=Role.INSPECTOR, department=market_dept)


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
