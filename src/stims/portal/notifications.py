"""Who hears about the news workflow (stims.core.events): an article sent for approval tells the
department's staff (but its writer); an approved or sent-back article tells its writer."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stims.accounts.models import department_staff
from stims.accounts.notify import event_key, notify, register_kind
from stims.core import events

NEWS = "portal.news"
register_kind(NEWS, gettext_lazy("News articles awaiting approval, approved or sent back"))


@events.listen("portal.article_submitted")
def article_submitted(article, actor, **data):
    users = [user for user in department_staff() if user.pk != getattr(actor, "pk", None)]
    message = _("News article awaiting approval: %(title)s") % {"title": article.title}
    notify(
        users,
        message,
        article.get_absolute_url(),
        dedupe_key=event_key(NEWS, "submitted", article.pk, f"{article.updated_at:%Y%m%d%H%M%S}"),
    )


@events.listen("portal.article_approved")
def article_approved(article, actor, **data):
    if article.author is not None:
        message = _("Your news article was approved: %(title)s") % {"title": article.title}
        notify(
            [article.author],
            message,
            article.get_absolute_url(),
            dedupe_key=event_key(NEWS, "approved", article.pk, f"{article.updated_at:%Y%m%d%H%M%S}"),
        )


@events.listen("portal.article_returned")
def article_returned(article, actor, reason="", **data):
    if article.author is not None:
        message = _("Your news article was sent back: %(reason)s") % {"reason": reason}
        notify(
            [article.author],
            message,
            article.get_absolute_url(),
            dedupe_key=event_key(NEWS, "returned", article.pk, f"{article.updated_at:%Y%m%d%H%M%S}"),
        )
