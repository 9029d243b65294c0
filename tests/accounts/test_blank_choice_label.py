"""Select boxes on Chinese pages offer 请选择, never Django 6.1's English "- Select an option -"."""

import pytest

PAGES = ["/directory/entities/new/", "/plans/tasks/new/"]


@pytest.mark.parametrize("url", PAGES)
def test_no_english_blank_choice(client_for, office_admin_wang, url):
    response = client_for(office_admin_wang).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select an option" not in page
