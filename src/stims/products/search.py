from stims.core.search import register

from .models import Product

Product.search_select_related = ("admin_unit",)
register(Product, "products:product_detail")
