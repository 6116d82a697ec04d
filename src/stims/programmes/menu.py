"""The agenda in the navigation: a section of its own."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item, register_section

register_section("programmes", _("Plans and programmes"), 505)
register_item("programmes", _("Plans and programmes"), "programmes:plan_list", "programmes.Plan", 10)
register_item(
    "programmes",
    _("Policy and legal documents"),
    "programmes:legaldocument_list",
    "programmes.LegalDocument",
    20,
)
register_item(
    "programmes", _("Cooperation agreements"), "programmes:agreement_list", "programmes.Agreement", 30
)
register_item("programmes", _("Outreach and training"), "programmes:activity_list", "programmes.Activity", 40)
register_item(
    "programmes", _("Local body meetings"), "programmes:bodymeeting_list", "programmes.BodyMeeting", 50
)
register_item(
    "programmes", _("Local S&T officers"), "programmes:localofficer_list", "programmes.LocalOfficer", 60
)
