"""Property tests for the calendar file reader: every well-formed row comes back as written,
and any row with a bad type is refused with its row number, never half-read."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spotcheck.publication.calendar_files import REST_WORDS, WORK_WORDS, read_calendar_file

YEAR = 2027
days = st.integers(min_value=0, max_value=364).map(lambda n: date(YEAR, 1, 1) + timedelta(days=n))
kinds = st.sampled_from(sorted(REST_WORDS | WORK_WORDS))
notes = st.text(alphabet="元旦春节清明劳动端午中秋国庆调休", max_size=10)


def _csv(rows, encoding="utf-8-sig") -> SimpleUploadedFile:
    text = "日期,类型,说明\n" + "".join(f"{d},{k},{n}\n" for d, k, n in rows)
    return SimpleUploadedFile("calendar.csv", text.encode(encoding))


# The machine is shared: no timing-based failures, only wrong answers fail.
UNTIMED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@UNTIMED
@given(rows=st.lists(st.tuples(days, kinds, notes), min_size=1, max_size=20))
def test_every_well_formed_row_is_read_back(rows):
    for encoding in ("utf-8-sig", "gb18030"):
        read = read_calendar_file(_csv(rows, encoding), YEAR)
        assert [(r.day, r.is_working, r.note) for r in read] == [
            (d, k in WORK_WORDS, n) for d, k, n in rows
        ]


@UNTIMED
@given(
    rows=st.lists(st.tuples(days, kinds, notes), min_size=1, max_size=10),
    bad_at=st.integers(min_value=0, max_value=9),
    bad_kind=st.text(alphabet="假班休工作x?", min_size=1, max_size=4).filter(
        lambda k: k not in REST_WORDS | WORK_WORDS
    ),
)
def test_a_bad_type_is_refused_with_its_row(rows, bad_at, bad_kind):
    at = bad_at % len(rows)
    rows[at] = (rows[at][0], bad_kind, rows[at][2])
    with pytest.raises(ValidationError) as error:
        read_calendar_file(_csv(rows), YEAR)
    assert f"第{at + 2}行B列：类型须为“放假”或“上班”" in error.value.messages
