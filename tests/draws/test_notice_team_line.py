"""The notice describes the team as drawn: a joint team with one inspector per department is
never promised as two per department."""

from spotcheck.draws.models import Visit
from spotcheck.draws.notices import notice_context


def test_the_notice_names_the_team_size_it_lists(drawn_batch):
    for visit in Visit.objects.filter(batch=drawn_batch):
        context = notice_context(visit)
        listed = sum(len(row["inspectors"]) for row in context["team"])
        assert f"检查组由上表所列 {listed} 名执法检查人员组成" in context["rights"][0]
        assert not any("不少于两名" in line for line in context["rights"])
