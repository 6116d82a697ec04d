import numpy as np
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import generic

from stims.core.exports import write_workbook
from stims.core.imports import workbook_response
from stims.core.tables import ordered_in_parts
from stims.core.views import (
    ChildRecordMixin,
    DeletedObjectsView,
    ModelPermissionMixin,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    register_model_view,
)

from . import charts, engine, filters, forms, services, tables
from .models import Framework, Indicator, IndicatorGroup, IndicatorValue, Pillar, PublishedScore

# --- Frameworks and their structure -----------------------------------------------------------------------


@register_model_view(Framework, "list")
class FrameworkListView(ObjectListView):
    model = Framework
    table_class = tables.FrameworkTable
    filterset_class = filters.FrameworkFilterSet


@register_model_view(Framework, "detail")
class FrameworkDetailView(ObjectDetailView):
    model = Framework

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fw = self.object
        context["pillars"] = fw.pillars.prefetch_related("groups__indicators").order_by("number")
        units = services.units_of(fw)
        rows = services.completeness(fw, units).values()
        context["completeness"] = sorted(rows, key=lambda r: (r["filled"], r["unit"].code))[:100]
        context["complete_units"] = sum(1 for r in rows if r["filled"] == r["total"] and r["total"])
        context["unit_count"] = len(rows)
        return context


@register_model_view(Framework, "add")
class FrameworkCreateView(ObjectCreateView):
    model = Framework
    form_class = forms.FrameworkForm


@register_model_view(Framework, "edit")
class FrameworkUpdateView(ObjectUpdateView):
    model = Framework
    form_class = forms.FrameworkForm


@register_model_view(Framework, "delete")
class FrameworkDeleteView(ObjectDeleteView):
    model = Framework


@register_model_view(Framework, "deleted")
class FrameworkDeletedView(DeletedObjectsView):
    model = Framework


@register_model_view(Pillar, "detail")
class PillarDetailView(ObjectDetailView):
    model = Pillar


@register_model_view(Pillar, "edit")
class PillarUpdateView(ChildRecordMixin, ObjectUpdateView):
    model = Pillar
    form_class = forms.PillarForm
    parent_field = "framework"


@register_model_view(IndicatorGroup, "detail")
class IndicatorGroupDetailView(ObjectDetailView):
    model = IndicatorGroup


@register_model_view(IndicatorGroup, "edit")
class IndicatorGroupUpdateView(ChildRecordMixin, ObjectUpdateView):
    model = IndicatorGroup
    form_class = forms.IndicatorGroupForm
    parent_field = "pillar"


@register_model_view(Indicator, "detail")
class IndicatorDetailView(ObjectDetailView):
    model = Indicator


@register_model_view(Indicator, "edit")
class IndicatorUpdateView(ChildRecordMixin, ObjectUpdateView):
    model = Indicator
    form_class = forms.IndicatorForm
    parent_field = "group"


# --- Values (data collection) -----------------------------------------------------------------------------


class IndicatorValueRowsMixin:
    def base_queryset(self):
        return IndicatorValue.objects.select_related(
            "indicator", "admin_unit__parent", "admin_unit__province"
        )


def values_framework_by_framework(queryset):
    """`queryset` (indicator values) in the list's order — framework (newest year first, then code),
    pillar, group, indicator, unit — ordered in parts, one a framework (`core.tables.ordered_in_parts`):
    a long list's page reads its keys from the first frameworks' values (a few thousand each, found by
    the values' own indicator keys), not by sorting every value of the country joined to its indicator,
    group, pillar, framework and unit (170,000 values: 120-140 ms a page at national scale; issue #20)."""
    indicators: dict[int, list[int]] = {}  # framework: its indicators, frameworks in the list's order
    framework = "group__pillar__framework"
    for framework_id, indicator_id in Indicator.objects.order_by(
        f"-{framework}__year", f"{framework}__code", framework, "pk"
    ).values_list(framework, "pk"):
        indicators.setdefault(framework_id, []).append(indicator_id)
    parts = [Q(indicator__in=keys) for keys in indicators.values()]
    if not parts:
        return queryset
    return ordered_in_parts(queryset, parts, "indicator", "admin_unit", "pk")


@register_model_view(IndicatorValue, "list")
class IndicatorValueListView(IndicatorValueRowsMixin, ObjectListView):
    model = IndicatorValue
    table_class = tables.IndicatorValueTable
    filterset_class = filters.IndicatorValueFilterSet

    def base_queryset(self):
        return values_framework_by_framework(super().base_queryset())


@register_model_view(IndicatorValue, "detail")
class IndicatorValueDetailView(IndicatorValueRowsMixin, ObjectDetailView):
    model = IndicatorValue


@register_model_view(IndicatorValue, "add")
class IndicatorValueCreateView(ObjectCreateView):
    model = IndicatorValue
    form_class = forms.IndicatorValueForm


@register_model_view(IndicatorValue, "edit")
class IndicatorValueUpdateView(IndicatorValueRowsMixin, ObjectUpdateView):
    model = IndicatorValue
    form_class = forms.IndicatorValueForm


@register_model_view(IndicatorValue, "delete")
class IndicatorValueDeleteView(IndicatorValueRowsMixin, ObjectDeleteView):
    model = IndicatorValue


@register_model_view(IndicatorValue, "deleted")
class IndicatorValueDeletedView(DeletedObjectsView):
    model = IndicatorValue


@register_model_view(PublishedScore, "detail")
class PublishedScoreDetailView(ObjectDetailView):
    model = PublishedScore


@register_model_view(PublishedScore, "add")
class PublishedScoreCreateView(ChildRecordMixin, ObjectCreateView):
    model = PublishedScore
    form_class = forms.PublishedScoreForm
    parent_field = "framework"


@register_model_view(PublishedScore, "edit")
class PublishedScoreUpdateView(ChildRecordMixin, ObjectUpdateView):
    model = PublishedScore
    form_class = forms.PublishedScoreForm
    parent_field = "framework"


@register_model_view(PublishedScore, "delete")
class PublishedScoreDeleteView(ObjectDeleteView):
    model = PublishedScore


# --- Results ----------------------------------------------------------------------------------------------


class FrameworkPageMixin(ModelPermissionMixin):
    """A page of one framework's results: anyone who may read the frameworks (the index is public)."""

    model = Framework

    def framework(self) -> Framework:
        return get_object_or_404(Framework, pk=self.kwargs["pk"])


class ResultsView(FrameworkPageMixin, generic.TemplateView):
    template_name = "innovation/results.html"

    def get(self, request, *args, **kwargs):
        fw = self.framework()
        res = services.results(fw)
        if request.GET.get("_export") == "xlsx":
            return workbook_response(export_workbook(res), f"index-{fw.code}-{fw.year}.xlsx")
        context = self.get_context_data(framework=fw, res=res, rows=res.rows(), pillars=res.frame.pillars)
        context["frameworks"] = Framework.objects.order_by("-year", "code")
        context["bars"] = charts.bars([(r["unit_name"], r["overall"] or 0) for r in context["rows"][:15]])
        return self.render_to_response(context)


class LatestResultsView(ResultsView):
    """/index/ (the menu's entry): the newest province-level framework's results, or a word that there
    is no framework yet."""

    def framework(self):
        return Framework.objects.order_by("unit_level", "-year", "code").first()

    def get(self, request, *args, **kwargs):
        if self.framework() is None:
            return self.render_to_response(
                {"frameworks": [], "no_framework": True}, template="innovation/no_framework.html"
            )
        return super().get(request, *args, **kwargs)

    def render_to_response(self, context, template=None, **kwargs):
        if template:
            return TemplateResponse(self.request, template, context)
        return super().render_to_response(context, **kwargs)


def export_workbook(res: services.Results) -> bytes:
    headers = [
        _("Rank"),
        _("Code"),
        _("Unit"),
        _("Overall score"),
        _("Input sub-index"),
        _("Output sub-index"),
        _("Efficiency ratio"),
        *[p.name for p in res.frame.pillars],
        _("Indicators filled"),
        _("Published score"),
        _("Published rank"),
        _("Difference"),
    ]
    rows = [
        [
            r["rank"],
            r["unit_code"],
            r["unit_name"],
            r["overall"],
            r["input"],
            r["output"],
            r["efficiency"],
            *r["pillars"],
            r["filled"],
            r["published_overall"],
            r["published_rank"],
            r["difference"],
        ]
        for r in res.rows()
    ]
    return write_workbook(headers, rows, title=f"{res.framework.code} {res.framework.year}")


class UnitResultMixin(FrameworkPageMixin):
    def unit_context(self, fw, unit_pk, overrides=None):
        res = services.results(fw, overrides=overrides)
        try:
            i = res.index_of(int(unit_pk))
        except KeyError:
            raise Http404 from None
        return res, i


class UnitResultView(UnitResultMixin, generic.TemplateView):
    template_name = "innovation/unit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fw = self.framework()
        res, i = self.unit_context(fw, kwargs["unit"])
        r = res.result
        unit = res.units[i]
        pillar_pct = engine.percentile_rank(r.pillars)[i]
        ind_pct = engine.percentile_rank(r.normalised)[i]
        median = np.nanmedian(r.pillars, axis=0)
        indicators = []
        for j, ind in enumerate(res.frame.indicators):
            indicators.append(
                {
                    "indicator": ind,
                    "raw": None if np.isnan(res.raw[i, j]) else res.raw[i, j],
                    "score": services._num(r.normalised[i, j]),
                    "percentile": services._num(ind_pct[j], 0),
                    "contribution": services._num(r.contributions[i, j], 3),
                    "treatment": r.treatment[j],
                }
            )
        ranked = [x for x in indicators if x["percentile"] is not None]
        ranked.sort(key=lambda x: x["percentile"])
        history = services.rank_history(fw, unit, res)
        context.update(
            framework=fw,
            unit=unit,
            row=next(row for row in res.rows() if row["unit_id"] == unit.pk),
            of=int(np.sum(r.rank > 0)),
            pillars=[
                {
                    "pillar": p,
                    "score": services._num(r.pillars[i, k]),
                    "percentile": services._num(pillar_pct[k], 0),
                }
                for k, p in enumerate(res.frame.pillars)
            ],
            groups=[
                {"group": g, "score": services._num(r.groups[i, k])} for k, g in enumerate(res.frame.groups)
            ],
            indicators=indicators,
            strengths=list(reversed(ranked[-5:])),
            weaknesses=ranked[:5],
            radar=charts.radar(
                [p.name for p in res.frame.pillars],
                [(str(unit.short_name), list(r.pillars[i])), (_("Median of all units"), list(median))],
            ),
            history=history,
            trend=charts.rank_trend(
                [(f"{h['year']} · {h['unit'].short_name}", h["rank"], h["of"]) for h in history if h["rank"]]
            ),
            whatif_form=forms.WhatIfForm(framework=fw),
        )
        return context


class WhatIfView(UnitResultMixin, generic.TemplateView):
    """POST (htmx): a changed value → the new score and rank; nothing is saved."""

    template_name = "innovation/whatif.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        fw = self.framework()
        before, i = self.unit_context(fw, kwargs["unit"])
        form = forms.WhatIfForm(request.POST, framework=fw)
        context = {"framework": fw, "form": form}
        if form.is_valid():
            ind = form.cleaned_data["indicator"]
            after, _i = self.unit_context(
                fw, kwargs["unit"], {(int(kwargs["unit"]), ind.pk): form.cleaned_data["value"]}
            )
            context.update(
                indicator=ind,
                value=form.cleaned_data["value"],
                before_score=services._num(before.result.overall[i]),
                before_rank=int(before.result.rank[i]),
                after_score=services._num(after.result.overall[i]),
                after_rank=int(after.result.rank[i]),
            )
        return self.render_to_response(context, status=200 if form.is_valid() else 400)


class CompareView(FrameworkPageMixin, generic.TemplateView):
    template_name = "innovation/compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fw = self.framework()
        res = services.results(fw)
        chosen = [int(u) for u in self.request.GET.getlist("units") if u.isdigit()][:5]
        index = {u.pk: i for i, u in enumerate(res.units)}
        chosen = [u for u in chosen if u in index]
        r = res.result
        columns = [{"unit": res.units[index[u]], "i": index[u]} for u in chosen]
        lines = [
            {"label": _("Overall score"), "values": [services._num(r.overall[c["i"]]) for c in columns]},
            {"label": _("Rank"), "values": [int(r.rank[c["i"]]) for c in columns]},
            {
                "label": _("Input sub-index"),
                "values": [services._num(r.sub_indices[c["i"], 0]) for c in columns],
            },
            {
                "label": _("Output sub-index"),
                "values": [services._num(r.sub_indices[c["i"], 1]) for c in columns],
            },
            *[
                {"label": p.name, "values": [services._num(r.pillars[c["i"], k]) for c in columns]}
                for k, p in enumerate(res.frame.pillars)
            ],
        ]
        context.update(
            framework=fw,
            columns=columns,
            lines=lines,
            units=res.units,
            chosen=chosen,
            radar=charts.radar(
                [p.name for p in res.frame.pillars],
                [(str(c["unit"].short_name), list(r.pillars[c["i"]])) for c in columns],
            )
            if columns
            else "",
        )
        return context


class RobustnessView(FrameworkPageMixin, generic.TemplateView):
    """The Monte Carlo: each unit's median rank and 90 % interval over 1,000 draws of weights and
    normalisation."""

    template_name = "innovation/robustness.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fw = self.framework()
        res = services.results(fw)
        mc = engine.monte_carlo(
            res.raw, res.frame.structure, services.options_of(fw), draws=1000, seed=fw.year
        )
        rows = [
            {
                "unit": u,
                "rank": int(res.result.rank[i]) or None,
                "median": mc.median_rank[i],
                "low": mc.low[i],
                "high": mc.high[i],
            }
            for i, u in enumerate(res.units)
        ]
        rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0))
        context.update(framework=fw, rows=rows, draws=mc.draws)
        return context
