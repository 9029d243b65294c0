"""A firm's account: opened with a code and PIN of its notice, bound to its entity, its own page
without a code, nothing of another firm and no internal page."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from spotcheck.accounts.models import Role, User
from spotcheck.accounts.tokens import api_token_create
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.draws.publication import format_access_code
from spotcheck.firms.models import CreditRepairRequest, FirmAccount
from tests.draw_fixtures import flashed
from tests.firms.printed import printed_pin
from tests.publication.helpers import record_for

PASSWORD = "Qiye-mima-2026"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


def market_task(visit):
    return next(t for t in visit.tasks.all() if t.department.code == "SCJGJ")


def register(client, visit, *, pin=None, username="qiye_demo", code=None):
    return client.post(
        reverse("firms:account_register"),
        {
            "code": code or format_access_code(visit.access_code),
            "pin": pin or printed_pin(visit),
            "username": username,
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
        follow=True,
    )


@pytest.fixture
def negative_record(joint_visit, liaison_zhao):
    return record_for(
        joint_visit,
        market_task(joint_visit),
        liaison_zhao,
        published_on="2026-06-01",
        codes=("corrected",),
    )


def test_a_firm_opens_its_account_with_code_and_pin_and_later_signs_in(
    joint_visit, negative_record
):
    client = Client()
    response = register(client, joint_visit)
    assert response.redirect_chain[-1][0] == reverse("firms:account")
    page = response.content.decode()
    assert joint_visit.entity.name in page and joint_visit.entity.uscc in page
    assert joint_visit.visit_id in page and "发现问题已责令改正" in page
    account = FirmAccount.objects.get()
    assert (account.entity, account.bound_by_visit) == (joint_visit.entity, joint_visit)
    assert account.user.role == Role.FIRM and account.user.department is None
    event = AuditEvent.objects.get(event_type=AuditEventType.FIRM_ACCOUNT_BOUND)
    assert event.actor_id == account.user.pk and event.extra["entity"] == joint_visit.entity.key
    # later: the password alone, no code, lands on the firm's page
    again = Client()
    signed_in = again.post(
        reverse("accounts:login"), {"username": "qiye_demo", "password": PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == reverse("firms:account")
    assert joint_visit.visit_id in signed_in.content.decode()


def test_a_wrong_pin_opens_no_account_and_counts_towards_the_lock(joint_visit):
    wrong = "000000" if printed_pin(joint_visit) != "000000" else "111111"
    response = register(Client(), joint_visit, pin=wrong)
    assert response.status_code == 400
    assert "PIN码不正确" in response.content.decode()
    assert not User.objects.filter(username="qiye_demo").exists()
    for _ in range(4):
        register(Client(), joint_visit, pin=wrong)
    locked = register(Client(), joint_visit)  # now even the right PIN waits an hour
    assert "PIN码错误次数过多" in locked.content.decode()
    assert not FirmAccount.objects.exists()


def test_an_unknown_code_or_a_taken_name_is_refused_in_chinese(joint_visit, liaison_zhao):
    unknown = register(Client(), joint_visit, code="ABCD-EFGH-JKMN-PQRS")
    assert "检查码无效" in unknown.content.decode()
    taken = register(Client(), joint_visit, username=liaison_zhao.username)
    assert "该用户名不可用" in taken.content.decode()
    assert not FirmAccount.objects.exists()


def test_the_account_asks_for_credit_repair_without_a_pin(joint_visit, negative_record):
    client = Client()
    register(client, joint_visit)
    response = client.post(
        reverse("firms:account_credit_repair"),
        {"record": negative_record.pk, "correction": "已整改并提交报告"},
        follow=True,
    )
    assert flashed(response) == ["信用修复申请已提交，由作出公示的部门决定。"]
    repair = CreditRepairRequest.objects.get()
    assert repair.record == negative_record
    assert "待决定" in client.get(reverse("firms:account")).content.decode()


def test_the_account_sees_nothing_of_another_firm(joint_visit, negative_record, drawn_batch):
    from spotcheck.draws.models import Visit

    other_visit = Visit.objects.filter(batch=drawn_batch).exclude(pk=joint_visit.pk).first()
    client = Client()
    register(client, other_visit, username="other_firm")
    page = client.get(reverse("firms:account")).content.decode()
    assert other_visit.entity.name in page
    assert joint_visit.entity.name not in page and joint_visit.visit_id not in page
    assert negative_record.record_id not in page
    # another firm's record cannot be asked about through the account
    refused = client.post(
        reverse("firms:account_credit_repair"),
        {"record": negative_record.pk, "correction": "冒名申请"},
        follow=True,
    )
    assert flashed(refused) == ["只能对本企业已公示的、发现问题的检查结果申请信用修复。"]
    assert not CreditRepairRequest.objects.exists()


def test_a_firm_account_opens_no_internal_page_and_no_api(joint_visit, client_for):
    client = Client()
    register(client, joint_visit)
    user = User.objects.get(username="qiye_demo")
    for path in (
        "/directory/entities/",
        "/checks/",
        "/draws/",
        "/check/ratings/",
        "/accounts/tokens/",
    ):
        assert client.get(path).status_code == 403, path
    assert client.get("/").status_code == 302  # home sends a firm to its page
    assert client.get("/api/entities").status_code == 403  # not through its session…
    token = api_token_create(user=user, label="试")
    with_token = Client(headers={"Authorization": f"Bearer {token}"})
    assert with_token.get("/api/entities").status_code == 401  # …nor with a token
    assert client.get("/api/public/results").status_code == 200
    # staff have no firm page
    assert (
        client_for(joint_visit.team.first().inspector.user)
        .get(reverse("firms:account"))
        .status_code
        == 403
    )


def test_a_reissued_pin_ends_the_accounts_opened_with_the_lost_one(joint_visit, liaison_zhao):
    from spotcheck.firms.services import visit_pin_reissue

    # Given an account opened with the PIN of a letter the firm then reports lost,
    register(Client(), joint_visit, username="finder")
    finder = User.objects.get(username="finder")
    assert finder.is_active
    # when the liaison reissues the PIN,
    visit_pin_reissue(actor=liaison_zhao, visit=joint_visit)
    # whoever found the letter can no longer sign in, and the trail says whose account ended
    finder.refresh_from_db()
    assert not finder.is_active
    signed_in = Client().post(
        reverse("accounts:login"), {"username": "finder", "password": PASSWORD}, follow=True
    )
    assert not signed_in.context["user"].is_authenticated
    event = AuditEvent.objects.get(event_type=AuditEventType.VISIT_PIN_REISSUED)
    assert event.extra["firm_accounts_ended"] == ["finder"]
