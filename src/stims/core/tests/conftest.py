import pytest


@pytest.fixture
def superuser_client(client, demo_data):
    """A client signed in as a superuser (who sees every row) over the demo data: the sweeps over every
    list page (test_list_queries.py, test_list_fields.py)."""
    from stims.accounts.models import User

    client.force_login(User.objects.create_superuser("lists.admin", password="pw-for-tests-123"))
    return client
