"""The visit lists of the API shape only the page they serve: a province's batch has 30,000
visits and the old list built every one of them in Python for each page of 100."""

from spotcheck.api import draws as draws_api
from spotcheck.api import inspections as inspections_api


def _count_shaping(monkeypatch, module) -> list:
    shaped: list = []
    original = module._visit_out

    def counting(visit):
        shaped.append(visit.pk)
        return original(visit)

    monkeypatch.setattr(module, "_visit_out", counting)
    return shaped


def test_batch_visit_pages_shape_only_their_visits(
    client_for, liaison_zhao, drawn_batch, monkeypatch, django_assert_max_num_queries
):
    # Given a drawn joint batch of more than two visits and zhao's browser session
    client = client_for(liaison_zhao)
    assert drawn_batch.visits.count() > 2
    first = client.get(f"/api/batches/{drawn_batch.pk}/visits?limit=2").json()
    shaped = _count_shaping(monkeypatch, draws_api)
    # When zhao asks for the second page
    with django_assert_max_num_queries(15):
        url = f"/api/batches/{drawn_batch.pk}/visits?limit=2&cursor={first['next_cursor']}"
        page = client.get(url).json()
    # Then only the page's visits were built, and they follow the first page's
    assert len(shaped) == len(page["items"]) == 2
    assert {v["visit_id"] for v in page["items"]}.isdisjoint(v["visit_id"] for v in first["items"])


def test_first_page_is_in_visit_id_order(client_for, liaison_zhao, drawn_batch):
    page = client_for(liaison_zhao).get(f"/api/batches/{drawn_batch.pk}/visits").json()
    expected = list(drawn_batch.visits.order_by("visit_id").values_list("visit_id", flat=True))
    assert [item["visit_id"] for item in page["items"]] == expected[:50]


def test_department_visit_list_shapes_only_its_page(
    client_for, liaison_zhao, drawn_batch, monkeypatch
):
    shaped = _count_shaping(monkeypatch, inspections_api)
    page = client_for(liaison_zhao).get("/api/inspections/visits?limit=1").json()
    assert len(page["items"]) == 1 and len(shaped) == 1
