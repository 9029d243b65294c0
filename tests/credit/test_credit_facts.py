"""The facts the rules read, gathered from hand-built histories: each kind of record counted
for its entity, one query per kind."""

from datetime import date

from django.utils import timezone

from spotcheck.credit.facts import fact_counts
from spotcheck.inspections.followups import follow_up_close, follow_up_set_kind
from spotcheck.inspections.models import FollowUp, Lead, LeadStatus
from tests.factories import UserFactory
from tests.inspections.test_followups import approve


def counts_for(entity) -> dict[str, int]:
    return {
        name: by_entity.get(entity.pk, 0)
        for name, by_entity in fact_counts(timezone.localdate(), 36).items()
    }


def test_unreachable_and_problem_results_count_once_per_visit(
    joint_visit, reviewer_li, health_dept
):
    approve(joint_visit, "SCJGJ", reviewer_li, "unreachable")
    reviewer_zhou = UserFactory(username="reviewer_zhou", role="reviewer", department=health_dept)
    # two problem categories in one result (corrected and follow_up now exclude each other)
    approve(joint_visit, "WJW", reviewer_zhou, "follow_up", "not_published")
    counts = counts_for(joint_visit.entity)
    assert (counts["unreachable_visits"], counts["problem_visits"]) == (1, 1)
    assert counts["open_follow_ups"] == 1


def test_a_follow_up_turned_case_counts_as_a_case_until_closed(
    joint_visit, reviewer_li, liaison_zhao
):
    approve(joint_visit, "SCJGJ", reviewer_li, "follow_up")
    follow_up = FollowUp.objects.get()
    follow_up_set_kind(actor=liaison_zhao, follow_up=follow_up, kind="case")
    counts = counts_for(joint_visit.entity)
    assert (counts["open_cases"], counts["open_follow_ups"]) == (1, 0)
    follow_up_close(actor=liaison_zhao, follow_up=follow_up, closing_result="已作出行政处罚决定")
    counts = counts_for(joint_visit.entity)
    assert (counts["open_cases"], counts["open_follow_ups"]) == (0, 0)


def test_results_older_than_the_look_back_do_not_count(joint_visit, reviewer_li):
    approve(joint_visit, "SCJGJ", reviewer_li, "follow_up")
    later = fact_counts(date(2030, 1, 1), 36)
    assert later["problem_visits"].get(joint_visit.entity_id, 0) == 0


def test_a_lead_counts_once_a_check_was_made_of_it(joint_visit, liaison_zhao):
    lead = Lead.objects.create(
        number="L-1",
        entity=joint_visit.entity,
        department=liaison_zhao.department,
        source="complaint",
        description="投诉",
        created_by=liaison_zhao,
    )
    assert counts_for(joint_visit.entity)["confirmed_leads"] == 0
    lead.status, lead.task = LeadStatus.IN_CHECK, joint_visit.tasks.first()
    lead.save()
    assert counts_for(joint_visit.entity)["confirmed_leads"] == 1


def test_gathering_costs_one_query_per_kind_of_fact(joint_visit, django_assert_num_queries):
    with django_assert_num_queries(5):
        fact_counts(timezone.localdate(), 36)
