from stims.core.search import register

from .models import Activity, Agreement, LegalDocument, Plan

register(Plan, "programmes:plan_detail")
register(LegalDocument, "programmes:legaldocument_detail")
register(Agreement, "programmes:agreement_detail")
register(Activity, "programmes:activity_detail")
