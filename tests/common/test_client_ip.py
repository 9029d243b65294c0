"""The client's address behind the proxies this deployment trusts, and nowhere else: a client
that writes its own X-Forwarded-For neither escapes a rate limit nor shares another's."""

import pytest
from django.test import Client, RequestFactory

from spotcheck.api.public import router
from spotcheck.common.client import client_ip


def _request(forwarded: str | None = None, peer: str = "10.0.0.5"):
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_a_trusted_proxy_a_written_forwarded_for_is_ignored(settings):
    settings.SPOTCHECK_TRUSTED_PROXIES = 0
    assert client_ip(_request("203.0.113.9")) == "10.0.0.5"


def test_behind_one_proxy_the_address_it_appended_counts(settings):
    # nginx appends the peer it saw; whatever the client wrote stands further left
    settings.SPOTCHECK_TRUSTED_PROXIES = 1
    assert client_ip(_request("1.2.3.4, 198.51.100.7", peer="127.0.0.1")) == "198.51.100.7"
    assert client_ip(_request(None, peer="127.0.0.1")) == "127.0.0.1"


@pytest.fixture
def tight_throttle(monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(router.throttle[0], "num_requests", 2)
    yield
    cache.clear()


def test_the_public_api_throttle_is_not_escaped_by_a_new_forwarded_for(db, tight_throttle):
    # before: with no proxy count, ninja keyed the throttle on the client's own header
    statuses = [
        Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        .get("/api/public/items")
        .status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]
