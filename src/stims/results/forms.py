from django import forms
from django.utils.translation import gettext_lazy as _

from stims.core import permissions
from stims.core.forms import ScopedModelForm
from stims.sttasks.models import Task

from . import services
from .models import ApplicationReport, Handover, TaskResult

NOT_RECEIVED = _("You may report the application only of results handed over to your unit.")
RESULT_WIDGETS = {
    "results.taskresult": "results:taskresult_options",
    "sttasks.task": "results:task_options",
    "ip.ipasset": "ip:ipasset_options",
}


class TaskResultForm(ScopedModelForm):
    search_widgets = RESULT_WIDGETS

    class Meta:
        model = TaskResult
        fields = ["task", "kind", "name", "description", "certificate_number", "certificate_date", "ip_asset"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            # A result is recorded on a task the user may change.
            self.fields["task"].queryset = permissions.restrict(
                Task.objects.all(), self.user, permissions.CHANGE
            )


class HandoverForm(ScopedModelForm):
    search_widgets = RESULT_WIDGETS

    class Meta:
        model = Handover
        fields = [
            "result",
            "receiving_unit",
            "receiving_organization",
            "handed_over_on",
            "record_number",
            "record_file",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            # Only whoever may change a result hands it over.
            self.fields["result"].queryset = permissions.restrict(
                TaskResult.objects.all(), self.user, permissions.CHANGE
            )


class ApplicationReportForm(ScopedModelForm):
    search_widgets = RESULT_WIDGETS

    class Meta:
        model = ApplicationReport
        fields = ["result", "year", "admin_unit", "place", "status", "scale", "effect", "reported_on"]
        widgets = {"effect": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            self.fields["result"].queryset = services.reportable_results(self.user)
        # Whether the result is out of sight or merely handed over elsewhere, the same reason.
        self.fields["result"].error_messages["invalid_choice"] = NOT_RECEIVED
