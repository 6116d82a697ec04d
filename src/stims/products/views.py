from django.utils import timezone

from stims.core import permissions
from stims.core.views import SearchOptionsView, child_views, model_views

from . import filters, forms, services, tables
from .models import LabellingGuidance, OcopEvaluation, Product, QualityDeclaration, Traceability

product_views = model_views(
    Product,
    form_class=forms.ProductForm,
    table_class=tables.ProductTable,
    filterset_class=filters.ProductFilterSet,
    queryset=lambda: services.with_latest_stars(
        Product.objects.select_related("group", "producer", "admin_unit__province", "admin_unit__parent")
    ),
)


# Evaluations, traceability, guidance and declarations live on their product's page.
evaluation_views = child_views(OcopEvaluation, form_class=forms.OcopEvaluationForm, parent_field="product")
traceability_views = child_views(Traceability, form_class=forms.TraceabilityForm, parent_field="product")
guidance_views = child_views(
    LabellingGuidance, form_class=forms.LabellingGuidanceForm, parent_field="product"
)
declaration_views = child_views(
    QualityDeclaration, form_class=forms.QualityDeclarationForm, parent_field="product"
)


class ProductDetailView(product_views["detail"]):
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


product_views["detail"] = ProductDetailView


class ProductOptionsView(SearchOptionsView):
    """Options for the product search box of child-record forms."""

    model = Product
