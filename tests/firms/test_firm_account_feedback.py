"""A firm signed in to its account rates its visit and asks for a recusal without the PIN: the
account was bound by a code and PIN already. Once per visit, the same rules and audit."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from spotcheck.accounts.models import Role
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.draws.models import Visit
from spotcheck.firms.models import FirmAccount, RecusalRequest, VisitRating
from spotcheck.firms.services import firm_account_recusal_request, firm_account_visit_rate
from spotcheck.inspections.services import visit_arrive, visit_complete
from tests.draw_fixtures import flashed, team_member
from tests.factories import UserFactory
from tests.firms.printed import printed_pin


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


@pytest.fixture
def account(joint_visit):
    printed_pin(joint_visit)  # the notice was sent; its code and PIN bound the account
    user = UserFactory(username="qiye_account", role=Role.FIRM, department=None)
    return FirmAccount.objects.create(
        user=user, entity=joint_visit.entity, bound_by_visit=joint_visit
    )


@pytest.fixture
def firm_client(account, client_for):
    return client_for(account.user)


def rate(client, visit, stars="4"):
    return client.post(
        reverse("firms:account_rate", args=[visit.pk]),
        {"stars": stars, "text": "检查规范"},
        follow=True,
    )


def ask_recusal(client, visit, member, reason="该执法人员是我公司股东的亲属"):
    return client.post(
        reverse("firms:account_recusal", args=[visit.pk]),
        {"member": str(member.pk), "reason": reason},
        follow=True,
    )


def test_the_signed_in_firm_rates_its_finished_visit_once_without_a_pin(
    joint_visit, inspector_market, account, firm_client
):
    page = firm_client.get(reverse("firms:account")).content.decode()
    assert reverse("firms:account_rate", args=[joint_visit.pk]) not in page  # not yet checked
    assert flashed(rate(firm_client, joint_visit)) == ["检查完成后才能评价。"]
    visit_complete(actor=inspector_market, visit=joint_visit)
    page = firm_client.get(reverse("firms:account")).content.decode()
    assert reverse("firms:account_rate", args=[joint_visit.pk]) in page
    assert flashed(rate(firm_client, joint_visit, stars="5")) == ["感谢评价，您的评价已提交。"]
    rating = VisitRating.objects.get(visit=joint_visit)
    assert (rating.stars, rating.text) == (5, "检查规范")
    event = AuditEvent.objects.get(event_type=AuditEventType.VISIT_RATED)
    assert event.actor_id == account.user.pk and "5" not in str(event.extra)
    # once per visit, whichever way: the form is gone and a second post is refused
    page = firm_client.get(reverse("firms:account")).content.decode()
    assert reverse("firms:account_rate", args=[joint_visit.pk]) not in page
    assert flashed(rate(firm_client, joint_visit, stars="1")) == [
        "本次检查已经评价过，每次检查只能评价一次。"
    ]
    assert VisitRating.objects.get(visit=joint_visit).stars == 5


def test_the_signed_in_firm_asks_for_a_recusal_before_the_check(
    joint_visit, inspector_market, account, firm_client
):
    member = team_member(joint_visit, "SCJGJ")
    page = firm_client.get(reverse("firms:account")).content.decode()
    assert reverse("firms:account_recusal", args=[joint_visit.pk]) in page
    assert member.inspector.name in page
    response = ask_recusal(firm_client, joint_visit, member)
    assert flashed(response) == ["回避申请已提交，检查部门将作出决定并告知检查组。"]
    request = RecusalRequest.objects.get()
    assert request.member == member
    event = AuditEvent.objects.get(event_type=AuditEventType.FIRM_RECUSAL_REQUESTED)
    assert event.actor_id == account.user.pk and event.extra["visit"] == joint_visit.visit_id
    # same rules: a reason, and before the team arrives
    assert flashed(ask_recusal(firm_client, joint_visit, member, reason=" ")) == [
        "申请回避须说明理由。"
    ]
    visit_arrive(actor=inspector_market, visit=joint_visit)
    assert flashed(ask_recusal(firm_client, joint_visit, member)) == [
        "检查开始后不能再申请回避，请向检查组当场提出。"
    ]
    assert RecusalRequest.objects.count() == 1


def test_the_account_cannot_rate_or_ask_about_another_firms_visit(
    joint_visit, drawn_batch, account, firm_client
):
    other = Visit.objects.filter(batch=drawn_batch).exclude(entity=joint_visit.entity).first()
    assert rate(firm_client, other).status_code == 404
    member = other.team.serving().first()
    assert ask_recusal(firm_client, other, member).status_code == 404
    with pytest.raises(PermissionDenied):
        firm_account_visit_rate(
            account=account, visit=other, stars=5, text="", objects_to_result=False
        )
    with pytest.raises(PermissionDenied):
        firm_account_recusal_request(account=account, visit=other, member_pk=member.pk, reason="x")
    assert not VisitRating.objects.exists() and not RecusalRequest.objects.exists()


def test_staff_cannot_rate_through_the_firm_account_pages(joint_visit, liaison_zhao, client_for):
    client = client_for(liaison_zhao)
    assert rate(client, joint_visit).status_code == 403
    assert not VisitRating.objects.exists()
