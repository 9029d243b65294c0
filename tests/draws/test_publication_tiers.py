"""A draw published in tiers (draw-spec §7 v1.1): the public sees no credit class and no
conflict yet can recompute the seed and every ticket; an entity opens its own lines with its
notice's code; oversight downloads the full kit, every download audited."""

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from consistent_sampler import first_fraction
from hypothesis import given
from hypothesis import strategies as st

from spotcheck.accounts.models import Role
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.directory.models import InspectorConflict, MarketEntity
from spotcheck.draws.models import ACCESS_CODE_ALPHABET, BatchStatus, Visit
from spotcheck.draws.notices import notice_docx, notice_pdf
from spotcheck.draws.notices.context import notice_context
from spotcheck.draws.publication import format_access_code, normalize_access_code
from spotcheck.firms.models import VisitPin
from spotcheck.firms.pins import pin_matches
from spotcheck_draw.commitments import verify_inclusion
from tests.draw_fixtures import commit_joint_check, draw
from tests.factories import UserFactory
from tests.firms.printed import sender

CLASS_STRATUM = re.compile(r"\t[A-D](\t|\n|$)|\"stratum\"")
VENV_BIN = str(Path(sys.executable).parent)


@pytest.fixture
def conflicted_inspector(approved_joint_check, market_dept):
    """An inspector who declared a conflict with an entity of the population."""
    inspector = market_dept.inspectors.order_by("pk").first()
    entity = MarketEntity.objects.order_by("pk").first()
    InspectorConflict.objects.create(inspector=inspector, entity=entity, reason="亲属经营")
    return inspector


@pytest.fixture
def published(
    approved_joint_check,
    conflicted_inspector,
    liaison_zhao,
    draws_root,
    django_capture_on_commit_callbacks,
):
    batch = commit_joint_check(approved_joint_check, liaison_zhao)
    batch = draw(batch, liaison_zhao, django_capture_on_commit_callbacks)
    assert batch.status == BatchStatus.DRAWN, batch.failure
    return batch


@pytest.fixture
def oversight_chen(market_dept):
    return UserFactory(username="oversight_chen", role=Role.OVERSIGHT, department=None)


def _zip_texts(content: bytes) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def _anonymous_bodies(client, batch) -> dict[str, str]:
    """Every public answer about the batch: pages, each page of the selection, kit, proofs."""
    base = f"/public/draws/{batch.number}/"
    bodies = {url: client.get(url).content.decode() for url in ("/public/draws/", base)}
    pages = (batch.record["selections"] + 19) // 20
    for number in range(2, pages + 1):
        bodies[f"{base}?page={number}"] = client.get(base, {"page": number}).content.decode()
    for name, text in _zip_texts(client.get(f"{base}kit.zip").content).items():
        bodies[name] = text
    entity = MarketEntity.objects.order_by("pk").first()
    for query in ({"uscc": entity.key}, {"code": "X"}, {"code": "2" * 16}, {}):
        bodies[f"proof {query}"] = client.get(f"{base}proof/", query).content.decode()
    public_api = f"/api/public/draws/{batch.number}"
    for url in (
        f"/api/batches/{batch.pk}",
        f"/api/batches/{batch.pk}/visits",
        "/api/public/draws",
        public_api,
        f"{public_api}/selection?page_size=200",
    ):
        bodies[url] = client.get(url).content.decode()
    return bodies


def test_no_anonymous_answer_holds_a_credit_class_or_a_conflict(
    client, published, conflicted_inspector
):
    # given a drawn batch whose design holds a declared conflict and whose strata are classes
    # when anyone, signed out, asks for every public page, file and proof of the batch
    bodies = _anonymous_bodies(client, published)
    # then no answer carries a stratum letter, a conflict or the inspector section
    for where, body in bodies.items():
        assert not CLASS_STRATUM.search(body), where
        assert "conflicts" not in body and "亲属经营" not in body, where
        assert f'"I{conflicted_inspector.pk}"' not in body, where
    kit = _zip_texts(client.get(f"/public/draws/{published.number}/kit.zip").content)
    assert sorted(Path(n).name for n in kit) == [
        "README.txt",
        "record.json",
        "selection.tsv",
        "verify_public.py",
    ]
    record = json.loads(kit[f"{published.number}/record.json"])
    labels = {s["label"] for t in record["tasks"] for s in t["strata"]}
    assert labels == {"层1", "层2", "层3", "层4"}


def test_the_public_counts_match_the_draw_under_neutral_labels(client, published):
    record = client.get(f"/public/draws/{published.number}/kit.zip")
    record = json.loads(_zip_texts(record.content)[f"{published.number}/record.json"])
    for task in record["tasks"]:
        internal = [c for c in published.record["counts"] if c["task"] == task["task"]]
        assert task["population"] == sum(c["population"] for c in internal)
        assert task["sample"] == sum(c["sample"] for c in internal)
        # the largest stratum first: the label follows size, not the class letter
        sizes = [s["population"] for s in task["strata"]]
        assert sizes == sorted(sizes, reverse=True)
        assert sorted(sizes) == sorted(c["population"] for c in internal)


def test_the_public_record_recomputes_the_seed_and_every_ticket(client, published):
    # given only the public kit
    files = _zip_texts(client.get(f"/public/draws/{published.number}/kit.zip").content)
    record = json.loads(files[f"{published.number}/record.json"])
    # when anyone rebuilds the seed from its published parts
    seed = f"{record['population_root']}:{record['design_hash']}:{record['randomness']['value']}"
    # then it is the published seed, and consistent-sampler gives every published ticket
    assert seed == record["seed"] == published.seed
    assert record["randomness"]["witnesses"] == "张三、李四"
    rows = [line.split("\t") for line in files[f"{published.number}/selection.tsv"].splitlines()]
    assert len(rows) == published.record["selections"]
    tasks = {t.number for t in published.tasks.all()}
    for task, uscc, ticket, name in rows:
        assert task in tasks
        assert first_fraction(uscc, seed).startswith(ticket)
        assert name == MarketEntity.objects.get(key=uscc).name


def _run_as_written(commands: list[str], folder: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        " && ".join(commands),
        shell=True,
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _page_commands(html: str) -> list[str]:
    block = re.search(r'<pre id="verify-commands">(.*?)</pre>', html, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_the_verification_commands_on_the_page_work_as_written(client, published, tmp_path):
    # given the kit downloaded under the name the page gives it
    page = client.get(f"/public/draws/{published.number}/").content.decode()
    commands = _page_commands(page)
    assert commands[0] == "pip install consistent-sampler"
    kit = client.get(f"/public/draws/{published.number}/kit.zip").content
    (tmp_path / f"{published.number}-kit.zip").write_bytes(kit)
    # when the commands are pasted into a shell in that folder
    out = _run_as_written(commands, tmp_path)
    # then the last line says MATCH
    assert out.stdout.strip().splitlines()[-1] == "MATCH", out.stdout + out.stderr


def test_the_public_check_catches_a_changed_ticket(client, published, tmp_path):
    content = client.get(f"/public/draws/{published.number}/kit.zip").content
    zipfile.ZipFile(io.BytesIO(content)).extractall(tmp_path)
    kit = tmp_path / published.number
    selection = kit / "selection.tsv"
    lines = selection.read_text(encoding="utf-8").splitlines()
    task, uscc, ticket, name = lines[0].split("\t")
    lines[0] = "\t".join([task, uscc, "0.5" + ticket[3:], name])
    selection.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(kit / "verify_public.py"), str(kit)], capture_output=True, text=True
    )
    assert out.returncode == 1 and uscc in out.stdout


def test_the_entity_opens_its_own_lines_and_proofs_with_its_code(client, published):
    visit = Visit.objects.filter(batch=published).select_related("entity").first()
    code = format_access_code(visit.access_code)
    page = client.get(f"/public/draws/{published.number}/proof/", {"code": code.lower()})
    html = page.content.decode()
    assert page.status_code == 200
    assert visit.entity.name in html and "下载证明原始数据（JSON）" in html
    raw = client.get(
        f"/public/draws/{published.number}/proof/",
        {"code": visit.access_code, "format": "json"},
    )
    assert raw["Content-Disposition"].startswith("attachment")
    proof = raw.json()
    assert proof["included"] and proof["uscc"] == visit.entity.key
    assert {line["line"].split("\t")[2] for line in proof["lines"]} == {
        t.number for t in visit.tasks.all()
    }
    for line in proof["lines"]:
        assert verify_inclusion(
            line["line"], line["index"], proof["size"], line["proof"], proof["population_root"]
        )


def test_a_malformed_or_unknown_code_gets_a_clear_message(client, published):
    url = f"/public/draws/{published.number}/proof/"
    malformed = client.get(url, {"code": "12345"})
    assert malformed.status_code == 400
    assert "查询码格式不正确" in malformed.content.decode()
    assert "included" not in malformed.content.decode()
    unknown = client.get(url, {"code": "2222-3333-4444-5555"})
    assert unknown.status_code == 400
    assert "本批次没有这个查询码" in unknown.content.decode()


def test_each_visit_has_its_own_unguessable_code_printed_on_its_notice(published):
    visits = list(Visit.objects.filter(batch=published))
    codes = {v.access_code for v in visits}
    assert len(codes) == len(visits)
    assert all(re.fullmatch(r"[2-9A-HJ-NP-Z]{16}", c) for c in codes)
    context = notice_context(visits[0])
    assert context["access_code"] == format_access_code(visits[0].access_code)
    assert context["proof_url"].endswith(
        f"/public/draws/{published.number}/proof/?code={context['access_code']}"
    )
    assert context["proof_qr_svg"].startswith("data:image/svg+xml")


def test_oversight_downloads_the_full_kit_and_each_download_is_audited(
    client_for, published, oversight_chen, tmp_path
):
    # when the oversight body downloads the full kit from the batch page
    client = client_for(oversight_chen)
    page = client.get(f"/draws/{published.pk}/").content.decode()
    assert "下载完整核验材料" in page
    response = client.get(f"/draws/{published.pk}/full-kit.zip")
    # then it holds the confidential inputs, and the download is in the trail
    assert response.status_code == 200
    names = {Path(n).name for n in zipfile.ZipFile(io.BytesIO(response.content)).namelist()}
    assert {"design.json", "population.tsv", "verify.py"} <= names
    events = AuditEvent.objects.filter(event_type=AuditEventType.FULL_KIT_DOWNLOADED)
    assert [(e.actor, e.target_id) for e in events] == [(oversight_chen, str(published.pk))]
    # and the commands shown to oversight recompute everything as written
    (tmp_path / f"{published.number}-full-kit.zip").write_bytes(response.content)
    commands = re.search(r"<pre>(pip install.*?)</pre>", page, re.S).group(1).splitlines()
    out = _run_as_written([c for c in commands if c.strip()], tmp_path)
    assert out.stdout.strip().splitlines()[-1] == "MATCH", out.stdout + out.stderr


def test_departments_and_the_public_cannot_download_the_full_kit(
    client, client_for, published, liaison_zhao, liaison_sun, reviewer_li
):
    for user in (liaison_zhao, liaison_sun, reviewer_li):
        assert client_for(user).get(f"/draws/{published.pk}/full-kit.zip").status_code in (
            403,
            404,
        )
    assert client.get(f"/draws/{published.pk}/full-kit.zip").status_code == 302  # to login
    assert not AuditEvent.objects.filter(event_type=AuditEventType.FULL_KIT_DOWNLOADED).exists()


def test_the_office_downloads_the_full_kit_too(client_for, published, office_admin_wang):
    response = client_for(office_admin_wang).get(f"/draws/{published.pk}/full-kit.zip")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(event_type=AuditEventType.FULL_KIT_DOWNLOADED).count() == 1


def test_the_notice_letter_prints_the_code_and_its_qr_code(published):
    visit = Visit.objects.filter(batch=published).first()
    code = format_access_code(visit.access_code)
    document = docx.Document(io.BytesIO(notice_docx(visit, issued_by=sender(visit))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"查询码：{code}" in text
    assert len(document.inline_shapes) == 2  # the proof's QR code and the inspection code's
    docx_pin = re.search(r"PIN码：([0-9]{6})", text).group(1)
    assert pin_matches(VisitPin.objects.get(visit=visit).pin_hash, docx_pin)
    pdf = subprocess.run(
        ["pdftotext", "-", "-"], input=notice_pdf(visit), capture_output=True, check=True
    ).stdout.decode()
    assert code in pdf
    # the reprint carries no PIN: the first letter's still opens the firm's side
    assert "PIN码：" not in pdf and "如遗失" in pdf
    assert pin_matches(VisitPin.objects.get(visit=visit).pin_hash, docx_pin)


@given(st.text(alphabet=ACCESS_CODE_ALPHABET, min_size=16, max_size=16), st.sampled_from(" -"))
def test_a_code_typed_in_any_case_and_grouping_is_understood(code, separator):
    typed = separator.join(code[i : i + 4] for i in range(0, 16, 4)).lower()
    assert normalize_access_code(typed) == code


@given(st.text(max_size=30))
def test_anything_else_is_malformed_never_a_lookup(text):
    code = normalize_access_code(text)
    assert code is None or (len(code) == 16 and set(code) <= set(ACCESS_CODE_ALPHABET))


def test_before_the_draw_the_public_gets_commitments_and_counts_only(
    client, approved_joint_check, conflicted_inspector, liaison_zhao, draws_root
):
    # given a batch committed and waiting for its randomness
    batch = commit_joint_check(approved_joint_check, liaison_zhao)
    base = f"/public/draws/{batch.number}/"
    # when anyone asks for its page and its kit
    page = client.get(base).content.decode()
    kit = _zip_texts(client.get(f"{base}kit.zip").content)
    # then they see the commitments and per-task counts, and no line, stratum or conflict
    assert batch.population_root in page and "层1" in page
    assert sorted(Path(n).name for n in kit) == ["README.txt", "record.json"]
    for where, body in [("page", page), *kit.items()]:
        assert not CLASS_STRATUM.search(body), where
        assert "conflicts" not in body and "亲属经营" not in body, where
    record = json.loads(kit[f"{batch.number}/record.json"])
    assert record["seed"] is None and record["randomness"] is None
    assert sum(t["population"] for t in record["tasks"]) == batch.population_lines


def test_oversight_reads_the_batch_and_its_visits_but_changes_nothing(
    client_for, published, oversight_chen
):
    client = client_for(oversight_chen)
    visit = Visit.objects.filter(batch=published).first()
    assert client.get(f"/draws/{published.pk}/").status_code == 200
    assert client.get(f"/draws/visits/{visit.pk}/").status_code == 200
    member = visit.team.first()
    recuse = client.post(f"/draws/visits/{visit.pk}/recuse/{member.pk}/", {"reason": "试图替换"})
    redraw = client.post(
        f"/draws/{published.pk}/redraw/",
        {"reason": "试图重抽", "randomness_source": "骰子", "randomness_due": "2026-12-30T10:00"},
    )
    assert (recuse.status_code, redraw.status_code) == (403, 403)
    member.refresh_from_db()
    published.refresh_from_db()
    assert member.recused_at is None and published.status == BatchStatus.DRAWN


def test_the_public_api_gives_the_record_and_the_selection_anyone_can_check(client, published):
    # given a drawn batch; when anyone, signed out, reads it through /api/public/
    listed = client.get("/api/public/draws").json()["items"]
    record = client.get(f"/api/public/draws/{published.number}").json()
    selection = client.get(f"/api/public/draws/{published.number}/selection").json()
    # then it is listed with its commitments, and each selected ticket recomputes from the seed
    assert [d["number"] for d in listed] == [published.number]
    assert (
        record["seed"] == published.seed and record["population_root"] == published.population_root
    )
    assert selection["count"] == published.record["selections"] and selection["items"]
    for row in selection["items"]:
        assert row["name"] and first_fraction(row["uscc"], record["seed"]).startswith(
            row["ticket"][:20]
        )
    # and an unknown batch is a 404
    assert client.get("/api/public/draws/110101-2026-B9999").status_code == 404


def selected_usccs(kit) -> set[str]:
    lines = (kit / "selection.tsv").read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[1] for line in lines}


def test_the_public_check_catches_a_firm_selected_over_its_yearly_cap(client, published, tmp_path):
    """The public record carries the caps section; a selected firm the recorded history puts at
    its cap fails the public check (as a platform skipping the cap would)."""
    content = client.get(f"/public/draws/{published.number}/kit.zip").content
    zipfile.ZipFile(io.BytesIO(content)).extractall(tmp_path)
    kit = tmp_path / published.number

    def check():
        return subprocess.run(
            [sys.executable, str(kit / "verify_public.py"), str(kit)],
            capture_output=True,
            text=True,
        )

    assert check().stdout.strip() == "MATCH"
    record = json.loads((kit / "record.json").read_text(encoding="utf-8"))
    caps = record["caps"]
    task, uscc = (kit / "selection.tsv").read_text(encoding="utf-8").split("\t")[:2]
    department = caps["task_departments"][task]
    # only selected firms' earlier checks are public, without dates
    assert all(v["uscc"] in selected_usccs(kit) and "date" not in v for v in caps["history"])
    caps["history"] += [{"uscc": uscc, "departments": [department]} for _month in (1, 2)]
    (kit / "record.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    out = check()
    assert out.returncode == 1
    assert f"{uscc} was selected for task {task} but was at its yearly cap" in out.stdout
