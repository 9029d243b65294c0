"""The first print of a visit's notice issues the firm's PIN: a button (a POST, CSRF-checked) of
the organising department, audited with who pressed it. Opening a link (a GET: a prefetch, a
link preview, a download that broke off) never issues one."""

import io
import re
import zipfile

import docx
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.draws.archives import notice_archive_build
from spotcheck.draws.models import BatchStatus, NoticeArchive
from spotcheck.firms.models import VisitPin
from spotcheck.firms.pins import pin_matches
from tests.draw_fixtures import flashed
from tests.firms.printed import pdf_text

ALREADY_SENT = "PIN已随首次送达的通知书发放；如遗失，请联系组织抽查的部门补发"
NOT_YET_PRINTED = (
    "该通知书尚未首次打印：请点击「打印通知书并生成PIN码」，PIN码只印在首次打印的通知书上。"
)
ALREADY_ISSUED = "PIN码已随首次打印的通知书发放，不能再次生成；企业遗失通知书的，请补发PIN码。"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


def issued_events():
    return AuditEvent.objects.filter(event_type=AuditEventType.VISIT_PIN_ISSUED)


def letter_url(visit, fmt="pdf"):
    return reverse("draws:visit_notice", args=[visit.pk, fmt])


def first_print_url(visit, fmt="pdf"):
    return reverse("draws:visit_notice_first_print", args=[visit.pk, fmt])


def test_opening_the_letters_link_issues_no_pin(joint_visit, liaison_zhao, client_for):
    # given a notice the organising liaison has not printed yet
    client = client_for(liaison_zhao)
    # when the link is opened (a prefetch, a link preview, a download that broke off)
    for fmt in ("pdf", "docx"):
        response = client.get(letter_url(joint_visit, fmt), follow=True)
        # then no PIN is used up: the liaison is sent to the button that prints the first letter
        assert response.redirect_chain[-1][0] == reverse(
            "draws:visit_detail", args=[joint_visit.pk]
        )
        assert flashed(response) == [NOT_YET_PRINTED]
    assert not VisitPin.objects.filter(visit=joint_visit).exists()
    assert not issued_events().exists()


def test_the_first_print_button_issues_the_pin_audited_with_the_liaison(
    joint_visit, liaison_zhao, client_for
):
    client = client_for(liaison_zhao)
    detail = reverse("draws:visit_detail", args=[joint_visit.pk])
    # given the visit's page offers the first print as a form, not a link
    page = client.get(detail).content.decode()
    assert f'action="{first_print_url(joint_visit)}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'href="{letter_url(joint_visit)}"' not in page
    # when the liaison presses it
    response = client.post(first_print_url(joint_visit))
    # then the letter carries the new PIN, and the event names the liaison
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    [pin] = re.findall(r"PIN码：([0-9]{6})", pdf_text(response.content))
    assert pin_matches(VisitPin.objects.get(visit=joint_visit).pin_hash, pin)
    event = issued_events().get()
    assert event.actor_id == liaison_zhao.pk and event.target_id == str(joint_visit.pk)
    assert event.extra == {"via": "letter"} and pin not in str(event.extra)
    # and from then on the page links to later prints, which say the PIN went with the first
    page = client.get(detail).content.decode()
    assert f'href="{letter_url(joint_visit)}"' in page and 'id="pin-issued"' in page
    again = pdf_text(client.get(letter_url(joint_visit)).content)
    assert "PIN码：" not in again and ALREADY_SENT in again
    assert pin_matches(VisitPin.objects.get(visit=joint_visit).pin_hash, pin)


def test_a_second_press_keeps_the_first_letters_pin(joint_visit, liaison_zhao, client_for):
    client = client_for(liaison_zhao)
    client.post(first_print_url(joint_visit, "docx"))
    stored = VisitPin.objects.get(visit=joint_visit).pin_hash
    response = client.post(first_print_url(joint_visit), follow=True)
    assert flashed(response) == [ALREADY_ISSUED]
    assert VisitPin.objects.get(visit=joint_visit).pin_hash == stored
    assert issued_events().count() == 1


def test_the_first_print_needs_the_pages_csrf_token(joint_visit, liaison_zhao):
    # a page elsewhere cannot make the liaison's browser use the PIN up
    client = Client(enforce_csrf_checks=True)
    client.force_login(liaison_zhao)
    assert client.post(first_print_url(joint_visit)).status_code == 403
    assert not VisitPin.objects.filter(visit=joint_visit).exists()


def test_only_the_organising_department_prints_the_first_letter(
    joint_visit, liaison_sun, inspector_market, office_admin_wang, client_for
):
    for user in (liaison_sun, inspector_market):
        client = client_for(user)
        page = client.get(reverse("draws:visit_detail", args=[joint_visit.pk])).content.decode()
        assert first_print_url(joint_visit) not in page
        assert client.post(first_print_url(joint_visit)).status_code == 403
        # their copy is a copy: no PIN, and no redirect to a button they may not press
        copy = client.get(letter_url(joint_visit))
        assert copy.status_code == 200 and "PIN码：" not in pdf_text(copy.content)
    assert not issued_events().exists()
    # the office sends letters too
    client_for(office_admin_wang).post(first_print_url(joint_visit))
    assert issued_events().get().actor_id == office_admin_wang.pk


def test_a_cancelled_visit_gets_no_first_letter_with_a_pin(joint_visit, liaison_zhao, client_for):
    joint_visit.batch.status = BatchStatus.SUPERSEDED
    joint_visit.batch.save(update_fields=["status"])
    client = client_for(liaison_zhao)
    response = client.post(first_print_url(joint_visit), follow=True)
    assert flashed(response) == ["该检查已取消或已合并，不再生成PIN码。"]
    assert not VisitPin.objects.filter(visit=joint_visit).exists()
    # the page offers the plain letter, which opens without sending the liaison back
    assert client.get(letter_url(joint_visit)).status_code == 200


def test_an_archive_records_who_issued_its_pins(drawn_batch, liaison_zhao):
    # given the liaison asked for the batch's letters (a POST: draws:batch_notices)
    archive = NoticeArchive.objects.create(batch=drawn_batch, fmt="docx", requested_by=liaison_zhao)
    built = notice_archive_build(archive.pk)
    with zipfile.ZipFile(built.path) as archive_zip:
        letters = [archive_zip.read(name) for name in archive_zip.namelist()]
    printed = [
        re.search(
            r"PIN码：([0-9]{6})", "\n".join(p.text for p in docx.Document(io.BytesIO(c)).paragraphs)
        )
        for c in letters
    ]
    assert letters and all(printed)
    # then every PIN issued names the liaison who asked for the archive
    events = issued_events()
    assert events.count() == len(letters)
    assert set(events.values_list("actor_id", flat=True)) == {liaison_zhao.pk}
    assert {e.extra["via"] for e in events} == {"archive"}


def test_a_first_letter_that_fails_to_render_issues_no_pin(joint_visit, liaison_zhao, monkeypatch):
    from spotcheck.firms.services import visit_pin_issue_letter

    def broken_renderer(html):
        raise OSError("字体缺失")

    monkeypatch.setattr("spotcheck.draws.notices.pdf.render_pdf", broken_renderer)
    with pytest.raises(OSError):
        visit_pin_issue_letter(actor=liaison_zhao, visit=joint_visit, fmt="pdf")
    assert not VisitPin.objects.filter(visit=joint_visit).exists()
    assert not issued_events().exists()
