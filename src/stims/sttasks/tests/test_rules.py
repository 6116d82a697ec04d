"""The S&T task rules (`sttasks/rules.py`) on every path: the pages, the API (one record and a batch),
the workflow steps and the Excel import give one answer per rule and role, and a refusal changes
nothing and says why (issue #12, findings 2 and 3)."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from stims.core.tests.versions import form_data, if_match
from stims.sttasks import rules as task_rules
from stims.sttasks.models import Task, TaskEvent, TaskType
from stims.testing import make_user

from .conftest import attach, state, step
from .prerequisites import satisfy
from .test_import import confirm, preview, row

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)
# A row a Ba Chẽ officer may import: their own locality, no directory entry outside it.
BA_CHE_ROW = {
    "ordering_unit": "Huyện Ba Chẽ, Quảng Ninh",
    "lead_organization": "",
    "principal_investigator": "",
}
STATE_REFUSAL = (
    "Row 2, column “Trạng thái”: only the department's staff import a task in a state other than "
    "“Đề xuất, đặt hàng”; leave this column empty to import the task as a new proposal"
)
CHANGE_REFUSAL = (
    "The department has taken this task on: only the department's staff (leader, specialist) change it now."
)


@pytest.fixture(autouse=True)
def own_uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def officer(ba_che):
    """A local officer of the old Ba Chẽ district, as the demo's canbo.bache."""
    return make_user("local_officer", admin_unit=ba_che)


def signed_in(client_class, user):
    client = client_class()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def api_url(task):
    return reverse("api:task-detail", args=[task.pk])


def snapshot(task):
    saved = Task.objects.get(pk=task.pk)
    return (saved.title, saved.state_id, saved.updated_at, saved.history.count(), saved.events.count())


def take_on(client, task, *, institute, investigator, ba_che):
    """The department takes the proposal on: the "identify" step, through the API."""
    satisfy(task, "identification_passed", institute=institute, investigator=investigator, unit=ba_che)
    decision = attach(task, "decision")
    response = client.post(
        reverse("api:task-step", args=[task.pk]),
        {"transition": "identify", "happened_on": DAY.isoformat(), "document": decision.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    task.refresh_from_db()
    assert task.state.code == "identified"


# --- Finding 2: a local officer imported a task in any workflow state -------------------------------------


@pytest.mark.parametrize("imported_state", ["Đã phê duyệt", "applied", "Không được lựa chọn"])
def test_a_local_officer_may_not_import_a_task_in_a_state_beyond_the_proposal(
    client, officer, imported_state
):
    client = signed_in(type(client), officer)
    response = preview(client, [row("ĐTCS.2023.01", state=imported_state, **BA_CHE_ROW)])
    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert outcome.errors == [STATE_REFUSAL] and not response.context["can_confirm"]
    assert confirm(client, response).status_code == 409
    assert not Task.objects.filter(code="ĐTCS.2023.01").exists()
    assert not TaskEvent.objects.exists()


@pytest.mark.parametrize("proposal_state", ["", "Đề xuất, đặt hàng", "proposed"])
def test_a_local_officer_still_imports_new_proposals(client, officer, proposal_state):
    client = signed_in(type(client), officer)
    response = preview(client, [row("ĐTCS.2023.01", state=proposal_state, **BA_CHE_ROW)])
    assert response.context["outcome"].counts["new"] == 1, response.context["outcome"].errors
    assert confirm(client, response).status_code == 302
    task = Task.objects.get(code="ĐTCS.2023.01")
    assert task.state.is_initial and not task.events.exists()


def test_a_specialist_still_imports_a_task_where_it_stands(client, specialist):
    client = signed_in(type(client), specialist)
    response = preview(client, [row("ĐTCS.2023.01", state="Đã phê duyệt", **BA_CHE_ROW)])
    assert response.context["outcome"].counts["new"] == 1, response.context["outcome"].errors
    assert confirm(client, response).status_code == 302
    task = Task.objects.get(code="ĐTCS.2023.01")
    assert task.state.code == "approved" and task.events.get().transition is None


def test_the_api_never_sets_a_state_on_create_one_record_or_a_batch(client, officer, specialist, ba_che):
    """The state is read-only on the API for everyone: a task moves only by steps, and arrives in a given
    state only by the department's Excel import."""
    for user in (officer, specialist):
        api = signed_in(type(client), user)
        record = {
            "title": "Mô hình nuôi cá song",
            "task_type": TaskType.objects.get(code="de-tai").pk,
            "level": "grassroots",
            "proposal_year": 2026,
            "ordering_unit": ba_che.pk,
            "state": state("approved").pk,
            "state_code": "approved",
        }
        # The department assigns the code; a locality's proposals arrive without one, and Huyện Ba Chẽ
        # orders tasks only of plan years before the 2025 reform took hold.
        department = user == specialist
        if not department:
            record["proposal_year"] = 2025

        def codes(n, pk=user.pk, department=department):
            return f"API.{pk}.{n}" if department else None

        batch = [{**record, "code": codes(n)} for n in (1, 2)]
        response = api.post(reverse("api:task-list"), batch, content_type="application/json")
        assert response.status_code == 201, response.content
        one = api.post(
            reverse("api:task-list"), {**record, "code": codes(3)}, content_type="application/json"
        )
        assert one.status_code == 201, one.content
        ids = [item["id"] for item in [*response.json(), one.json()]]
        created = Task.objects.filter(pk__in=ids).select_related("state")
        assert [task.state.code for task in created] == ["proposed"] * 3
        assert {item["state_code"] for item in [*response.json(), one.json()]} == {"proposed"}


# --- Finding 3: the API and the import skipped the rule the edit page enforces -----------------------------


def test_once_the_department_takes_a_task_on_the_local_officer_changes_it_by_no_path(
    client, officer, specialist, make_task, institute, investigator, ba_che
):
    task = make_task()
    take_on(
        signed_in(type(client), specialist),
        task,
        institute=institute,
        investigator=investigator,
        ba_che=ba_che,
    )
    before = snapshot(task)
    locality = signed_in(type(client), officer)

    # The page.
    edit = reverse("sttasks:task_edit", args=[task.pk])
    assert locality.get(edit).status_code == 403
    assert locality.post(edit, {"title": "Đổi tên"}).status_code == 403

    # The API: PATCH and PUT, with the record's version, as a client that read it first.
    assert locality.get(api_url(task)).status_code == 200
    response = locality.patch(
        api_url(task), {"title": "Đổi tên"}, content_type="application/json", **if_match(task)
    )
    assert response.status_code == 403 and response.json()["detail"] == CHANGE_REFUSAL
    whole = {**locality.get(api_url(task)).json(), "title": "Đổi tên"}
    response = locality.put(api_url(task), whole, content_type="application/json", **if_match(task))
    assert response.status_code == 403 and response.json()["detail"] == CHANGE_REFUSAL

    # The import, asking to update tasks on record or not.
    for update in ({"update_existing": "on"}, {}):
        response = preview(locality, [row(task.code, title="Đổi tên", **BA_CHE_ROW)], **update)
        assert response.context["outcome"].errors == [
            f"Row 2, column “Mã nhiệm vụ”: a task with the code “{task.code}” is already on record; "
            "only the department's staff update tasks by import"
        ]
        assert response.context["outcome"].counts["update"] == 0
        assert confirm(locality, response).status_code == 409

    assert snapshot(task) == before


def test_a_local_officer_still_edits_a_proposal_on_the_page_and_through_the_api(client, officer, make_task):
    task = make_task()
    locality = signed_in(type(client), officer)
    edit = reverse("sttasks:task_edit", args=[task.pk])
    data = {**form_data(locality.get(edit).context["form"]), "title": "Tên mới trên trang"}
    assert locality.post(edit, data).status_code == 302
    assert Task.objects.get(pk=task.pk).title == "Tên mới trên trang"

    response = locality.patch(
        api_url(task), {"title": "Tên mới qua API"}, content_type="application/json", **if_match(task)
    )
    assert response.status_code == 200, response.content
    assert Task.objects.get(pk=task.pk).title == "Tên mới qua API"


def test_a_specialist_still_changes_and_updates_by_import_a_task_taken_on(
    client, specialist, make_task, institute, investigator, ba_che
):
    task = make_task()
    department = signed_in(type(client), specialist)
    take_on(department, task, institute=institute, investigator=investigator, ba_che=ba_che)
    response = department.patch(
        api_url(task), {"title": "Tên của Sở"}, content_type="application/json", **if_match(task)
    )
    assert response.status_code == 200, response.content
    response = preview(
        department,
        [row(task.code, title="Tên từ Excel", state="identified", **BA_CHE_ROW)],
        update_existing="on",
    )
    assert response.context["outcome"].counts["update"] == 1, response.context["outcome"].errors
    assert confirm(department, response).status_code == 302
    task.refresh_from_db()
    assert task.title == "Tên từ Excel" and task.state.code == "identified"


def test_the_upload_form_offers_updating_tasks_on_record_only_to_the_department(client, officer, specialist):
    assert (
        "update_existing"
        not in signed_in(type(client), officer).get(reverse("sttasks:import")).context["form"].fields
    )
    assert (
        "update_existing"
        in signed_in(type(client), specialist).get(reverse("sttasks:import")).context["form"].fields
    )


# --- One answer per rule and role, on every path ------------------------------------------------------------


def page_changes(client, task) -> bool:
    edit = reverse("sttasks:task_edit", args=[task.pk])
    opened = client.get(edit)
    if opened.status_code == 403:
        assert client.post(edit, {"title": "Trang"}).status_code == 403
        return False
    response = client.post(edit, {**form_data(opened.context["form"]), "title": "Trang"})
    assert response.status_code == 302, response.context["form"].errors
    return True


def api_changes(client, task) -> bool:
    response = client.patch(
        api_url(task), {"title": "API"}, content_type="application/json", **if_match(task)
    )
    assert response.status_code in (200, 403), response.content
    return response.status_code == 200


def page_takes(client, task, code, inputs) -> bool:
    data = {"happened_on": inputs["happened_on"].strftime("%d/%m/%Y")}
    if "document" in inputs:
        data["document"] = inputs["document"].pk
    response = client.post(reverse("sttasks:task_step", args=[task.pk, code]), data)
    assert response.status_code in (200, 302)
    return response.status_code == 302


def api_takes(client, task, code, inputs) -> bool:
    data = {"transition": code, "happened_on": inputs["happened_on"].isoformat()}
    if "document" in inputs:
        data["document"] = inputs["document"].pk
    response = client.post(reverse("api:task-step", args=[task.pk]), data, content_type="application/json")
    assert response.status_code in (201, 400), response.content
    return response.status_code == 201


def step_inputs(task, code, *, institute, investigator, ba_che) -> dict:
    transition = step(code)
    for guard in transition.guard_names:
        satisfy(task, guard, institute=institute, investigator=investigator, unit=ba_che)
    inputs = {"happened_on": DAY}
    if transition.requires_document_kind_id:
        inputs["document"] = attach(task, transition.requires_document_kind.code)
    return inputs


def import_answer(client, rows, **options) -> bool:
    response = preview(client, rows, **options)
    outcome = response.context["outcome"]
    allowed = not outcome.has_errors
    assert confirm(client, response).status_code == (302 if allowed else 409)
    return allowed


def page_assigns(client, task, officer) -> bool:
    edit = reverse("sttasks:task_edit", args=[task.pk])
    response = client.post(edit, {**form_data(client.get(edit).context["form"]), "officer": officer.pk})
    assert response.status_code == 302, response.context["form"].errors
    return Task.objects.get(pk=task.pk).officer_id == officer.pk


def api_assigns(client, task, officer) -> bool:
    response = client.patch(
        api_url(task), {"officer": officer.pk}, content_type="application/json", **if_match(task)
    )
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert response.json()["errors"] == {"officer": [str(task_rules.REFUSALS[task_rules.ASSIGN_OFFICER])]}
    return response.status_code == 200


# (rule, role, the task's state, the answer)
TABLE = [
    (task_rules.ASSIGN_OFFICER, "specialist", "proposed", True),
    (task_rules.ASSIGN_OFFICER, "local_officer", "proposed", False),
    (task_rules.CHANGE_TASK, "specialist", "proposed", True),
    (task_rules.CHANGE_TASK, "specialist", "identified", True),
    (task_rules.CHANGE_TASK, "local_officer", "proposed", True),
    (task_rules.CHANGE_TASK, "local_officer", "identified", False),
    (task_rules.TAKE_STEP, "specialist", "proposed", True),  # identify
    (task_rules.TAKE_STEP, "local_officer", "proposed", False),  # identify
    (task_rules.TAKE_STEP, "local_officer", "handed_over", True),  # report_application
    (task_rules.IMPORT_TASK_STATE, "specialist", "identified", True),
    (task_rules.IMPORT_TASK_STATE, "local_officer", "identified", False),
    (task_rules.IMPORT_TASK_STATE, "local_officer", "proposed", True),
    (task_rules.UPDATE_TASK_BY_IMPORT, "specialist", "proposed", True),
    (task_rules.UPDATE_TASK_BY_IMPORT, "local_officer", "proposed", False),
]
STEP_FROM = {"proposed": "identify", "handed_over": "report_application"}


@pytest.mark.parametrize(("rule", "role", "state_code", "expected"), TABLE)
def test_each_rule_gives_one_answer_on_every_path(
    client, rule, role, state_code, expected, make_task, ba_che, institute, investigator
):
    user = make_user(role, admin_unit=ba_che if role == "local_officer" else None)
    task = make_task(state_code=state_code)
    answers = {}
    if rule == task_rules.CHANGE_TASK:
        answers["rule"] = task_rules.has(rule, user, task)
        answers["page"] = page_changes(signed_in(type(client), user), task)
        answers["api"] = api_changes(signed_in(type(client), user), task)
    elif rule == task_rules.TAKE_STEP:
        code = STEP_FROM[state_code]
        answers["rule"] = task_rules.has(rule, user, task_rules.StepOnTask(task, step(code)))
        for path, take in (("page", page_takes), ("api", api_takes)):
            fresh = make_task(state_code=state_code)
            inputs = step_inputs(fresh, code, institute=institute, investigator=investigator, ba_che=ba_che)
            answers[path] = take(signed_in(type(client), user), fresh, code, inputs)
    elif rule == task_rules.ASSIGN_OFFICER:
        answers["rule"] = task_rules.has(rule, user)
        department = make_user("specialist")
        answers["page"] = page_assigns(signed_in(type(client), user), task, department)
        answers["api"] = api_assigns(
            signed_in(type(client), user), make_task(state_code=state_code), department
        )
    elif rule == task_rules.IMPORT_TASK_STATE:
        answers["rule"] = task_rules.has(rule, user, state(state_code))
        answers["import"] = import_answer(
            signed_in(type(client), user), [row("ĐTCS.2023.99", state=state_code, **BA_CHE_ROW)]
        )
    else:
        answers["rule"] = task_rules.has(rule, user)
        answers["import"] = import_answer(
            signed_in(type(client), user),
            [row(task.code, title="Tên từ Excel", **BA_CHE_ROW)],
            update_existing="on",
        )
        answers["upload form"] = "update_existing" in (
            signed_in(type(client), user).get(reverse("sttasks:import")).context["form"].fields
        )
    assert answers == dict.fromkeys(answers, expected)


def test_the_admin_asks_the_same_rule_of_a_staff_member_who_is_a_local_officer(
    client, specialist, make_task, ba_che, institute, investigator
):
    from django.contrib.auth.models import Permission

    task = make_task()
    take_on(
        signed_in(type(client), specialist),
        task,
        institute=institute,
        investigator=investigator,
        ba_che=ba_che,
    )
    staff = make_user("local_officer", admin_unit=ba_che, is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="sttasks", codename__in=["view_task", "change_task"]
        )
    )
    before = snapshot(task)
    admin = signed_in(type(client), staff)
    url = reverse("admin:sttasks_task_change", args=[task.pk])
    assert admin.get(url).context["has_change_permission"] is False  # shown read-only
    assert admin.post(url, {"title": "Đổi tên"}).status_code == 403
    assert snapshot(task) == before
    superuser = signed_in(type(client), make_user(is_staff=True, is_superuser=True))
    assert superuser.get(url).context["has_change_permission"] is True


def test_a_local_officer_names_no_officer_in_charge_by_any_path_but_keeps_the_one_named(
    client, officer, specialist, make_task, ba_che
):
    task = make_task(officer=specialist)
    other = make_user("specialist")
    locality = signed_in(type(client), officer)
    # The page shows the officer named by the department, and keeps them whatever is posted.
    edit = reverse("sttasks:task_edit", args=[task.pk])
    form = locality.get(edit).context["form"]
    assert "officer" not in form.fields  # a department field: not on the locality's form
    response = locality.post(edit, {**form_data(form), "title": "Tên mới", "officer": other.pk})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.officer) == ("Tên mới", specialist)
    # The API: a change of officer is refused under its field; sending back the same one is not a change.
    before = snapshot(task)
    response = locality.patch(
        api_url(task), {"officer": other.pk}, content_type="application/json", **if_match(task)
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"officer": [str(task_rules.REFUSALS[task_rules.ASSIGN_OFFICER])]}
    assert snapshot(task) == before
    response = locality.patch(
        api_url(task),
        {"officer": specialist.pk, "title": "Tên khác"},
        content_type="application/json",
        **if_match(task),
    )
    assert response.status_code == 200, response.content
    # A batch naming an officer creates nothing.
    record = {
        "task_type": TaskType.objects.get(code="de-tai").pk,
        "level": "grassroots",
        "proposal_year": 2025,
        "ordering_unit": ba_che.pk,
        "title": "Mô hình API",
    }
    batch = [record, {**record, "officer": other.pk}]
    response = locality.post(reverse("api:task-list"), batch, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][1] == {"officer": [str(task_rules.REFUSALS[task_rules.ASSIGN_OFFICER])]}
    assert not Task.objects.filter(title="Mô hình API").exists()


def test_the_task_page_offers_the_edit_button_only_under_the_rule(client, officer, specialist, make_task):
    proposal, identified = make_task(), make_task(state_code="identified")
    for user, task, offered in (
        (officer, proposal, True),
        (officer, identified, False),
        (specialist, identified, True),
    ):
        page = signed_in(type(client), user).get(task.get_absolute_url()).content.decode()
        assert (reverse("sttasks:task_edit", args=[task.pk]) in page) is offered
