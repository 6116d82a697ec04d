"""The public portal: pages anyone may open without signing in.

Every page reads only what `NewsArticle.objects.public()`, `PublicSession` and `public.py` let through.
Pages are cached for anonymous visitors (`cache.py`); visitors are counted without personal data
(`visitors.py`).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.core.cache import cache as django_cache
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from stims.core import events
from stims.core.filters import folded_search_q
from stims.geo.models import AdminUnit, Level
from stims.meetings.models import SessionStatus
from stims.sttasks.models import Task, TaskType

from . import cache, images, public, visitors
from .forms import NewsSearchForm, ProposalForm, TrackForm
from .models import NewsArticle, NewsCategory, NewsTag, PortalProposal, PublicSession

PER_PAGE = 10


def public_articles():
    return NewsArticle.objects.public().select_related("category")


class PublicPageMixin:
    """Counts the visitor, serves an anonymous GET from the portal's cache when it can, and gives every
    page the portal's menu (categories) and the visitor statistics."""

    cached = True

    def dispatch(self, request, *args, **kwargs):
        visitors.count(request)
        self.before_page(request, *args, **kwargs)
        if not (self.cached and request.method == "GET" and not request.user.is_authenticated):
            return super().dispatch(request, *args, **kwargs)
        key = cache.page_key(request)
        hit = django_cache.get(key)
        if hit is not None:
            response = HttpResponse(hit[0], content_type=hit[1])
            response["X-Portal-Cache"] = "hit"
            return response
        response = super().dispatch(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if response.status_code == 200 and not response.cookies:
            django_cache.set(key, (response.content, response["Content-Type"]), cache.TIMEOUT)
        response["X-Portal-Cache"] = "miss"
        return response

    def before_page(self, request, *args, **kwargs):
        """What a page does on every request, cached or not (a news page counts its reader)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["portal_categories"] = list(NewsCategory.objects.all())
        context["visitor_stats"] = visitors.statistics()
        context["catalogues"] = public.CATALOGUES.values()
        return context


class PortalHomeView(PublicPageMixin, generic.TemplateView):
    """The front page: featured and hot news, the latest by category, this week's calendar, open data."""

    template_name = "portal/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = public_articles()
        context["featured"] = list(articles.filter(is_featured=True)[:3])
        context["hot"] = list(articles.filter(is_hot=True)[:5])
        context["latest"] = list(articles[:8])
        context["most_read"] = list(articles.order_by("-view_count", "-publish_at")[:5])
        today = timezone.localdate()
        context["calendar"] = list(
            public_sessions().filter(
                session__held_on__gte=today, session__held_on__lte=today + datetime.timedelta(days=14)
            )[:6]
        )
        context["news_search"] = NewsSearchForm()
        return context


class NewsListView(PublicPageMixin, generic.TemplateView):
    """News, searched by category, words (diacritics optional) and date range; or one category's or
    tag's news."""

    template_name = "portal/news_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = public_articles()
        heading = _("News")
        category = tag = None
        if "category" in self.kwargs:
            category = get_object_or_404(NewsCategory, slug=self.kwargs["category"])
            rows, heading = rows.filter(category=category), category.name
        if "tag" in self.kwargs:
            tag = get_object_or_404(NewsTag, slug=self.kwargs["tag"])
            rows, heading = rows.filter(tags=tag), _("Tag: %(tag)s") % {"tag": tag.name}
        form = NewsSearchForm(self.request.GET or None, initial={"category": category})
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            if data.get("q"):
                rows = rows.filter(folded_search_q(data["q"]))
            if data.get("category"):
                rows = rows.filter(category=data["category"])
            if data.get("date_from"):
                rows = rows.filter(publish_at__date__gte=data["date_from"])
            if data.get("date_to"):
                rows = rows.filter(publish_at__date__lte=data["date_to"])
        elif form.is_bound:
            rows = rows.none()
        page = Paginator(rows, PER_PAGE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            heading=heading, category=category, tag=tag, news_search=form, page_obj=page,
            articles=page.object_list, page_query=query.urlencode(),
        )  # fmt: skip
        return context


class NewsDetailView(PublicPageMixin, generic.TemplateView):
    template_name = "portal/news_detail.html"

    def before_page(self, request, *args, **kwargs):
        if request.method == "GET":
            visitors.count_view(request, kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = get_object_or_404(public_articles().prefetch_related("tags"), slug=self.kwargs["slug"])
        tags = list(article.tags.all())
        related = (
            public_articles()
            .exclude(pk=article.pk)
            .filter(Q(category=article.category_id) | Q(tags__in=tags))
            .distinct()[:4]
        )
        url = self.request.build_absolute_uri(article.get_public_url())
        context.update(
            article=article,
            tags=tags,
            related=list(related),
            absolute_url=url,
            share_links=share_links(url, article.title),
            image_url=self.request.build_absolute_uri(
                reverse("portal:news_image", args=[article.pk, "large"])
            )
            if article.image
            else "",
        )
        return context


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    from urllib.parse import quote

    u, t = quote(url, safe=""), quote(title, safe="")
    return [
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={u}"),
        ("Zalo", f"https://sp.zalo.me/share_inline?d={u}"),
        ("X", f"https://x.com/intent/post?url={u}&text={t}"),
        (_("Email"), f"mailto:?subject={t}&body={u}"),
    ]


class NewsImageView(generic.View):
    """A public article's image in one of its sizes (uploads have no public address of their own)."""

    def get(self, request, pk, size):
        if size not in images.SIZES:
            raise Http404
        article = get_object_or_404(NewsArticle.objects.public().exclude(image=""), pk=pk)
        name = images.rendition_name(article.image.name, size)
        if not default_storage.exists(name):
            raise Http404
        response = FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg")
        response["Cache-Control"] = "public, max-age=86400"
        return response


class NewsRssFeed(Feed):
    title = gettext_lazy("News of the Department of Science and Technology")
    description = gettext_lazy("The latest news published on the department's portal.")

    def link(self):
        return reverse("portal:news_list")

    def items(self):
        return public_articles()[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description()

    def item_link(self, item):
        return item.get_public_url()

    def item_pubdate(self, item):
        return item.publish_at

    def item_categories(self, item):
        return [item.category.name]


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed
    subtitle = NewsRssFeed.description


class NewsSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return public_articles()

    def location(self, item):
        return item.get_public_url()

    def lastmod(self, item):
        return item.updated_at


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["portal:index", "portal:news_list", "portal:calendar", "portal:catalogues", "portal:proposal"]

    def location(self, item):
        return reverse(item)


class RecordsSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return [
            (key, pk)
            for key, catalogue in public.CATALOGUES.items()
            for pk in catalogue.rows().values_list("pk", flat=True)
        ]

    def location(self, item):
        return reverse("portal:catalogue_record", args=item)


SITEMAPS = {"pages": PagesSitemap, "news": NewsSitemap, "records": RecordsSitemap}


# --- The leaders' work calendar --------------------------------------------------------------------


def public_sessions():
    return (
        PublicSession.objects.exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session", "session__chair", "session__host_organization", "session__admin_unit")
        .order_by("session__held_on", "session__start_time")
    )


class CalendarView(PublicPageMixin, generic.TemplateView):
    """The leaders' work calendar (Lịch công tác) for one week: the sessions made public only."""

    template_name = "portal/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            day = datetime.date.fromisoformat(self.request.GET.get("week", ""))
        except ValueError:
            day = timezone.localdate()
        start = day - datetime.timedelta(days=day.weekday())
        end = start + datetime.timedelta(days=6)
        entries = list(public_sessions().filter(session__held_on__range=(start, end)))
        days = []
        for offset in range(7):
            current = start + datetime.timedelta(days=offset)
            days.append((current, [e for e in entries if e.session.held_on == current]))
        context.update(
            days=days, start=start, end=end,
            previous=(start - datetime.timedelta(days=7)).isoformat(),
            next=(start + datetime.timedelta(days=7)).isoformat(),
        )  # fmt: skip
        return context


# --- Public catalogues and open data ---------------------------------------------------------------


def catalogue_or_404(key):
    try:
        return public.CATALOGUES[key]
    except KeyError:
        raise Http404 from None


class CatalogueIndexView(PublicPageMixin, generic.TemplateView):
    template_name = "portal/catalogues.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["licence"], context["licence_url"] = public.LICENCE, public.LICENCE_URL
        return context


def filtered_rows(catalogue, params):
    rows = catalogue.rows()
    q = (params.get("q") or "").strip()
    if q:
        rows = rows.filter(folded_search_q(q))
    if catalogue.key == "products":
        stars = params.get("stars", "")
        if stars.isdigit():
            rows = rows.filter(stars=int(stars))
        unit = params.get("unit", "")
        if unit.isdigit():
            rows = rows.filter(Q(admin_unit=int(unit)) | Q(admin_unit__parent=int(unit)))
    return rows


class CatalogueListView(PublicPageMixin, generic.TemplateView):
    template_name = "portal/catalogue_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        catalogue = catalogue_or_404(self.kwargs["key"])
        rows = filtered_rows(catalogue, self.request.GET)
        page = Paginator(rows, 25).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        shown = catalogue.fields[:4]
        context.update(
            catalogue=catalogue,
            page_obj=page,
            headers=[f.label for f in shown],
            records=[(row.pk, [f.get(row) for f in shown]) for row in page.object_list],
            page_query=query.urlencode(),
            q=self.request.GET.get("q", ""),
            licence=public.LICENCE,
            licence_url=public.LICENCE_URL,
        )
        if catalogue.key == "products":
            context["star_choices"] = [1, 2, 3, 4, 5]
            context["stars"] = self.request.GET.get("stars", "")
            context["unit"] = self.request.GET.get("unit", "")
            context["units"] = (
                AdminUnit.objects.filter(
                    Q(pk__in=catalogue.rows().values("admin_unit"))
                    | Q(children__in=catalogue.rows().values("admin_unit"), level=Level.PROVINCE)
                )
                .distinct()
                .order_by("level", "search_name")
            )
        return context


class CatalogueRecordView(PublicPageMixin, generic.TemplateView):
    template_name = "portal/catalogue_record.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        catalogue = catalogue_or_404(self.kwargs["key"])
        row = get_object_or_404(catalogue.rows(), pk=self.kwargs["pk"])
        context.update(
            catalogue=catalogue,
            title=catalogue.fields[0].get(row),
            fields=[(f.label, f.get(row)) for f in catalogue.fields],
            answerable=row if catalogue.key == "calls" and row.is_open_on(timezone.localdate()) else None,
            licence=public.LICENCE,
            licence_url=public.LICENCE_URL,
        )
        return context


class CatalogueDownloadView(PublicPageMixin, generic.View):
    """The catalogue (as filtered) as open data: CSV (UTF-8 with BOM, the licence on the first line) or
    JSON (the licence beside the records)."""

    def get(self, request, key, fmt):
        catalogue = catalogue_or_404(key)
        records = [catalogue.record(row) for row in filtered_rows(catalogue, request.GET)]
        names = [f.name for f in catalogue.fields]
        if fmt == "json":
            body = {
                "title": str(catalogue.title),
                "licence": str(public.LICENCE),
                "licence_url": public.LICENCE_URL,
                "source": request.build_absolute_uri(reverse("portal:catalogue", args=[key])),
                "fields": {f.name: str(f.label) for f in catalogue.fields},
                "records": records,
            }
            response = HttpResponse(
                json.dumps(body, ensure_ascii=False, default=str, indent=1),
                content_type="application/json; charset=utf-8",
            )
        else:
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response.write("\ufeff")
            writer = csv.writer(response)
            writer.writerow([f"# {public.LICENCE} {public.LICENCE_URL}"])
            writer.writerow(names)
            for record in records:
                writer.writerow([record[name] for name in names])
        response["Content-Disposition"] = f'attachment; filename="{key}.{fmt}"'
        response["Link"] = f'<{public.LICENCE_URL}>; rel="license"'
        return response


# --- Online service: task proposals ----------------------------------------------------------------

PROPOSALS_PER_HOUR = 5


def proposal_units():
    from stims.geo.services import home_province

    province = home_province()
    units = AdminUnit.objects.current()
    if province is not None:
        units = units.filter(Q(pk=province.pk) | Q(province=province))
    return units.order_by("level", "search_name")


def proposal_calls():
    """The calls a proposal sent today may answer: the published ones open today."""
    today = timezone.localdate()
    return public.open_calls().filter(open_from__lte=today)


class ProposalCreateView(PublicPageMixin, generic.FormView):
    """A commune, institute or enterprise proposes a task (đề xuất đặt hàng). It arrives in the tasks
    module as a proposal sent to the department (`sttasks.proposal_submitted`: the staff are told), and
    the sender gets a tracking code. At most PROPOSALS_PER_HOUR per address per hour; a filled
    honeypot field is refused."""

    template_name = "portal/proposal_form.html"
    form_class = ProposalForm
    cached = False

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "units": proposal_units(), "calls": proposal_calls()}

    def get_initial(self):
        # "Propose a task answering this call" on a call's public page.
        call = self.request.GET.get("call", "")
        return {"call": int(call)} if call.isdigit() else {}

    def rate_key(self):
        digest = hashlib.sha256(
            f"{visitors.client_address(self.request)}|{timezone.now():%Y%m%d%H}".encode()
        ).hexdigest()[:24]
        return f"portal:proposals:{digest}"

    def post(self, request, *args, **kwargs):
        key = self.rate_key()
        django_cache.add(key, 0, 3600)
        try:
            sent = django_cache.incr(key)
        except ValueError:
            sent = 1
        if sent > PROPOSALS_PER_HOUR:
            form = self.get_form()
            form.is_valid()
            form.add_error(None, _("Too many proposals from your address; try again in an hour."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        task_type = TaskType.objects.filter(is_active=True).order_by("sort_order", "name").first()
        if task_type is None:
            form.add_error(None, _("The department does not take proposals at the moment."))
            return self.form_invalid(form)
        with transaction.atomic():
            task = Task(
                title=data["title"],
                task_type=task_type,
                ordering_unit=data["ordering_unit"],
                objectives=data["objectives"],
                expected_products=data["expected_products"],
                call=data.get("call"),
                proposal_year=timezone.localdate().year + 1,
                submitted_at=timezone.now(),
            )
            task._change_reason = _("Proposal received on the portal from %(sender)s") % {
                "sender": data["organization_name"]
            }
            task.full_clean(exclude=["code", "state"])
            task.save()
            proposal = PortalProposal.objects.create(
                task=task,
                submitter_kind=data["submitter_kind"],
                organization_name=data["organization_name"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
            )
            events.emit("sttasks.proposal_submitted", task=task, actor=None)
            events.emit("portal.proposal_received", proposal=proposal)
        return HttpResponseRedirect(f"{reverse('portal:track')}?code={proposal.tracking_code}&new=1")


class ProposalTrackView(PublicPageMixin, generic.TemplateView):
    """The sender follows a proposal with its tracking code: where it stands, nothing else."""

    template_name = "portal/proposal_track.html"
    cached = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = TrackForm(self.request.GET or None)
        context["form"] = form
        context["is_new"] = self.request.GET.get("new") == "1"
        if form.is_bound and form.is_valid():
            proposal = (
                PortalProposal.objects.select_related("task", "task__state")
                .filter(tracking_code=form.cleaned_data["code"].strip().upper())
                .first()
            )
            context["searched"] = True
            context["proposal"] = proposal
            if proposal is not None:
                task = proposal.task
                context["status"] = (
                    _("Returned to the sender") if task.submitted_at is None else str(task.state)
                )
        return context
