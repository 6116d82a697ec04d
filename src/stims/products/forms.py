from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stims.core.forms import ScopedModelForm

from .models import LabellingGuidance, OcopEvaluation, Product, ProductGroup, QualityDeclaration, Traceability

# Products can run to thousands: their fields on child-record forms are search boxes too.
PRODUCT_SEARCH_WIDGETS = {"products.product": "products:product_options"}


class ProductForm(ScopedModelForm):
    class Meta:
        model = Product
        fields = [
            "name",
            "group",
            "producer_kind",
            "producer",
            "producer_name",
            "admin_unit",
            "is_key_product",
            "is_ocop",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Groups no longer in use are not offered, except the one the product already has.
        current = self.instance.group_id if self.instance.pk else None
        self.fields["group"].queryset = ProductGroup.objects.filter(Q(is_active=True) | Q(pk=current))


class _ChildForm(ScopedModelForm):
    search_widgets = PRODUCT_SEARCH_WIDGETS


class OcopEvaluationForm(_ChildForm):
    class Meta:
        model = OcopEvaluation
        fields = [
            "product",
            "year",
            "score_a",
            "score_b",
            "score_c",
            "decision_number",
            "decision_date",
            "certificate_expiry",
            "is_recertification",
        ]

    def clean(self):
        cleaned = super().clean()
        decided, expiry = cleaned.get("decision_date"), cleaned.get("certificate_expiry")
        if decided and expiry and expiry < decided:
            self.add_error(
                "certificate_expiry", _("The certificate cannot expire before the decision that grants it.")
            )
        return cleaned


class TraceabilityForm(_ChildForm):
    class Meta:
        model = Traceability
        fields = ["product", "code_type", "platform", "applied_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


# Guidance and declarations may name the establishment (stims.inspections) they were given to: searched,
# not listed (a province has thousands).
GUIDANCE_SEARCH_WIDGETS = {
    **PRODUCT_SEARCH_WIDGETS,
    "inspections.establishment": "inspections:establishment_options",
}


class LabellingGuidanceForm(_ChildForm):
    search_widgets = GUIDANCE_SEARCH_WIDGETS

    class Meta:
        model = LabellingGuidance
        fields = ["product", "given_on", "given_by", "establishment", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class QualityDeclarationForm(_ChildForm):
    search_widgets = GUIDANCE_SEARCH_WIDGETS

    class Meta:
        model = QualityDeclaration
        fields = ["product", "standard", "declared_on", "document_number", "establishment", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
