from django.utils import timezone

from stims.core import permissions
from stims.core.views import (
    ChildRecordMixin,
    DeletedObjectsView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    SearchOptionsView,
    register_model_view,
)

from . import filters, forms, services, tables
from .models import LabellingGuidance, OcopEvaluation, Product, QualityDeclaration, Traceability

# --- Products ---------------------------------------------------------------------------------------


class ProductRowsMixin:
    def base_queryset(self):
        return services.with_latest_stars(
            Product.objects.select_related("group", "producer", "admin_unit__province", "admin_unit__parent")
        )


@register_model_view(Product, "list")
class ProductListView(ProductRowsMixin, ObjectListView):
    model = Product
    table_class = tables.ProductTable
    filterset_class = filters.ProductFilterSet


@register_model_view(Product, "detail")
class ProductDetailView(ProductRowsMixin, ObjectDetailView):
    model = Product

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, product = self.request.user, self.object
        today = timezone.localdate()
        evaluations = list(product.evaluations.order_by("-year", "-pk"))
        for evaluation in evaluations:
            evaluation.certificate_status = services.certificate_status(evaluation, today)
            evaluation.stars_text = tables.stars_text(evaluation.stars)
        context["evaluations"] = evaluations
        context["traceability"] = product.traceability.all()
        context["labelling_guidance"] = product.labelling_guidance.select_related("given_by")
        context["quality_declarations"] = product.quality_declarations.all()
        context["ip_assets"] = permissions.restrict(product.ip_assets.all(), user).order_by("pk")
        for key, model in {
            "evaluation": OcopEvaluation,
            "traceability": Traceability,
            "guidance": LabellingGuidance,
            "declaration": QualityDeclaration,
        }.items():
            context[f"can_add_{key}"] = permissions.has_perm(user, permissions.ADD, model)
            context[f"can_change_{key}"] = permissions.has_perm(user, permissions.CHANGE, model)
        return context


@register_model_view(Product, "add")
class ProductCreateView(ObjectCreateView):
    model = Product
    form_class = forms.ProductForm


@register_model_view(Product, "edit")
class ProductUpdateView(ProductRowsMixin, ObjectUpdateView):
    model = Product
    form_class = forms.ProductForm


@register_model_view(Product, "delete")
class ProductDeleteView(ProductRowsMixin, ObjectDeleteView):
    model = Product


@register_model_view(Product, "deleted")
class ProductDeletedView(DeletedObjectsView):
    model = Product


# --- Evaluations, traceability, guidance and declarations: on their product's page ---------------------


class OcopEvaluationRowsMixin:
    def base_queryset(self):
        return OcopEvaluation.objects.select_related("product")


@register_model_view(OcopEvaluation, "detail")
class OcopEvaluationDetailView(OcopEvaluationRowsMixin, ObjectDetailView):
    model = OcopEvaluation


@register_model_view(OcopEvaluation, "add")
class OcopEvaluationCreateView(ChildRecordMixin, ObjectCreateView):
    model = OcopEvaluation
    form_class = forms.OcopEvaluationForm
    parent_field = "product"


@register_model_view(OcopEvaluation, "edit")
class OcopEvaluationUpdateView(ChildRecordMixin, OcopEvaluationRowsMixin, ObjectUpdateView):
    model = OcopEvaluation
    form_class = forms.OcopEvaluationForm
    parent_field = "product"


@register_model_view(OcopEvaluation, "delete")
class OcopEvaluationDeleteView(ChildRecordMixin, OcopEvaluationRowsMixin, ObjectDeleteView):
    model = OcopEvaluation
    parent_field = "product"


class TraceabilityRowsMixin:
    def base_queryset(self):
        return Traceability.objects.select_related("product")


@register_model_view(Traceability, "detail")
class TraceabilityDetailView(TraceabilityRowsMixin, ObjectDetailView):
    model = Traceability


@register_model_view(Traceability, "add")
class TraceabilityCreateView(ChildRecordMixin, ObjectCreateView):
    model = Traceability
    form_class = forms.TraceabilityForm
    parent_field = "product"


@register_model_view(Traceability, "edit")
class TraceabilityUpdateView(ChildRecordMixin, TraceabilityRowsMixin, ObjectUpdateView):
    model = Traceability
    form_class = forms.TraceabilityForm
    parent_field = "product"


@register_model_view(Traceability, "delete")
class TraceabilityDeleteView(ChildRecordMixin, TraceabilityRowsMixin, ObjectDeleteView):
    model = Traceability
    parent_field = "product"


class LabellingGuidanceRowsMixin:
    def base_queryset(self):
        return LabellingGuidance.objects.select_related("product")


@register_model_view(LabellingGuidance, "detail")
class LabellingGuidanceDetailView(LabellingGuidanceRowsMixin, ObjectDetailView):
    model = LabellingGuidance


@register_model_view(LabellingGuidance, "add")
class LabellingGuidanceCreateView(ChildRecordMixin, ObjectCreateView):
    model = LabellingGuidance
    form_class = forms.LabellingGuidanceForm
    parent_field = "product"


@register_model_view(LabellingGuidance, "edit")
class LabellingGuidanceUpdateView(ChildRecordMixin, LabellingGuidanceRowsMixin, ObjectUpdateView):
    model = LabellingGuidance
    form_class = forms.LabellingGuidanceForm
    parent_field = "product"


@register_model_view(LabellingGuidance, "delete")
class LabellingGuidanceDeleteView(ChildRecordMixin, LabellingGuidanceRowsMixin, ObjectDeleteView):
    model = LabellingGuidance
    parent_field = "product"


class QualityDeclarationRowsMixin:
    def base_queryset(self):
        return QualityDeclaration.objects.select_related("product")


@register_model_view(QualityDeclaration, "detail")
class QualityDeclarationDetailView(QualityDeclarationRowsMixin, ObjectDetailView):
    model = QualityDeclaration


@register_model_view(QualityDeclaration, "add")
class QualityDeclarationCreateView(ChildRecordMixin, ObjectCreateView):
    model = QualityDeclaration
    form_class = forms.QualityDeclarationForm
    parent_field = "product"


@register_model_view(QualityDeclaration, "edit")
class QualityDeclarationUpdateView(ChildRecordMixin, QualityDeclarationRowsMixin, ObjectUpdateView):
    model = QualityDeclaration
    form_class = forms.QualityDeclarationForm
    parent_field = "product"


@register_model_view(QualityDeclaration, "delete")
class QualityDeclarationDeleteView(ChildRecordMixin, QualityDeclarationRowsMixin, ObjectDeleteView):
    model = QualityDeclaration
    parent_field = "product"


class ProductOptionsView(SearchOptionsView):
    """Options for the product search box of child-record forms."""

    model = Product
