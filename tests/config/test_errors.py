"""Errors leave a JSON log line with the traceback; users see Chinese 404 and 500 pages."""

import io
import json
import logging

import pytest
from django.test import Client
from django.urls import path

from spotcheck.config.urls import urlpatterns as site_urlpatterns


def broken_view(request):
    raise ZeroDivisionError("the view broke")


# The site's own URLs (the layout links to them) plus one view that fails.
urlpatterns = [path("broken/", broken_view), *site_urlpatterns]


@pytest.fixture
def log_stream():
    handler = next(h for h in logging.getLogger("django").handlers if h.name == "stderr")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_500_logs_its_traceback_as_json(settings, log_stream, db):
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    records = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    error = next(r for r in records if r["logger"] == "django.request")
    assert error["level"] == "ERROR" and error["status_code"] == 500
    assert "ZeroDivisionError: the view broke" in error["exc_info"]
    assert "/broken/" in error["request"]


def test_500_page_is_chinese_in_the_site_layout(settings, log_stream, db):
    settings.ROOT_URLCONF = __name__
    page = Client(raise_request_exception=False).get("/broken/").content.decode()
    assert "服务器出错" in page and "双随机、一公开" in page
    assert "Traceback" not in page


def test_404_page_is_chinese_in_the_site_layout(client, db):
    response = client.get("/directory/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "双随机、一公开" in page
