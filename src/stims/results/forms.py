from django import forms

from stims.core.forms import ScopedModelForm

from . import rules as result_rules
from .models import ApplicationReport, Handover, TaskResult

# Whether the result is out of sight or merely handed over elsewhere, the rule's one reason.
NOT_RECEIVED = result_rules.REFUSALS[result_rules.REPORT_APPLICATION]
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

    # A result is recorded on a task the user may change: see grants.py (core.choices).


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

    # Only whoever may change a result hands it over: see grants.py (core.choices).


class ApplicationReportForm(ScopedModelForm):
    search_widgets = RESULT_WIDGETS

    class Meta:
        model = ApplicationReport
        fields = ["result", "year", "admin_unit", "place", "status", "scale", "effect", "reported_on"]
        widgets = {"effect": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The results the user may report on: see grants.py (core.choices).
        # Whether the result is out of sight or merely handed over elsewhere, the same reason.
        self.fields["result"].error_messages["invalid_choice"] = NOT_RECEIVED
