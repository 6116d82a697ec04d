"""The portal in the staff navigation: a section of its own."""

from django.utils.translation import gettext_lazy as _

from stims.core.context_processors import register_item, register_section

register_section("portal", _("Public portal"), 900)
register_item("portal", _("News"), "portal:newsarticle_list", "portal.NewsArticle", 10)
register_item("portal", _("News categories"), "portal:newscategory_list", "portal.NewsCategory", 20)
register_item("portal", _("News tags"), "portal:newstag_list", "portal.NewsTag", 30)
register_item("portal", _("Public work calendar"), "portal:publicsession_list", "portal.PublicSession", 40)
register_item(
    "portal", _("Proposals received on the portal"), "portal:portalproposal_list", "portal.PortalProposal", 50
)
