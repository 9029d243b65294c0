"""factory-boy factories; USCCs are valid and reproducible."""

import random
from datetime import date, timedelta
from decimal import Decimal

import factory

from spotcheck.accounts.models import Department, Role, User
from spotcheck.directory.fingerprint import FINGERPRINT_FIELDS, entity_fingerprint
from spotcheck.directory.models import Inspector, MarketEntity
from spotcheck.directory.uscc import generate_uscc
from spotcheck.items.services import item_create

_rng = random.Random(20261122)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.LazyAttribute(lambda d: f"部门{d.code}")
    region_code = "110101"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")
    department = factory.SubFactory(DepartmentFactory)
    role = Role.INSPECTOR


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketEntity
        skip_postgeneration_save = True

    uscc = factory.LazyFunction(lambda: generate_uscc(_rng))
    key = factory.SelfAttribute("uscc")
    name = factory.Sequence(lambda n: f"北京测试{n}有限公司")
    entity_type = "enterprise"
    region_code = "110101"
    industry_code = "5212"

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)
        if create:
            self.fingerprint = entity_fingerprint({f: getattr(self, f) for f in FINGERPRINT_FIELDS})
            self.save(update_fields=["fingerprint"])


class InspectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspector

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"检查员{n}")
    certificate_number = factory.Sequence(lambda n: f"110101ZF{n:05d}")
    certificate_expiry = factory.LazyFunction(lambda: date.today() + timedelta(days=365))
    expertise = ["食品安全"]


def make_item(department, *, code="I-001", name="食品销售者监督检查", kind="key", actor=None):
    return item_create(
        actor=actor,
        department=department,
        code=code,
        values={
            "category": "食品安全监督检查",
            "name": name,
            "legal_basis": "《食品安全法》",
            "methods": ["on_site"],
            "kind": kind,
            "ratio_cap": Decimal("0.05") if kind == "general" else None,
        },
    )
