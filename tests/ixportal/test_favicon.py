import pytest


@pytest.mark.django_db
def test_every_page_links_the_favicon(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in html and "img/favicon" in html and ".svg" in html


def test_favicon_ico_leads_to_the_svg(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
    assert client.get(response["Location"]).status_code == 200
