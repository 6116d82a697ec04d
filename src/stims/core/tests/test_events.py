import pytest
from django.db import transaction

from stims.core import events


@pytest.fixture
def received():
    got = []

    def listener(**data):
        got.append(data)

    events.listen("test.happened")(listener)
    yield got
    events._LISTENERS["test.happened"].remove(listener)


@pytest.mark.django_db(transaction=True)
def test_listeners_hear_after_commit_and_never_of_a_rollback(received):
    with transaction.atomic():
        events.emit("test.happened", value=1)
        assert received == []
    assert received == [{"value": 1}]
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit("test.happened", value=2)
        raise RuntimeError
    assert received == [{"value": 1}]


@pytest.mark.django_db(transaction=True)
def test_a_failing_listener_does_not_stop_the_others(received, caplog):
    def broken(**data):
        raise ValueError("boom")

    events._LISTENERS["test.happened"].insert(0, broken)
    try:
        events.emit("test.happened", value=3)
    finally:
        events._LISTENERS["test.happened"].remove(broken)
    assert received == [{"value": 3}]
    assert "listener broken of event test.happened failed" in caplog.text
