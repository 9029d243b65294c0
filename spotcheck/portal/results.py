"""Published inspection results for citizens and firms: search, one record, one entity."""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from spotcheck.accounts.models import Department
from spotcheck.common.pagination import CappedPaginator, query_without_page
from spotcheck.common.widgets import date_input
from spotcheck.inspections.models import ResultCategory
from spotcheck.publication.public import (
    RecordFilters,
    public_entity_records,
    public_record_search,
    public_records,
)

PAGE_SIZE = 20
# Counting stops here: "more than 1,000" tells a citizen to narrow the search, and the count
# stays cheap on a province's worth of records.
COUNT_CAP = 1_000


class ResultPaginator(CappedPaginator):
    @property
    def cap(self) -> int:
        return COUNT_CAP


def _page(request, records):
    return ResultPaginator(records, PAGE_SIZE).get_page(request.GET.get("page"))


class ResultSearchForm(forms.Form):
    q = forms.CharField(label=_("企业名称或统一社会信用代码"), max_length=100, required=False)
    department = forms.ChoiceField(label=_("检查部门"), required=False)
    date_from = forms.DateField(label=_("公示日期自"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("至"), required=False, widget=date_input())
    category = forms.ChoiceField(label=_("检查结果"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["department"].choices = everything + list(
            Department.objects.filter(is_active=True).values_list("code", "name")
        )
        self.fields["category"].choices = everything + list(
            ResultCategory.objects.values_list("code", "name")
        )


def results(request):
    form = ResultSearchForm(request.GET or None)
    filters = RecordFilters(**form.cleaned_data) if form.is_valid() else RecordFilters()
    page = _page(request, public_record_search(filters))
    context = {"form": form, "page": page, "query": query_without_page(request)}
    return render(request, "portal/results.html", context)


def result_detail(request, record_id):
    record = get_object_or_404(public_records(), record_id=record_id)
    return render(request, "portal/result_detail.html", {"record": record})


def entity(request, code):
    records = public_entity_records(code)
    page = _page(request, records)
    if not page.object_list:
        raise Http404
    context = {"page": page, "latest": page.object_list[0], "query": query_without_page(request)}
    return render(request, "portal/entity.html", context)
