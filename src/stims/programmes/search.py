from stims.core.forms import register_search_widget
from stims.core.search import register

from .models import Activity, Agreement, LegalDocument, Plan

register(Plan, "programmes:plan_detail")
register(LegalDocument, "programmes:legaldocument_detail")
register(Agreement, "programmes:agreement_detail")
register(Activity, "programmes:activity_detail")

# Form fields choosing a policy or legal document get a search box instead of a <select>: a national
# deployment holds tens of thousands of them (40,000 in the national data set: a select of all of them
# took 2 s on each document's page; issue #20).
register_search_widget("programmes.legaldocument", "programmes:legaldocument_options")
