"""User management outside Django's admin: the department's administrator (a superuser: STIMS has no
administrator role) lists, finds, creates, edits, deactivates and reactivates users, e-mails them a reset
link and gives or removes roles with their unit scope, every change in the history. A leader, a specialist
or a local officer gets 403 on every page and cannot give themselves a role or the superuser flag."""

import pytest
from django.core import mail
from django.urls import reverse

from stims.accounts.models import Role, RoleAssignment, User
from stims.core import concurrency
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    user = make_user(username="quantri", is_superuser=True, is_staff=True, email="qt@so-khcn.example")
    client.force_login(user)
    return user


@pytest.fixture
def officer():
    return make_user(
        "local_officer",
        admin_unit=unit("Huyện Ba Chẽ", legacy=True),
        username="canbo.test",
        first_name="Lan",
        last_name="Trần",
        email="lan@bache.example",
    )


def test_the_admin_lists_and_filters_users_by_search_role_unit_and_active(client, admin, officer):
    leader = make_user("leader", username="lanhdao.test", first_name="Hùng", email="hung@so.example")
    leader.is_active = False
    leader.save()
    url = reverse("accounts:user_list")
    page = client.get(url).content.decode()
    assert "canbo.test" in page and "lanhdao.test" in page

    def names(**query):
        return [row.username for row in client.get(url, query).context["table"].data]

    assert names(q="lan@bache") == ["canbo.test"]
    assert names(role=Role.LOCAL_OFFICER) == ["canbo.test"]
    assert names(unit=unit("Huyện Ba Chẽ", legacy=True).pk) == ["canbo.test"]
    assert "lanhdao.test" in names(is_active="false") and "canbo.test" not in names(is_active="false")


def test_the_admin_creates_a_user_who_gets_a_link_to_set_their_password(client, admin):
    response = client.post(
        reverse("accounts:user_add"),
        {
            "username": "chuyenvien.moi",
            "first_name": "Mai",
            "last_name": "Nguyễn",
            "email": "mai@so-khcn.example",
            "send_mail": "on",
        },
    )
    user = User.objects.get(username="chuyenvien.moi")
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:user_detail", args=[user.pk]
    )
    assert user.has_usable_password() and not user.is_superuser and not user.is_staff
    assert [m.to for m in mail.outbox] == [["mai@so-khcn.example"]]
    assert user.history.first().history_user == admin
    # Bad input: a clear message per field, nothing saved.
    again = client.post(
        reverse("accounts:user_add"),
        {"username": "khac", "first_name": "A", "last_name": "B", "email": "MAI@so-khcn.example"},
    )
    assert again.status_code == 200 and "đã thuộc về một người dùng khác" in again.content.decode()
    assert not User.objects.filter(username="khac").exists()


def test_the_admin_edits_a_user_and_the_change_is_in_the_history(client, admin, officer):
    page = client.get(reverse("accounts:user_change", args=[officer.pk]))
    assert page.status_code == 200 and 'name="is_superuser"' not in page.content.decode()
    data = {
        "user_version": page.context["form"]["user_version"].value(),
        "username": "canbo.test",
        "first_name": "Lan",
        "last_name": "Trần Thị",
        "email": "lan@bache.example",
        "is_superuser": "on",  # not a field of the form: ignored
        "is_staff": "on",
    }
    response = client.post(reverse("accounts:user_change", args=[officer.pk]), data)
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.last_name == "Trần Thị" and not officer.is_superuser and not officer.is_staff
    latest = officer.history.first()
    assert latest.history_user == admin and latest.last_name == "Trần Thị"
    detail = client.get(reverse("accounts:user_detail", args=[officer.pk])).content.decode()
    assert "Trần Thị" in detail and 'data-testid="history"' in detail


def test_the_admin_deactivates_and_reactivates_but_never_themselves(client, admin, officer):
    url = reverse("accounts:user_active", args=[officer.pk])
    client.post(url, {"active": "0"})
    officer.refresh_from_db()
    assert not officer.is_active and officer.history.first().history_user == admin
    assert officer.history.first().history_change_reason == "Đã khoá"
    client.post(url, {"active": "1"})
    officer.refresh_from_db()
    assert officer.is_active
    client.post(reverse("accounts:user_active", args=[admin.pk]), {"active": "0"})
    admin.refresh_from_db()
    assert admin.is_active


def test_the_admin_sends_a_reset_link_that_sets_the_password(client, admin, officer):
    client.post(reverse("accounts:user_password_reset", args=[officer.pk]))
    assert [m.to for m in mail.outbox] == [["lan@bache.example"]]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    client.logout()
    form = client.get(link[link.index("/accounts/") :], follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": "Sâm-Ngọc-Linh-9", "new_password2": "Sâm-Ngọc-Linh-9"}
    )
    login = client.post(reverse("login"), {"username": "canbo.test", "password": "Sâm-Ngọc-Linh-9"})
    assert login.status_code == 302


def test_the_admin_gives_changes_and_removes_roles_with_their_scope(client, admin, officer):
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    add = reverse("accounts:roleassignment_add") + f"?user={officer.pk}"
    page = client.get(add)
    assert page.status_code == 200 and "Lan Trần" in page.content.decode()
    # A local officer needs a unit: a clear error, nothing saved.
    refused = client.post(add, {"user": officer.pk, "role": Role.LOCAL_OFFICER})
    assert refused.status_code == 200 and "phải" in refused.content.decode().lower()
    assert officer.role_assignments.count() == 1
    client.post(add, {"user": officer.pk, "role": Role.VIEWER, "valid_from": "01/01/2026"})
    viewer = officer.role_assignments.get(role=Role.VIEWER)
    assert viewer.admin_unit is None and viewer.history.first().history_user == admin

    edit = reverse("accounts:roleassignment_edit", args=[viewer.pk])
    version = client.get(edit).context["form"][concurrency.FORM_FIELD].value()
    response = client.post(
        edit,
        {
            "user": officer.pk,
            "role": Role.VIEWER,
            "admin_unit": ba_che.pk,
            "valid_to": "31/12/2026",
            concurrency.FORM_FIELD: version,
        },
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.admin_unit == ba_che and str(viewer.valid_to) == "2026-12-31"

    removed = client.post(reverse("accounts:roleassignment_delete", args=[viewer.pk]))
    assert removed.status_code == 302, removed.content.decode()[-3000:]
    assert not RoleAssignment.objects.filter(pk=viewer.pk).exists()
    detail = client.get(reverse("accounts:user_detail", args=[officer.pk])).content.decode()
    assert 'data-testid="role-history"' in detail and detail.count("quantri") >= 1


@pytest.mark.parametrize("role", ["leader", "specialist", "local_officer", "viewer"])
def test_anyone_but_the_administrator_gets_403_on_every_page_and_cannot_escalate(client, role, officer):
    scope = {"admin_unit": unit("Huyện Ba Chẽ", legacy=True)} if role == "local_officer" else {}
    me = make_user(role, **scope)
    client.force_login(me)
    assignment = officer.role_assignments.get()
    pages = [
        ("get", reverse("accounts:user_list"), {}),
        ("get", reverse("accounts:user_list") + "?_export=csv", {}),
        ("get", reverse("accounts:user_add"), {}),
        (
            "post",
            reverse("accounts:user_add"),
            {"username": "x", "first_name": "x", "last_name": "x", "email": "x@x.example"},
        ),
        ("get", reverse("accounts:user_detail", args=[me.pk]), {}),
        ("get", reverse("accounts:user_change", args=[me.pk]), {}),
        (
            "post",
            reverse("accounts:user_change", args=[me.pk]),
            {
                "username": me.username,
                "first_name": "x",
                "last_name": "x",
                "email": "m@x.example",
                "is_superuser": "on",
            },
        ),
        ("post", reverse("accounts:user_active", args=[officer.pk]), {"active": "0"}),
        ("post", reverse("accounts:user_password_reset", args=[officer.pk]), {}),
        ("get", reverse("accounts:roleassignment_add") + f"?user={me.pk}", {}),
        ("post", reverse("accounts:roleassignment_add"), {"user": me.pk, "role": "leader"}),
        ("get", reverse("accounts:roleassignment_edit", args=[assignment.pk]), {}),
        (
            "post",
            reverse("accounts:roleassignment_edit", args=[assignment.pk]),
            {"user": me.pk, "role": "leader"},
        ),
        ("post", reverse("accounts:roleassignment_delete", args=[assignment.pk]), {}),
    ]
    answers = {url: getattr(client, method)(url, data).status_code for method, url, data in pages}
    assert set(answers.values()) == {403}, answers
    me.refresh_from_db()
    officer.refresh_from_db()
    assert not me.is_superuser and set(me.role_assignments.values_list("role", flat=True)) == {role}
    assert officer.is_active and RoleAssignment.objects.filter(pk=assignment.pk, user=officer).exists()
    assert not User.objects.filter(username="x").exists() and not mail.outbox
    # Nor through Django's admin, nor an API (accounts has none).
    assert client.get("/admin/accounts/user/").status_code == 302
    assert client.get("/api/accounts/users/").status_code == 404
    # The account page offers no user management.
    assert 'data-testid="manage-users"' not in client.get(reverse("accounts:profile")).content.decode()


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_admins_account_page_leads_to_user_management(client, admin):
    assert 'data-testid="manage-users"' in client.get(reverse("accounts:profile")).content.decode()


def test_the_menu_offers_user_management_to_the_administrator_only(client, admin):
    import inspect

    from stims.core.context_processors import register_item

    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'data-testid="manage-users"' in page
    # Where the menu asks each item's own check (register_item's `allowed`), the item is there too.
    if "allowed" in inspect.signature(register_item).parameters:
        assert f'href="{reverse("accounts:user_list")}"' in client.get("/").content.decode()
    for role in ("leader", "specialist", "viewer"):
        client.force_login(make_user(role))
        assert reverse("accounts:user_list") not in client.get("/").content.decode()
        assert reverse("accounts:user_list") not in client.get(reverse("accounts:profile")).content.decode()


def test_a_stale_edit_is_refused_with_what_was_typed_kept_and_saving_again_overwrites(client, admin, officer):
    url = reverse("accounts:user_change", args=[officer.pk])
    version = client.get(url).context["form"]["user_version"].value()
    # Meanwhile, another administrator changes the e-mail address.
    User.objects.filter(pk=officer.pk).update(email="lan.tran@bache.example")
    typed = {
        "username": "canbo.test",
        "first_name": "Lan",
        "last_name": "Trần Thị",
        "email": "lan@bache.example",
    }
    stale = client.post(url, {**typed, "user_version": version})
    assert stale.status_code == 200 and "Có người khác vừa sửa người dùng này" in stale.content.decode()
    officer.refresh_from_db()
    assert officer.last_name == "Trần" and officer.email == "lan.tran@bache.example"
    again = client.post(url, {**typed, "user_version": stale.context["form"]["user_version"].value()})
    assert again.status_code == 302
    officer.refresh_from_db()
    assert (officer.last_name, officer.email) == ("Trần Thị", "lan@bache.example")
