"""The portal is the front page: a visitor at / sees it, staff sign in from it and land on their home."""

from django.urls import reverse

from stims.testing import make_user


def test_a_visitor_at_the_root_sees_the_portal_with_a_staff_sign_in_link(client, make_article):
    make_article(title="Sở KH&CN làm việc với huyện Định Hóa", is_featured=True)
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "làm việc với huyện Định Hóa" in page
    assert f'href="{reverse("login")}?next={reverse("home")}"' in page
    assert 'data-testid="visitor-stats"' in page


def test_a_signed_in_user_at_the_root_gets_their_home_page_and_the_portal_stays_reachable(client, db):
    client.force_login(make_user("specialist"))
    home = client.get("/")
    assert home.status_code == 200
    assert "site/home.html" in [t.name for t in home.templates]
    portal = client.get(reverse("portal:index"))
    assert portal.status_code == 200
    assert f'href="{reverse("home")}"' in portal.content.decode()  # "My home page"


def test_staff_signing_in_from_the_portal_land_on_their_home_page(client, db):
    make_user("specialist", username="bientap")
    response = client.post(
        f"{reverse('login')}?next={reverse('home')}",
        {"username": "bientap", "password": "pw-for-tests-123", "next": reverse("home")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "site/home.html" in [t.name for t in client.get(response["Location"]).templates]
