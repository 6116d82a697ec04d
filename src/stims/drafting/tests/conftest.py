"""The drafting pages' tests use the meetings fixtures (users, the Định Hóa units and offices)."""

from stims.meetings.tests.conftest import (  # noqa: F401
    agriculture_office,
    client_as,
    dinh_hoa,
    district_committee,
    lead_officer,
    specialist,
    viewer,
)
