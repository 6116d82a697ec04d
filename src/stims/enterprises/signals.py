"""An S&T enterprise is searched by its organization's name and tax code: keep that text current
when the organization is edited (the enterprise's own history is left alone: nothing of it changed)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from stims.core.text import fold
from stims.orgs.models import Organization

from .models import StEnterprise


@receiver(post_save, sender=Organization, dispatch_uid="enterprises_refresh_search_text")
def refresh_enterprise_search_text(sender, instance, raw=False, **kwargs):
    if raw:
        return
    for enterprise in StEnterprise.objects.filter(organization=instance):
        enterprise.organization = instance
        StEnterprise.objects.filter(pk=enterprise.pk).update(
            search_text=enterprise.build_search_text(), search_name=fold(instance.name)[:255]
        )
