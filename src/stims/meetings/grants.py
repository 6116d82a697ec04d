"""Working sessions in the permission matrix (see `stims.core.permissions`)."""

from stims.core import permissions
from stims.core.permissions import READ, WRITE

permissions.register_role_grants(
    {
        # A locality reads the sessions held with it and reports on the directives its own units lead
        # (the directive services check the lead unit); the department records them.
        "local_officer": {
            "meetings.workingsession": READ,
            "meetings.participant": READ,
            "meetings.agendaitem": READ,
            "meetings.sessiondocument": READ,
            "meetings.sessionfigure": READ,
            "meetings.localityrequest": READ,
            "meetings.directive": READ,
            "meetings.directivegroup": READ,
            "meetings.directivereport": WRITE,
            "meetings.directiveevent": READ,
        },
    }
)
