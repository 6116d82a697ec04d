"""A URLconf without the domains' pages (test_reversing: a link is reversed per URLconf)."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("health/", lambda request: HttpResponse("ok"), name="health")]
