"""Generic list / detail / edit / delete / restore views that every domain app builds on.

Each view takes its rows through `permissions.restrict`, so what a page shows, what an export
contains and what the API returns are decided by the same code. A record the user may not see is a
404; a record they may see but not change is a 403.
"""

import functools
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django import urls
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import generic
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from . import concurrency, files, permissions
from .db_routing import replica_reads
from .exports import SafeTableExport
from .filters import active_filters, searched
from .history import history_entries
from .tables import SEARCH_COUNT_CAP, ApproximatePaginator, list_count, shown_fields


class ModelPermissionMixin(LoginRequiredMixin):
    """Refuses a signed-in user who holds no grant of `action` on the model at all (403)."""

    model: Any = None  # the page's model class, set by each page
    action = permissions.VIEW

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_perm(request.user, self.action, self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_queryset(self):
        return permissions.restrict(self.base_queryset(), self.request.user, permissions.VIEW)

    def model_context(self):
        opts = self.model._meta
        user = self.request.user
        return {
            "opts": opts,
            "verbose_name": opts.verbose_name,
            "verbose_name_plural": opts.verbose_name_plural,
            "can_add": permissions.has_perm(user, permissions.ADD, self.model),
            "links": self.links(getattr(self, "object", None)),
        }

    def url_names(self) -> dict[str, str | None]:
        opts = self.model._meta
        prefix = f"{opts.app_label}:{opts.model_name}"
        return {name: f"{prefix}_{name}" for name in ("list", "add", "detail", "edit", "delete", "deleted")}

    def links(self, obj=None) -> dict[str, str | None]:
        """Resolved URLs of the standard views that exist for this model (None where there is none)."""
        resolved: dict[str, str | None] = {}
        for key, name in self.url_names().items():
            needs_pk = key in {"detail", "edit", "delete"}
            if name is None or (needs_pk and obj is None):
                resolved[key] = None
                continue
            try:
                resolved[key] = reverse(name, args=[obj.pk] if needs_pk else [])
            except NoReverseMatch:
                resolved[key] = None
        return resolved


def protected_refusal(name, exc: ProtectedError | RestrictedError) -> str:
    """Why a record that other records refer to (PROTECT) cannot be deleted, naming a few of them."""
    blocking = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or ()
    blockers = ", ".join(sorted({str(o) for o in list(blocking)[:5]}))
    return _("“%(object)s” cannot be deleted because other records refer to it: %(blockers)s.") % {
        "object": name,
        "blockers": blockers,
    }


class ObjectListView(ModelPermissionMixin, ExportMixin, SingleTableMixin, FilterView):
    """A filtered, sortable, paginated table, exportable to CSV and XLSX (`?_export=csv|xlsx`)."""

    template_name = "core/object_list.html"
    # The table pages the rows (and counts them once); the view itself does not paginate, which
    # would run a second COUNT(*) over the same rows (issue #20).
    export_formats = ("csv", "xlsx")
    export_class = SafeTableExport
    table_pagination = {"per_page": 25}

    def get_table_pagination(self, table):
        if self.exporting():
            return False  # an export reads every row: no page, and no count of the rows before the first
        per_page = self.request.GET.get("per_page", "")
        size = int(per_page) if per_page.isdigit() and 0 < int(per_page) <= 500 else 25
        if not isinstance(table.data.data, QuerySet):
            return {"per_page": size}
        # The whole of a huge table is estimated, not counted; a filtered or scoped list is counted, up
        # to SEARCH_COUNT_CAP rows when its search box is used.
        count, approximate = list_count(table.data.data, cap=SEARCH_COUNT_CAP if self.searched() else None)
        return {
            "per_page": size,
            "paginator_class": functools.partial(ApproximatePaginator, count=count, approximate=approximate),
        }

    def searched(self) -> bool:
        """The list's search box (`q`) holds words to look for."""
        filterset = getattr(self, "filterset", None)
        return filterset is not None and searched(filterset.filters, self.request.GET)

    def get_table_data(self):
        """The filtered rows; joined to what the table shows when its class says so (`select_related`
        on the table: a page query joining every relation the detail page needs costs PostgreSQL more
        to plan than to run, issue #20), and only the fields its cells read (`shown_fields`)."""
        data = super().get_table_data()
        table_class = self.get_table_class()
        joins = getattr(table_class, "select_related", None)
        if joins is not None and isinstance(data, QuerySet):
            data = data.select_related(None).select_related(*joins)
        if isinstance(data, QuerySet) and (fields := shown_fields(table_class, data)) is not None:
            data = data.only(*fields)  # the columns the cells read, not all of them (core.tables)
        return data

    def exporting(self) -> bool:
        return self.export_class.is_valid_format(self.request.GET.get(self.export_trigger_param))

    def get(self, request, *args, **kwargs):
        if not self.exporting():
            return super().get(request, *args, **kwargs)
        # An export: the filtered rows straight to the exporter, which streams them (core.exports); the
        # page itself (its table page, its count, its filter form) is never built.
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_bound or self.filterset.is_valid() or not self.get_strict():
            self.object_list = self.filterset.qs
        else:
            self.object_list = self.filterset.queryset.none()
        return self.create_export(request.GET[self.export_trigger_param])

    def dispatch(self, request, *args, **kwargs):
        if request.method == "GET" and request.GET.get("_export"):
            # An export reads every matching row: from the read replica, when there is one.
            with replica_reads():
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_export_filename(self, export_format):
        return f"{self.model._meta.model_name}s.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.model_context())
        context["export_formats"] = self.export_formats
        query = self.request.GET.copy()
        query.pop("_export", None)
        context["export_query"] = query.urlencode()
        filterset = context.get("filter")
        context["active_filters"] = active_filters(filterset) if filterset is not None else []
        return context


class ObjectDetailView(ModelPermissionMixin, generic.DetailView):
    template_name_suffix = "_detail"

    def get_template_names(self):
        return [*super().get_template_names(), "core/object_detail.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.model_context())
        user, obj = self.request.user, self.object
        context["can_change"] = permissions.has_perm(user, permissions.CHANGE, obj)
        context["can_delete"] = permissions.has_perm(user, permissions.DELETE, obj)
        context["history"] = None  # reference data without an audit trail (units) shows no panel
        if hasattr(obj, "history"):
            context["history"] = history_entries(obj.history.select_related("history_user").all()[:50])
        return context


class ScopedFormMixin:
    """Passes the user to the form (for unit and organization choices) and keeps the saved record
    inside the user's scope: a save that would move it out is rolled back with a clear error."""

    # From the edit view this mixes into.
    action: str
    form_invalid: Any

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        with transaction.atomic():
            conflict = self.edit_conflict(form)
            if conflict is not None:
                return self.refuse_stale(form, conflict)
            try:
                self.object = form.save()
            except files.DiskFullError:
                # The disk filled up while an upload was written (the storage removed the partial file).
                transaction.set_rollback(True)
                form.add_error(None, files.DISK_FULL_MESSAGE)
                return self.form_invalid(form)
            visible = (
                permissions.restrict(
                    self.model._default_manager.filter(pk=self.object.pk),
                    self.request.user,
                    permissions.CHANGE,
                ).exists()
                or permissions.restrict(
                    self.model._default_manager.filter(pk=self.object.pk), self.request.user, self.action
                ).exists()
            )
            if not visible:
                transaction.set_rollback(True)
                if self.action == permissions.ADD:
                    self.object = None
                form.add_error(
                    None, _("You may only save records that belong to your own unit or organization.")
                )
                return self.form_invalid(form)
        messages.success(self.request, _("Saved “%(object)s”.") % {"object": self.object})
        return HttpResponseRedirect(self.get_success_url())

    def edit_conflict(self, form) -> concurrency.Conflict | None:
        """On an edit, lock the record and compare it with the version the form showed: someone
        else's save since then (or a form without a version) is a Conflict. Call in the saving
        transaction."""
        instance = form.instance
        if self.action != permissions.CHANGE or instance.pk is None or not concurrency.is_versioned(instance):
            return None
        return concurrency.check(instance, form.submitted_version())

    def refuse_stale(self, form, conflict: concurrency.Conflict):
        """The form again with everything typed kept, why it was refused, and the current version
        in its hidden field: saving once more is a deliberate overwrite."""
        if conflict.deleted:
            raise Http404
        form.add_error(None, conflict.summary())
        for line in conflict.lines():
            form.add_error(None, line)
        form.show_version(concurrency.version_of(conflict.current))
        return self.form_invalid(form)

    def get_success_url(self):
        return self.links(self.object)["detail"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.model_context())
        parent = self.parent_record(context.get("form"))
        context.setdefault("parent", parent)
        if context.get("parent") is not None and not context.get("parent_url"):
            context["parent_url"] = context["parent"].get_absolute_url()
        came_from = return_url(self.request)
        context["next_url"] = came_from
        obj = getattr(self, "object", None)
        context["cancel_url"] = (
            came_from
            or context.get("parent_url")
            or (self.links(obj)["detail"] if obj is not None and obj.pk is not None else None)
            or self.links()["list"]
            or reverse("home")
        )
        return context

    def parent_record(self, form):
        """The record this one belongs to (ChildRecordMixin says which field), for the breadcrumb."""
        return None


class ObjectCreateView(ScopedFormMixin, ModelPermissionMixin, generic.CreateView):
    action = permissions.ADD
    template_name = "core/object_form.html"

    def get_initial(self):
        # Links such as "Add position" on a person's page pre-fill the form: ?person=12
        initial = super().get_initial()
        for name in self.request.GET:
            if name in self.get_form_class().base_fields:
                initial[name] = self.request.GET.get(name)
        return initial


class ObjectUpdateView(ScopedFormMixin, ModelPermissionMixin, generic.UpdateView):
    action = permissions.CHANGE
    template_name = "core/object_form.html"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)  # 404 if the user cannot even see it
        permissions.require(self.request.user, permissions.CHANGE, obj)  # 403 if they see but may not change
        return obj


class ObjectDeleteView(ModelPermissionMixin, generic.DeleteView):
    action = permissions.DELETE
    template_name = "core/object_confirm_delete.html"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        permissions.require(self.request.user, permissions.DELETE, obj)
        return obj

    def get_success_url(self):
        return self.links()["list"] or reverse("home")

    def form_valid(self, form):
        name = str(self.object)
        try:
            with transaction.atomic():
                self.object.delete()
        except ProtectedError as exc:
            messages.error(self.request, protected_refusal(name, exc))
            return HttpResponseRedirect(self.links(self.object)["detail"])
        messages.success(
            self.request,
            _("Deleted “%(object)s”. It can be restored from the deleted records.") % {"object": name},
        )
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.model_context())
        return context


class DeletedObjectsView(ModelPermissionMixin, generic.TemplateView):
    """Deleted records of one model, from their history, each with a Restore button."""

    action = permissions.ADD
    template_name = "core/deleted_list.html"

    def deleted_records(self):
        history = self.model.history.model
        existing = self.model._default_manager.values("pk")
        deleted = (
            history.objects.filter(history_type="-").exclude(id__in=existing).select_related("history_user")
        )
        return permissions.restrict_history(deleted, self.request.user).order_by("-history_date")[:200]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.model_context())
        context["records"] = self.deleted_records()
        return context

    def post(self, request, *args, **kwargs):
        history = self.model.history.model
        visible = permissions.restrict_history(history.objects.filter(history_type="-"), request.user)
        record = get_object_or_404(visible, pk=request.POST.get("history_id"))
        if self.model._default_manager.filter(pk=record.id).exists():
            raise Http404
        with transaction.atomic():
            instance = record.instance
            instance._change_reason = _("Restored from the deleted records")
            instance.save()
            if not permissions.restrict(
                self.model._default_manager.filter(pk=instance.pk), request.user, permissions.ADD
            ).exists():
                raise PermissionDenied
        messages.success(request, _("Restored “%(object)s”.") % {"object": instance})
        return HttpResponseRedirect(self.links(instance)["detail"])


class SearchOptionsView(LoginRequiredMixin, generic.TemplateView):
    """Options for a form's search box (htmx, `core.forms.SearchSelect`): the rows of `base_queryset()`
    the user may act on with `action`, best match first."""

    template_name = "core/select_options.html"
    model: Any = None
    action = permissions.VIEW

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_context_data(self, **kwargs):
        from .search import ranked

        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")
        rows = permissions.restrict(self.base_queryset(), self.request.user, self.action)
        context["options"] = list(ranked(rows, query)[:30]) if query.strip() else []
        return context


class ChildRecordMixin:
    """A record that lives on its parent's page (a position on a person's, an evaluation on a
    product's): after saving or deleting it, go back to the parent; its form's breadcrumb and Cancel
    lead there too."""

    parent_field = ""

    def get_success_url(self):
        # Saved from a detour (a workflow step's "attach the document first"): back to where it began.
        return return_url(self.request) or getattr(self.object, self.parent_field).get_absolute_url()

    def parent_record(self, form):
        obj = getattr(self, "object", None)
        if obj is not None and obj.pk is not None:
            return getattr(obj, self.parent_field, None)
        if form is None or self.parent_field not in form.fields:
            return None
        field = form.fields[self.parent_field]
        value = form[self.parent_field].value()
        queryset = getattr(field, "queryset", None)
        if queryset is None or value in (None, "") or not _is_key(queryset.model, value):
            return None
        # The field's choices are already narrowed to what the user may use: another unit's parent
        # named in the query string is simply no parent.
        return queryset.filter(pk=value).first()


def _is_key(model, value) -> bool:
    try:
        model._meta.pk.to_python(value)
    except ValidationError:
        return False
    return True


NEXT_FIELD = "next"


def return_url(request) -> str | None:
    """Where the user came from, to go back to on Cancel: the form's `next` (kept across a refused
    save), else the page that linked to this one; only a URL of this site, never this page itself."""
    candidates = [request.POST.get(NEXT_FIELD), request.GET.get(NEXT_FIELD)]
    if request.method == "GET":
        candidates.append(request.META.get("HTTP_REFERER"))
    for url in candidates:
        if not url:
            continue
        if not url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            continue
        parts = urlsplit(url)
        if parts.path == request.path:
            continue
        return urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    return None


# --- Where the pages are routed -------------------------------------------------------------------------

# The standard pages of a model and their routes under the model's prefix. `ModelPermissionMixin.links`
# resolves these names (`<app>:<model>_<name>`), so every page links to its siblings that exist.
STANDARD_ROUTES = {
    "list": "",
    "add": "add/",
    "deleted": "deleted/",
    "detail": "<int:pk>/",
    "edit": "<int:pk>/edit/",
    "delete": "<int:pk>/delete/",
}


@dataclass(frozen=True)
class RegisteredView:
    model: Any  # a model class
    name: str
    view: Any  # a class-based view
    route: str

    @property
    def url_name(self) -> str:
        return f"{self.model._meta.model_name}_{self.name}"


_registry: dict[type, dict[str, RegisteredView]] = {}


def register_model_view(model, name: str, *, path: str | None = None):
    """Class decorator: the class is the `name` page of `model` (`"list"`, `"detail"`, …), routed by
    `model_urls` at `path` under the model's prefix (for a standard name, its route in `STANDARD_ROUTES`).

        @register_model_view(Product, "list")
        class ProductListView(ProductRowsMixin, ObjectListView): ...
    """
    if path is None:
        if name not in STANDARD_ROUTES:
            raise ImproperlyConfigured(f"register_model_view({model.__name__}, {name!r}) needs a path")
        path = STANDARD_ROUTES[name]

    def register(cls):
        views = _registry.setdefault(model, {})
        known = views.get(name)
        if known is not None and (known.view.__module__, known.view.__qualname__) != (
            cls.__module__,
            cls.__qualname__,
        ):
            raise ImproperlyConfigured(
                f"Two {name!r} pages for {model.__name__}: {known.view.__qualname__} and {cls.__qualname__}"
            )
        views[name] = RegisteredView(model, name, cls, path)
        return cls

    return register


def registered_views(model=None) -> list[RegisteredView]:
    """The registered pages of `model` (of every model without one): standard pages first, in the
    order of `STANDARD_ROUTES`, then the others in the order they were registered."""
    models = [model] if model is not None else list(_registry)
    order = list(STANDARD_ROUTES)
    found = []
    for each in models:
        views = _registry.get(each, {})
        found += sorted(views.values(), key=lambda v: order.index(v.name) if v.name in order else len(order))
    return found


def model_urls(model, prefix: str) -> list:
    """URL patterns of the registered pages of `model`, named `<model>_<name>` (`product_list`,
    `product_detail`, …), under `prefix/` (at the app's root when `prefix` is empty)."""
    views = registered_views(model)
    if not views:
        raise ImproperlyConfigured(f"No pages registered for {model.__name__}: is its views module imported?")
    return [
        urls.path(f"{prefix}/{view.route}" if prefix else view.route, view.view.as_view(), name=view.url_name)
        for view in views
    ]
