"""The directory's list exports (entities, inspectors): what each row holds."""

from django.utils.translation import gettext as _

from spotcheck.common.export_jobs import ListExport, list_export_register

from . import selectors


def _entity_headers() -> list[str]:
    return [
        _("统一社会信用代码"),
        _("注册号"),
        _("名称"),
        _("主体类型"),
        _("行业代码"),
        _("行政区划"),
        _("经营地址"),
        _("登记状态"),
        _("信用风险分类"),
        _("列入经营异常名录"),
        _("标签"),
    ]


def _entity_row(e) -> list:
    return [
        e.uscc,
        e.registration_number,
        e.name,
        e.get_entity_type_display(),
        e.industry_code,
        e.region_code,
        e.address,
        e.get_status_display(),
        e.credit_class,
        _("是") if e.abnormal_listed else _("否"),
        "，".join(e.tags),
    ]


def _inspector_headers() -> list[str]:
    return [
        _("部门"),
        _("姓名"),
        _("执法证号"),
        _("执法证有效期至"),
        _("执法领域"),
        _("行政区划"),
        _("状态"),
        _("每批次检查上限"),
    ]


def _inspector_row(i) -> list:
    return [
        i.department.name,
        i.name,
        i.certificate_number,
        i.certificate_expiry.isoformat(),
        "，".join(i.expertise),
        i.region_code,
        i.get_status_display(),
        i.capacity_per_batch,
    ]


ENTITY_EXPORT = list_export_register(
    ListExport(
        kind="entities",
        permission="directory.export",
        headers=_entity_headers,
        rows=selectors.entity_list,
        row=_entity_row,
    )
)
INSPECTOR_EXPORT = list_export_register(
    ListExport(
        kind="inspectors",
        permission="directory.export",
        headers=_inspector_headers,
        rows=selectors.inspector_list,
        row=_inspector_row,
    )
)
