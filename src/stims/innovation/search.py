from stims.core.search import register

from .models import Framework

register(Framework, "innovation:framework_detail")
