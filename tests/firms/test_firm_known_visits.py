"""What a firm's pages list of its checks: a check once its notice was issued (or the team has
begun), never before; a visit merged into a joint one as merged, not as still to come."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from spotcheck.accounts.models import Role
from spotcheck.draws.publication import format_access_code
from spotcheck.firms.models import FirmAccount
from spotcheck.inspections.merging import merge_offer_answer
from spotcheck.inspections.models import FieldVisit
from tests.factories import UserFactory
from tests.firms.printed import printed_pin


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


def _visits(offer):
    return list(offer.visits.select_related("batch__department").order_by("planned_date"))


def firm_client(entity, bound_by) -> Client:
    user = UserFactory(username="qiye_known", role=Role.FIRM, department=None)
    FirmAccount.objects.create(user=user, entity=entity, bound_by_visit=bound_by)
    client = Client()
    client.force_login(user)
    return client


def row_of(page: str, visit) -> str | None:
    """The table row naming `visit` (batch number / visit id), or None."""
    label = f"{visit.batch.number} / {visit.visit_id}"
    return next((row for row in re.findall(r"<tr>.*?</tr>", page, re.S) if label in row), None)


def code_of(visit) -> str:
    return format_access_code(visit.access_code)


def test_a_check_whose_notice_is_unsent_is_not_on_the_firms_pages(offer):
    # given two departments drew the firm; the health department's letter went out, the
    # market department's is still unprinted
    market_visit, health_visit = _visits(offer)
    printed_pin(health_visit)
    client = firm_client(market_visit.entity, health_visit)
    # when the firm opens its account and its page through the code it holds
    account = client.get(reverse("firms:account")).content.decode()
    firm_page = Client().get(reverse("firms:firm", args=[code_of(health_visit)])).content.decode()
    # then it sees the check it was told of, and nothing of the other: no code, no team, no date
    for page in (account, firm_page):
        assert row_of(page, health_visit) is not None
        assert row_of(page, market_visit) is None
    assert code_of(market_visit) not in account
    assert f"/check/account/visits/{market_visit.pk}/" not in account
    # nor can it act on the unsent one by its number
    recusal = client.post(
        reverse("firms:account_recusal", args=[market_visit.pk]), {"member": "1", "reason": "x"}
    )
    assert recusal.status_code == 404
    # once the market letter is printed, the check is there with its code
    printed_pin(market_visit)
    account = client.get(reverse("firms:account")).content.decode()
    assert row_of(account, market_visit) is not None and code_of(market_visit) in account


def test_a_check_the_team_has_begun_is_on_the_firms_page_even_without_a_letter(offer):
    market_visit, health_visit = _visits(offer)
    printed_pin(health_visit)
    client = firm_client(market_visit.entity, health_visit)
    # the team arrived on site (the letter may have been handed over there)
    FieldVisit.objects.create(visit=market_visit, arrived_at=timezone.now())
    account = client.get(reverse("firms:account")).content.decode()
    assert row_of(account, market_visit) is not None


def test_a_merged_visit_shows_as_merged_into_the_joint_check(offer, liaison_zhao, liaison_sun):
    market_visit, health_visit = _visits(offer)
    # given both letters went out, then both departments agreed to check the firm once
    printed_pin(market_visit)
    printed_pin(health_visit)
    merge_offer_answer(actor=liaison_zhao, offer=offer, accept=True)
    merge_offer_answer(actor=liaison_sun, offer=offer, accept=True)
    health_visit.refresh_from_db()
    assert health_visit.merged_into_id == market_visit.pk
    merged = f"已合并到 {market_visit.batch.number}/{market_visit.visit_id}"
    client = firm_client(market_visit.entity, health_visit)
    # when the firm looks at its account, its page, and the merged visit's own page
    account = client.get(reverse("firms:account")).content.decode()
    firm_page = Client().get(reverse("firms:firm", args=[code_of(health_visit)])).content.decode()
    visit_page = Client().get(reverse("firms:visit", args=[code_of(health_visit)])).content.decode()
    # then the merged visit is merged, not a check still to come; the joint one is to come
    for page in (account, firm_page):
        merged_row = row_of(page, health_visit)
        assert merged in merged_row and "待检查" not in merged_row
        assert "待检查" in row_of(page, market_visit)
    assert f"本次检查已合并到 {market_visit.batch.number}/{market_visit.visit_id}" in visit_page
    assert "尚未完成" not in visit_page
    # and it offers no recusal for the merged visit's old team
    assert f'id="account-visit-{health_visit.pk}"' not in account
