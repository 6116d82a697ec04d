from django.urls import path

from stims.core.views import model_urls

from . import views
from .models import LabellingGuidance, OcopEvaluation, Product, QualityDeclaration, Traceability

app_name = "products"


urlpatterns = [
    path("options/", views.ProductOptionsView.as_view(), name="product_options"),
    *model_urls(OcopEvaluation, "evaluations"),
    *model_urls(Traceability, "traceability"),
    *model_urls(LabellingGuidance, "labelling-guidance"),
    *model_urls(QualityDeclaration, "quality-declarations"),
    *model_urls(Product, ""),
]
