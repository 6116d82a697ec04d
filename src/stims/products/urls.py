from django.urls import path

from stims.core.views import crud_urls

from . import views
from .models import LabellingGuidance, OcopEvaluation, Product, QualityDeclaration, Traceability

app_name = "products"


urlpatterns = [
    path("options/", views.ProductOptionsView.as_view(), name="product_options"),
    *crud_urls(OcopEvaluation, views.evaluation_views, "evaluations"),
    *crud_urls(Traceability, views.traceability_views, "traceability"),
    *crud_urls(LabellingGuidance, views.guidance_views, "labelling-guidance"),
    *crud_urls(QualityDeclaration, views.declaration_views, "quality-declarations"),
    *crud_urls(Product, views.product_views, ""),
]
