from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from spotcheck.accounts.department_names import department_core
from spotcheck.accounts.department_settings import (
    department_alias_add,
    department_default_cap_set,
)
from spotcheck.accounts.models import Department


class Command(BaseCommand):
    help = (
        "Department settings for imports: spotcheck department alias CODE ALIAS | "
        "spotcheck department aliases CODE | spotcheck department cap CODE 3%"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        alias = sub.add_parser("alias", help="add another name spreadsheets use for CODE")
        alias.add_argument("code")
        alias.add_argument("alias")
        listing = sub.add_parser("aliases", help="list CODE's aliases and the core names match")
        listing.add_argument("code")
        cap = sub.add_parser("cap", help="default cap of general items whose list sets none")
        cap.add_argument("code")
        cap.add_argument("cap", help="e.g. 3%% or 0.03; 'default' for the district's")

    def handle(self, *args, action, code, **options):
        department = Department.objects.filter(code=code).first()
        if department is None:
            raise CommandError(f"部门代码不存在: {code}")
        try:
            if action == "alias":
                department_alias_add(department=department, alias=options["alias"])
                self.stdout.write(f"{options['alias']} → {department.name}")
            elif action == "aliases":
                self.stdout.write(
                    f"{department.name}（匹配名称核心：{department_core(department.name)}）"
                )
                for alias in department.aliases.values_list("alias", flat=True):
                    self.stdout.write(alias)
            else:
                cap = _cap(options["cap"])
                department_default_cap_set(department=department, cap=cap)
                shown = "本地默认" if cap is None else f"{cap * 100:g}%"
                self.stdout.write(f"{department.name}: {shown}")
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error


def _cap(text: str) -> Decimal | None:
    if text == "default":
        return None
    try:
        value = Decimal(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except InvalidOperation:
        raise CommandError(f"无法识别的比例: {text}（例如 3% 或 0.03）") from None
    return value.quantize(Decimal("0.0001"))
