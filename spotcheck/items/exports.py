"""The check-item list's export: what each row holds."""

from django.utils.translation import gettext as _

from spotcheck.common.export_jobs import ListExport, list_export_register

from . import selectors

HEADERS = [
    "部门",
    "事项编号",
    "抽查类别",
    "抽查事项",
    "检查对象",
    "抽查依据",
    "检查主体",
    "抽查内容",
    "检查方式",
    "事项类型",
    "抽查比例上限",
    "抽查频次",
    "抽查层级",
    "版本",
]


def _row(item) -> list:
    v = item.current_version
    return [
        item.department.name,
        item.code,
        v.category,
        v.name,
        v.inspection_object,
        v.legal_basis,
        v.inspecting_body,
        v.content,
        "、".join(v.methods),
        v.get_kind_display(),
        str(v.ratio_cap or ""),
        v.frequency,
        v.level,
        v.number,
    ]


ITEM_EXPORT = list_export_register(
    ListExport(
        kind="items",
        permission="items.view",
        headers=lambda: [_(h) for h in HEADERS],
        rows=selectors.item_list,
        row=_row,
    )
)
