"""Who owns what in the shared directory.

An entity's registration fields, shared tags, credit-risk class and abnormal-list flag belong to
the registration authority (登记机关: the market-supervision bureau, whose code is the setting
SPOTCHECK_REGISTRATION_DEPARTMENT) and the coordinating office: every department's draws depend on
them. Other departments keep only their own data about an entity: their supervision link and
their `DepartmentEntityRecord` (tags, notes)."""

from django.conf import settings
from django.utils.translation import gettext as _

from spotcheck.accounts.models import Department, Role

from .errors import RegistrationOwnedError

# The shared record: what a registration authority's register says about the entity.
REGISTRATION_FIELDS = (
    "uscc",
    "registration_number",
    "name",
    "entity_type",
    "industry_code",
    "region_code",
    "address",
    "status",
    "tags",
)
# Changing these moves the entity between draw strata: a reason is required and audited.
RISK_FIELDS = ("credit_class", "abnormal_listed")
SHARED_FIELDS = (*REGISTRATION_FIELDS, *RISK_FIELDS)


def is_registration_authority(department: Department | None) -> bool:
    return department is not None and department.code == settings.SPOTCHECK_REGISTRATION_DEPARTMENT


def owns_shared_record(actor) -> bool:
    """The office, the registration authority's liaison or reviewer (who decides on the
    abnormal list), or the operator at the command line (`actor` None, who has the whole
    database anyway)."""
    if actor is None or actor.is_office:
        return True
    return actor.role in (Role.DEPARTMENT_ADMIN, Role.REVIEWER) and is_registration_authority(
        actor.department
    )


def registration_authority_name() -> str:
    code = settings.SPOTCHECK_REGISTRATION_DEPARTMENT
    name = Department.objects.filter(code=code).values_list("name", flat=True).first()
    return name or _("登记机关")


def require_shared_record_owner(actor) -> None:
    if not owns_shared_record(actor):
        raise RegistrationOwnedError(
            _(
                "检查对象的登记信息、信用风险分类和经营异常标记由%(owner)s和联席会议办公室维护，"
                "本部门只能修改本部门的标签和备注"
            )
            % {"owner": registration_authority_name()}
        )
