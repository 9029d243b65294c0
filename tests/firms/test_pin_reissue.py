"""The PIN is issued once, on the visit's first printed notice; later prints (an inspector's copy,
a rebuilt archive) keep it and say where to ask for it; the organising department reissues it."""

import io
import re
import zipfile

import docx
import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.draws.archives import notice_archive_build
from spotcheck.draws.models import BatchStatus, NoticeArchive, Visit
from spotcheck.draws.notices import docx as docx_letters
from spotcheck.draws.notices import notice_docx, notice_pdf, notices_zip
from spotcheck.firms.models import VisitPin
from spotcheck.firms.pins import pin_matches
from spotcheck.firms.services import (
    visit_pin_issue,
    visit_pin_reissue,
    visit_pin_reissue_letter,
    visit_pins_withdraw,
)
from tests.draw_fixtures import flashed
from tests.firms.printed import pdf_text, printed_pin, remember

ALREADY_SENT = "PIN已随首次送达的通知书发放；如遗失，请联系组织抽查的部门补发"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


def printed_pins(text: str) -> list[str]:
    return re.findall(r"PIN码：([0-9]{6})", text)


def stored(visit) -> str:
    return VisitPin.objects.get(visit=visit).pin_hash


def test_only_the_first_print_issues_a_pin(joint_visit, liaison_zhao):
    first = visit_pin_issue(actor=liaison_zhao, visit=joint_visit)
    hashed = stored(joint_visit)
    assert re.fullmatch(r"[0-9]{6}", first)
    assert [visit_pin_issue(actor=liaison_zhao, visit=joint_visit) for _ in range(3)] == [""] * 3
    assert stored(joint_visit) == hashed and pin_matches(hashed, first)
    event = AuditEvent.objects.get(event_type=AuditEventType.VISIT_PIN_ISSUED)
    assert event.actor_id == liaison_zhao.pk


def test_a_reprinted_letter_keeps_the_firms_pin_and_says_where_to_ask(
    joint_visit, liaison_zhao, inspector_market, client_for
):
    url = reverse("draws:visit_notice", args=[joint_visit.pk, "pdf"])
    first_print = reverse("draws:visit_notice_first_print", args=[joint_visit.pk, "pdf"])
    first = pdf_text(client_for(liaison_zhao).post(first_print).content)
    [pin] = printed_pins(first)
    assert ALREADY_SENT not in first
    # the inspector's copy and the liaison's second print carry no PIN and void nothing
    for user in (inspector_market, liaison_zhao):
        again = pdf_text(client_for(user).get(url).content)
        assert printed_pins(again) == [] and ALREADY_SENT in again
    word = "\n".join(p.text for p in docx.Document(io.BytesIO(notice_docx(joint_visit))).paragraphs)
    assert "PIN码：" not in word and ALREADY_SENT in word
    assert pin_matches(stored(joint_visit), pin)


def test_a_rebuilt_archive_keeps_every_pin_and_is_byte_for_byte_the_same(drawn_batch, liaison_zhao):
    visits = list(Visit.objects.filter(batch=drawn_batch).order_by("visit_id")[:2])
    first = notices_zip(visits, "docx", issued_by=liaison_zhao)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        texts = [
            "\n".join(p.text for p in docx.Document(io.BytesIO(archive.read(n))).paragraphs)
            for n in archive.namelist()
        ]
    pins = [re.search(r"PIN码：([0-9]{6})", text).group(1) for text in texts]
    hashes = [stored(v) for v in visits]
    ids = [v.pk for v in visits]
    rebuilt = notices_zip(Visit.objects.filter(pk__in=ids), "docx", issued_by=liaison_zhao)
    assert rebuilt == notices_zip(visits, "docx") != first  # reprints: deterministic, no PIN
    assert [stored(v) for v in visits] == hashes
    assert all(pin_matches(h, pin) for h, pin in zip(hashes, pins, strict=True))


def test_the_organising_liaison_reissues_and_only_the_new_pin_works(joint_visit, liaison_zhao):
    old = printed_pin(joint_visit)
    new = visit_pin_reissue(actor=liaison_zhao, visit=joint_visit)
    assert pin_matches(stored(joint_visit), new)
    assert new == old or not pin_matches(stored(joint_visit), old)
    event = AuditEvent.objects.get(event_type=AuditEventType.VISIT_PIN_REISSUED)
    assert event.actor_id == liaison_zhao.pk and event.target_id == str(joint_visit.pk)
    assert old not in str(event.extra) and new not in str(event.extra)


def test_the_office_may_reissue_but_no_one_else(
    joint_visit, office_admin_wang, liaison_sun, reviewer_li, inspector_market
):
    printed_pin(joint_visit)
    hashed = stored(joint_visit)
    for user in (liaison_sun, reviewer_li, inspector_market):
        with pytest.raises(PermissionDenied):
            visit_pin_reissue(actor=user, visit=joint_visit)
    assert stored(joint_visit) == hashed
    assert not AuditEvent.objects.filter(event_type=AuditEventType.VISIT_PIN_REISSUED).exists()
    visit_pin_reissue(actor=office_admin_wang, visit=joint_visit)
    assert stored(joint_visit) != hashed


def test_no_reissue_for_a_cancelled_visit(joint_visit, liaison_zhao):
    printed_pin(joint_visit)
    hashed = stored(joint_visit)
    joint_visit.batch.status = BatchStatus.SUPERSEDED
    joint_visit.batch.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="无需补发"):
        visit_pin_reissue(actor=liaison_zhao, visit=joint_visit)
    assert stored(joint_visit) == hashed


def test_the_liaison_confirms_and_downloads_a_letter_with_the_new_pin(
    joint_visit, liaison_zhao, client_for
):
    old = printed_pin(joint_visit)
    client = client_for(liaison_zhao)
    detail = client.get(reverse("draws:visit_detail", args=[joint_visit.pk])).content.decode()
    url = reverse("firms:pin_reissue", args=[joint_visit.pk])
    assert url in detail
    confirm = client.get(url).content.decode()
    assert "原PIN码立即作废" in confirm
    assert VisitPin.objects.get(visit=joint_visit).pin_hash == stored(joint_visit)
    response = client.post(url)
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    [new] = printed_pins(pdf_text(response.content))
    assert pin_matches(stored(joint_visit), new)
    assert new == old or not pin_matches(stored(joint_visit), old)
    remember(joint_visit, new)
    assert AuditEvent.objects.filter(event_type=AuditEventType.VISIT_PIN_REISSUED).count() == 1


def test_a_partner_department_sees_no_reissue_and_is_refused(
    joint_visit, liaison_sun, inspector_market, client_for
):
    printed_pin(joint_visit)
    hashed = stored(joint_visit)
    url = reverse("firms:pin_reissue", args=[joint_visit.pk])
    for user in (liaison_sun, inspector_market):
        client = client_for(user)
        detail = client.get(reverse("draws:visit_detail", args=[joint_visit.pk]))
        assert url not in detail.content.decode()
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert stored(joint_visit) == hashed


def test_a_reissue_for_a_cancelled_visit_is_refused_with_a_message(
    joint_visit, liaison_zhao, client_for
):
    printed_pin(joint_visit)
    joint_visit.batch.status = BatchStatus.SUPERSEDED
    joint_visit.batch.save(update_fields=["status"])
    url = reverse("firms:pin_reissue", args=[joint_visit.pk])
    response = client_for(liaison_zhao).post(url, follow=True)
    assert flashed(response) == ["该检查已取消或已合并，无需补发PIN码。"]


def test_the_first_print_is_the_one_with_the_pin_whatever_the_format(joint_visit, liaison_zhao):
    text = pdf_text(notice_pdf(joint_visit, issued_by=liaison_zhao))
    [pin] = printed_pins(text)
    assert pin_matches(stored(joint_visit), pin)


def test_a_failed_archive_withdraws_the_pins_it_printed(drawn_batch, liaison_zhao, monkeypatch):
    """Letters of an archive that failed reach no firm: the rebuilt archive prints their PINs."""
    real = docx_letters.render_docx
    rendered = []

    def full_disk_at_the_second_letter(context, template=None):
        rendered.append(context["visit_id"])
        if len(rendered) == 2:
            raise OSError("磁盘空间不足")
        return real(context, template)

    monkeypatch.setattr(docx_letters, "render_docx", full_disk_at_the_second_letter)
    archive = NoticeArchive.objects.create(batch=drawn_batch, fmt="docx", requested_by=liaison_zhao)
    with pytest.raises(OSError):
        notice_archive_build(archive.pk)
    assert not VisitPin.objects.filter(visit__batch=drawn_batch).exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.VISIT_PIN_WITHDRAWN).count() == 2
    monkeypatch.undo()
    again = NoticeArchive.objects.create(batch=drawn_batch, fmt="docx", requested_by=liaison_zhao)
    built = notice_archive_build(again.pk)
    with zipfile.ZipFile(built.path) as archive_zip:
        first = archive_zip.read(archive_zip.namelist()[0])
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(first)).paragraphs)
    [pin] = re.findall(r"PIN码：([0-9]{6})", text)
    visit = Visit.objects.get(batch=drawn_batch, visit_id=rendered[0])
    assert pin_matches(stored(visit), pin)


def test_a_pin_reissued_meanwhile_is_not_withdrawn(joint_visit, liaison_zhao):
    printed = visit_pin_issue(actor=liaison_zhao, visit=joint_visit)
    new = visit_pin_reissue(actor=liaison_zhao, visit=joint_visit)
    assert visit_pins_withdraw(printed=[(joint_visit, printed)]) == (1 if new == printed else 0)
    if new != printed:
        assert pin_matches(stored(joint_visit), new)


def test_a_reissue_whose_letter_fails_leaves_the_old_pin_in_force(
    joint_visit, liaison_zhao, monkeypatch
):
    old = printed_pin(joint_visit)

    def broken_renderer(html):
        raise OSError("字体缺失")

    monkeypatch.setattr("spotcheck.draws.notices.pdf.render_pdf", broken_renderer)
    with pytest.raises(OSError):
        visit_pin_reissue_letter(actor=liaison_zhao, visit=joint_visit)
    assert pin_matches(stored(joint_visit), old)
    assert not AuditEvent.objects.filter(event_type=AuditEventType.VISIT_PIN_REISSUED).exists()


def test_copies_for_the_team_and_partners_never_carry_the_pin(
    joint_visit, inspector_market, liaison_sun, liaison_zhao, client_for
):
    """Only the organising department sends the PIN: an inspector holding it could rate the
    team's own visit."""
    url = reverse("draws:visit_notice", args=[joint_visit.pk, "pdf"])
    for user in (inspector_market, liaison_sun):
        copy = pdf_text(client_for(user).get(url).content)
        assert printed_pins(copy) == [] and ALREADY_SENT in copy
    assert not VisitPin.objects.filter(visit=joint_visit).exists()
    first_print = reverse("draws:visit_notice_first_print", args=[joint_visit.pk, "pdf"])
    for user in (inspector_market, liaison_sun):
        assert client_for(user).post(first_print).status_code == 403
    assert not VisitPin.objects.filter(visit=joint_visit).exists()
    [pin] = printed_pins(pdf_text(client_for(liaison_zhao).post(first_print).content))
    assert pin_matches(stored(joint_visit), pin)


def test_a_partners_archive_carries_no_pin(drawn_batch, liaison_sun):
    archive = NoticeArchive.objects.create(batch=drawn_batch, fmt="docx", requested_by=liaison_sun)
    built = notice_archive_build(archive.pk)
    with zipfile.ZipFile(built.path) as archive_zip:
        names = archive_zip.namelist()
        first = archive_zip.read(names[0])
    assert names
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(first)).paragraphs)
    assert "PIN码：" not in text and ALREADY_SENT in text
    assert not VisitPin.objects.filter(visit__batch=drawn_batch).exists()
