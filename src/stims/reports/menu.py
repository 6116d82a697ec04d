"""The Reports section of the navigation."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item, register_section

register_section("reports", _("Reports"), 450)
register_item("reports", _("Leaders' dashboard"), "reports:dashboard", "reports.Report", 10)
register_item("reports", _("Periodic reports"), "reports:report_list", "reports.Report", 20)
register_item("reports", _("Report templates"), "reports:reporttemplate_list", "reports.ReportTemplate", 30)
