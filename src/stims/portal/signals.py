"""Whatever changes what the portal shows empties its page cache (cache.invalidate): the portal's own
records, and the domain records its catalogues and calendar read."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from . import cache

WATCHED = (
    "portal.NewsArticle", "portal.NewsCategory", "portal.NewsTag", "portal.PublicSession",
    "meetings.WorkingSession", "sttasks.Task", "results.TaskResult", "products.Product",
    "products.OcopEvaluation", "ip.IpAsset", "enterprises.StEnterprise", "orgs.Organization", "sttasks.Call",
)  # fmt: skip


def _label(sender) -> str:
    return f"{sender._meta.app_label}.{sender.__name__}"


@receiver(post_save)
@receiver(post_delete)
def changed(sender, **kwargs):
    if getattr(sender, "_meta", None) is not None and _label(sender) in WATCHED:
        cache.invalidate()


@receiver(m2m_changed)
def tags_changed(sender, **kwargs):
    if sender._meta.label == "portal.NewsArticle_tags":
        cache.invalidate()
