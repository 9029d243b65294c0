"""Chinese (translatable) messages for the schema errors a client meets most; pydantic's own
English text is kept for the rest."""

from django.utils.translation import gettext as _

# pydantic error type → message template over the error's ctx.
_TEMPLATES = {
    "missing": lambda ctx: _("必填"),
    "string_type": lambda ctx: _("应为字符串"),
    "string_too_long": lambda ctx: _("最多 %(n)s 个字符") % {"n": ctx.get("max_length")},
    "string_too_short": lambda ctx: _("至少 %(n)s 个字符") % {"n": ctx.get("min_length")},
    "too_long": lambda ctx: _("最多 %(n)s 项") % {"n": ctx.get("max_length")},
    "int_type": lambda ctx: _("应为整数"),
    "int_parsing": lambda ctx: _("应为整数"),
    "int_from_float": lambda ctx: _("应为整数"),
    "greater_than_equal": lambda ctx: _("不得小于 %(n)s") % {"n": ctx.get("ge")},
    "less_than_equal": lambda ctx: _("不得大于 %(n)s") % {"n": ctx.get("le")},
    "list_type": lambda ctx: _("应为列表"),
    "dict_type": lambda ctx: _("应为对象"),
    "model_attributes_type": lambda ctx: _("应为对象"),
    "bool_type": lambda ctx: _("应为 true 或 false"),
    "bool_parsing": lambda ctx: _("应为 true 或 false"),
    "date_from_datetime_parsing": lambda ctx: _("应为日期（YYYY-MM-DD）"),
    "date_parsing": lambda ctx: _("应为日期（YYYY-MM-DD）"),
    "datetime_parsing": lambda ctx: _("应为日期时间（ISO 8601）"),
    "datetime_from_date_parsing": lambda ctx: _("应为日期时间（ISO 8601）"),
    "literal_error": lambda ctx: _("取值无效，可选：%(values)s") % {"values": ctx.get("expected")},
    "enum": lambda ctx: _("取值无效，可选：%(values)s") % {"values": ctx.get("expected")},
}


def schema_error_message(error: dict) -> str:
    template = _TEMPLATES.get(error.get("type", ""))
    if template is not None:
        return template(error.get("ctx") or {})
    return str(error.get("msg", "")).removeprefix("Value error, ")
