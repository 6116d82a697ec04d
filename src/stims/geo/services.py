"""Queries over administrative units that the rest of STIMS relies on (scopes and roll-ups)."""

from django.db.models import Case, F, IntegerField, Q, When

from .models import AdminUnit, AdminUnitSuccession, Generation, Level


def covered_units_q(unit: AdminUnit) -> Q:
    """The units whose records belong to someone responsible for `unit`.

    That is the unit itself, every unit under it, and, across the 2025 reform, the units it came
    from or became: a post-reform commune covers the legacy communes merged into it and the legacy
    district they belonged to (so a 2023 district record stays visible to today's commune); a legacy
    district covers its communes and the communes they became.
    """
    if unit.level == Level.PROVINCE:
        pairs = AdminUnitSuccession.objects.filter(Q(predecessor=unit) | Q(successor=unit)).values_list(
            "predecessor_id", "successor_id"
        )
        province_ids = {unit.pk} | {pk for pair in pairs for pk in pair}
        return Q(province_id__in=province_ids) | Q(pk__in=province_ids)

    own = {unit.pk} | set(AdminUnit.objects.filter(parent=unit).values_list("pk", flat=True))
    successions = AdminUnitSuccession.objects.filter(Q(predecessor_id__in=own) | Q(successor_id__in=own))
    linked: set[int] = set()
    for predecessor_id, successor_id, predecessor_parent_id in successions.values_list(
        "predecessor_id", "successor_id", "predecessor__parent_id"
    ):
        linked.update((predecessor_id, successor_id))
        if unit.generation != "legacy" and predecessor_parent_id and unit.level == Level.COMMUNE:
            linked.add(predecessor_parent_id)
    return Q(pk__in=own | linked)


def current_successors(unit: AdminUnit):
    """Today's units that a legacy unit rolled up into (itself if already post-reform)."""
    if not unit.is_legacy:
        return AdminUnit.objects.filter(pk=unit.pk)
    if unit.level == Level.DISTRICT:
        sources = AdminUnit.objects.filter(parent=unit).values("pk")
        return AdminUnit.objects.filter(predecessions__predecessor__in=sources).distinct().order_by("code")
    return AdminUnit.objects.filter(predecessions__predecessor=unit).distinct().order_by("code")


def current_province(unit: AdminUnit) -> AdminUnit | None:
    """The post-reform province a unit (of either generation) belongs to today."""
    province = unit if unit.level == Level.PROVINCE else unit.province
    if province is None or not province.is_legacy:
        return province
    return AdminUnit.objects.filter(predecessions__predecessor=province).first()


def home_province() -> AdminUnit | None:
    from django.conf import settings

    return AdminUnit.objects.current().provinces().filter(code=settings.STIMS_PROVINCE).first()


def locality_row_unit(prefix: str):
    """The row of the per-locality table a record's unit falls in: a legacy commune rolls up to its
    district; districts, today's communes and provinces are rows of their own."""
    return Case(
        When(
            Q(**{f"{prefix}level": Level.COMMUNE, f"{prefix}generation": Generation.LEGACY})
            & Q(**{f"{prefix}parent__isnull": False}),
            then=F(f"{prefix}parent_id"),
        ),
        default=F(f"{prefix}id"),
        output_field=IntegerField(),
    )
