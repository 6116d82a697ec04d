"""The registry figures of a locality, in one place: the dashboard page and the API both call
`figures_for`, so they cannot disagree.

A locality is any administrative unit, of either generation. Its records are the ones *located* in
it: attached to the unit itself or to a unit under it (a legacy district's communes; every unit of a
province). Today's province also takes in the legacy province(s) it continues, so the home
province's figures include the 2022–2023 records kept on legacy districts such as Huyện Ba Chẽ.
This is narrower than `geo.services.covered_units_q` (who is responsible for what): a post-reform
commune does not count the records of the legacy district it was carved out of, which would count
the same product in several communes.

Every figure is taken through `permissions.restrict` for the viewing user, so a user sees the
figures of the records they may see and nothing else: a local officer of Bình Liêu who asks for Ba
Chẽ gets zeros, not an error (the units themselves are public reference data).

The number of queries does not depend on the number of records: counts are SQL aggregates over
`Exists`/`Subquery` annotations, never a loop over products.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stims.core import aggregates, permissions
from stims.enterprises.models import StEnterprise
from stims.geo.models import AdminUnit, AdminUnitSuccession, Generation, Level
from stims.geo.services import locality_row_unit
from stims.ip.models import IpAsset
from stims.products.models import LabellingGuidance, OcopEvaluation, Product, Traceability

from .models import Indicator, Target

EXPIRY_WINDOW_DAYS = 365
EXPIRING_LIST_LIMIT = 50


# --- Localities --------------------------------------------------------------------------------------
def located_units_q(unit: AdminUnit, prefix: str = "") -> Q:
    """Units located in `unit`: itself and the units under it (for a province, every unit of it and of
    the legacy province(s) it continues). `prefix` is the path from the queried model to the unit,
    e.g. "admin_unit__"."""
    if unit.level == Level.PROVINCE:
        provinces = {unit.pk}
        if unit.generation == Generation.CURRENT:
            provinces |= set(
                AdminUnitSuccession.objects.filter(
                    successor=unit, predecessor__level=Level.PROVINCE
                ).values_list("predecessor_id", flat=True)
            )
        return Q(**{f"{prefix}province_id__in": provinces}) | Q(**{f"{prefix}pk__in": provinces})
    return Q(**{f"{prefix}pk": unit.pk}) | Q(**{f"{prefix}parent_id": unit.pk})


def home_province() -> AdminUnit | None:
    from stims.geo.services import home_province as _home

    return _home()


def locality_choices(province: AdminUnit) -> list[tuple[str, list[AdminUnit]]]:
    """The picker's groups: the province (today's and the legacy one(s) it continues), the districts
    before 2025, today's communes and the communes before 2025 — one query."""
    provinces = {province.pk} | set(
        AdminUnitSuccession.objects.filter(successor=province, predecessor__level=Level.PROVINCE).values_list(
            "predecessor_id", flat=True
        )
    )
    units = list(
        AdminUnit.objects.filter(Q(pk__in=provinces) | Q(province_id__in=provinces))
        .select_related("parent")
        .order_by("search_name")
    )
    groups = [
        (_("Province"), [u for u in units if u.level == Level.PROVINCE]),
        (_("Districts (before 2025)"), [u for u in units if u.level == Level.DISTRICT]),
        (_("Communes (from 2025)"), [u for u in units if u.level == Level.COMMUNE and not u.is_legacy]),
        (_("Communes (before 2025)"), [u for u in units if u.level == Level.COMMUNE and u.is_legacy]),
    ]
    return [(label, members) for label, members in groups if members]


# --- Figures -----------------------------------------------------------------------------------------
def pct(part: int, whole: int) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1")) if whole else None


@dataclass
class TargetProgress:
    target_id: int
    unit_id: int
    unit_name: str
    indicator: str
    indicator_label: str
    target: Decimal
    actual: Decimal
    is_percent: bool
    progress_pct: Decimal | None  # actual as a share of the target, capped at 100 for the bar

    @property
    def bar(self) -> int:
        return int(min(self.progress_pct or 0, 100))

    @property
    def met(self) -> bool:
        return self.actual >= self.target


@dataclass
class ExpiringTitle:
    id: int
    name: str
    ip_type: str
    owner: str
    title_number: str
    expiry_date: datetime.date
    unit_name: str


@dataclass
class LocalityRow:
    unit_id: int
    unit_name: str
    generation: str
    ocop_products: int = 0
    stars_3: int = 0
    stars_4: int = 0
    stars_5: int = 0
    without_stars: int = 0
    key_or_ocop: int = 0
    key_or_ocop_with_ip: int = 0
    with_traceability: int = 0
    with_labelling: int = 0
    st_certified_in_year: int = 0

    @property
    def ip_pct(self) -> Decimal | None:
        return pct(self.key_or_ocop_with_ip, self.key_or_ocop)

    @property
    def rated_3_or_more(self) -> int:
        return self.stars_3 + self.stars_4 + self.stars_5


@dataclass
class Figures:
    unit_id: int
    unit_name: str
    year: int
    # OCOP products by the stars of their latest evaluation up to `year`.
    ocop_products: int = 0
    stars_3: int = 0
    stars_4: int = 0
    stars_5: int = 0
    without_stars: int = 0  # in the programme, but rated below 3 stars or not rated yet
    # Key and OCOP products protected by an IP asset whose status means protection (target 100%).
    key_or_ocop: int = 0
    key_or_ocop_with_ip: int = 0
    key_or_ocop_with_ip_pct: Decimal | None = None
    with_traceability: int = 0
    with_traceability_pct: Decimal | None = None
    with_labelling: int = 0  # products given labelling guidance up to `year`
    labelling_in_year: int = 0  # … and in `year` itself
    st_enterprises: int = 0  # S&T enterprises with a certificate in force
    st_certified_in_year: int = 0
    st_target: Decimal | None = None
    expiring: list[ExpiringTitle] = field(default_factory=list)
    targets: list[TargetProgress] = field(default_factory=list)

    @property
    def rated_3_or_more(self) -> int:
        return self.stars_3 + self.stars_4 + self.stars_5

    def star_bars(self) -> list[dict]:
        """Rows of the stars bar chart, widths relative to the OCOP total."""
        rows = [
            ("5", self.stars_5),
            ("4", self.stars_4),
            ("3", self.stars_3),
            ("0", self.without_stars),
        ]
        top = max([count for _stars, count in rows] + [1])
        return [
            {"stars": int(stars), "count": count, "width": round(100 * count / top)} for stars, count in rows
        ]

    def as_dict(self, rows: list[LocalityRow] = ()) -> dict:
        """JSON-ready figures (the API's body), with the per-locality rows of a province."""
        data = asdict(self)
        data["localities"] = [
            {**asdict(row), "ip_pct": float(row.ip_pct) if row.ip_pct is not None else None} for row in rows
        ]
        data["rated_3_or_more"] = self.rated_3_or_more
        for key, value in list(data.items()):
            if isinstance(value, Decimal):
                data[key] = float(value)
        data["expiring"] = [
            {**row, "expiry_date": row["expiry_date"].isoformat()} for row in data["expiring"]
        ]
        data["targets"] = [
            {
                **{k: v for k, v in row.items()},
                "target": float(row["target"]),
                "actual": float(row["actual"]),
                "progress_pct": float(row["progress_pct"]) if row["progress_pct"] is not None else None,
            }
            for row in data["targets"]
        ]
        return data


def _latest_stars(year: int):
    return Subquery(
        OcopEvaluation.objects.filter(product=OuterRef("pk"), year__lte=year)
        .order_by("-year")
        .values("stars")[:1]
    )


def _product_counts(year: int, user) -> dict:
    """Conditional counts over the visible products, given as `Count(...)` keyword arguments."""
    end_of_year = datetime.date(year, 12, 31)
    protected = permissions.restrict(IpAsset.objects.all(), user).filter(
        products=OuterRef("pk"), status__is_protected=True
    )
    traced = Traceability.objects.filter(product=OuterRef("pk"), applied_on__lte=end_of_year)
    guided = LabellingGuidance.objects.filter(product=OuterRef("pk"), given_on__lte=end_of_year)
    guided_in_year = LabellingGuidance.objects.filter(product=OuterRef("pk"), given_on__year=year)
    annotations = {
        "has_ip": Exists(protected),
        "has_trace": Exists(traced),
        "has_label": Exists(guided),
        "has_label_in_year": Exists(guided_in_year),
    }
    ocop = Q(is_ocop=True)
    key_or_ocop = Q(is_ocop=True) | Q(is_key_product=True)
    counts = {
        "ocop_products": Count("pk", filter=ocop),
        "key_or_ocop": Count("pk", filter=key_or_ocop),
        "key_or_ocop_with_ip": Count("pk", filter=key_or_ocop & Q(has_ip=True)),
        "with_traceability": Count("pk", filter=ocop & Q(has_trace=True)),
        "with_labelling": Count("pk", filter=Q(has_label=True)),
        "labelling_in_year": Count("pk", filter=Q(has_label_in_year=True)),
    }
    return annotations, counts


def _stars(products, year: int, group: str | None = None) -> dict:
    """OCOP products by the stars of their latest evaluation up to `year`: {group: {stars: n}}.

    Grouping by the latest-stars subquery evaluates it once per product; three `COUNT … FILTER`
    clauses over it evaluated it three times (issue #20)."""
    fields = ([group] if group else []) + ["latest_stars"]
    rows = (
        products.filter(is_ocop=True)
        .annotate(latest_stars=_latest_stars(year))
        .values(*fields)
        .annotate(n=Count("pk"))
        .order_by()
    )
    result: dict = {}
    for row in rows:
        result.setdefault(row[group] if group else None, {})[row["latest_stars"]] = row["n"]
    return result


def _set_stars(target, by_stars: dict) -> None:
    target.stars_3, target.stars_4, target.stars_5 = (by_stars.get(n, 0) for n in (3, 4, 5))


def _visible_products(user):
    return permissions.restrict(Product.objects.all(), user)


def _visible_st_enterprises(user):
    return permissions.restrict(StEnterprise.objects.all(), user)


def _progress(target: Target, actual) -> TargetProgress:
    actual = Decimal(actual if actual is not None else 0)
    share = (Decimal(100) * actual / target.value).quantize(Decimal("0.1")) if target.value else None
    return TargetProgress(
        target_id=target.pk,
        unit_id=target.admin_unit_id,
        unit_name=target.admin_unit.name,
        indicator=target.indicator,
        indicator_label=str(target.get_indicator_display()),
        target=target.value,
        actual=actual,
        is_percent=target.indicator.endswith("_pct"),
        progress_pct=share,
    )


def _actual_for(indicator: str, source) -> Decimal | int | None:
    if indicator == Indicator.KEY_PRODUCTS_WITH_IP:
        return pct(source.key_or_ocop_with_ip, source.key_or_ocop) or 0
    if indicator == Indicator.NEW_ST_ENTERPRISES:
        return source.st_certified_in_year
    if indicator == Indicator.OCOP_3_STARS_OR_MORE:
        return source.rated_3_or_more
    if indicator == Indicator.PRODUCTS_WITH_TRACEABILITY:
        return pct(source.with_traceability, source.ocop_products) or 0
    return None


def cached_figures_for(unit: AdminUnit, year: int, user) -> tuple[Figures, list[LocalityRow]]:
    """`figures_for`, kept in the cache per scope of visibility while no table it reads changes
    (core.aggregates): the dashboard and its API."""
    return aggregates.cached(
        "registries.figures",
        lambda: figures_for(unit, year, user),
        depends_on=["products", "ip", "enterprises", "registries", "geo", "orgs"],
        scope=aggregates.scope_of(user),
        parts=[unit.pk, year, timezone.localdate()],
        stale_for=user,
    )


def figures_for(unit: AdminUnit, year: int, user) -> tuple[Figures, list[LocalityRow]]:
    """The figures of `unit` in `year` as `user` may see them, and for a province its per-locality
    rows (one per district or commune having records; targets of those units show progress too).

    Queries, whatever the data size: two for the products (their counts, and their latest stars
    grouped once), one for the S&T enterprises, one for expiring titles, one for the targets; for a
    province the product queries are grouped by row and the totals summed from them, plus one for the
    enterprises by row and one for the rows' units.
    """
    with_rows = unit.level == Level.PROVINCE
    today = timezone.localdate()
    figures = Figures(unit_id=unit.pk, unit_name=str(unit), year=year)
    located = located_units_q(unit, "admin_unit__")

    annotations, counts = _product_counts(year, user)
    products = _visible_products(user).filter(located).annotate(**annotations)
    row_map: dict[int, LocalityRow] = {}
    if with_rows:
        # A province's totals are the sum of its rows (every product falls in one row, or in the
        # group of products outside any row): one pass over the products, not two.
        row_map, totals, by_stars = _locality_rows(unit, year, user, products, counts)
    else:
        totals, by_stars = products.aggregate(**counts), _stars(products, year).get(None, {})
    for key, value in totals.items():
        setattr(figures, key, value or 0)
    _set_stars(figures, by_stars)
    figures.without_stars = figures.ocop_products - figures.rated_3_or_more
    figures.key_or_ocop_with_ip_pct = pct(figures.key_or_ocop_with_ip, figures.key_or_ocop)
    figures.with_traceability_pct = pct(figures.with_traceability, figures.ocop_products)

    enterprises = _visible_st_enterprises(user).filter(located_units_q(unit, "organization__admin_unit__"))
    st = enterprises.aggregate(
        active=Count("pk", filter=Q(revoked_on__isnull=True) | Q(revoked_on__gt=today)),
        in_year=Count("pk", filter=Q(certificate_date__year=year)),
    )
    figures.st_enterprises, figures.st_certified_in_year = st["active"] or 0, st["in_year"] or 0
    rows: list[LocalityRow] = []
    if with_rows:
        _add_st_rows(row_map, enterprises, year)
        rows = _named_rows(row_map)

    # `expiry_date` is the end of the current term (ip.services.renew moves it), so the index serves.
    expiring = (
        permissions.restrict(IpAsset.objects.all(), user)
        .filter(located, status__is_protected=True)
        .filter(expiry_date__gte=today, expiry_date__lte=today + datetime.timedelta(days=EXPIRY_WINDOW_DAYS))
        .select_related("ip_type", "owner", "admin_unit")
        .order_by("expiry_date", "search_name")[:EXPIRING_LIST_LIMIT]
    )
    figures.expiring = [
        ExpiringTitle(
            id=a.pk,
            name=a.name,
            ip_type=a.ip_type.name,
            owner=a.owner_label,
            title_number=a.title_number,
            expiry_date=a.expiry_date,
            unit_name=a.admin_unit.name,
        )
        for a in expiring
    ]

    # Targets of the year set for the locality or a unit in it; progress from the same figures.
    targets = (
        permissions.restrict(Target.objects.all(), user)
        .filter(located_units_q(unit, "admin_unit__"), year=year)
        .select_related("admin_unit")
        .order_by("admin_unit__name", "indicator")
    )
    by_unit = {row.unit_id: row for row in rows}
    for target in targets:
        if target.admin_unit_id == unit.pk:
            source = figures
        elif with_rows:  # a unit of the province: its row (none yet: nothing done there)
            source = by_unit.get(target.admin_unit_id) or LocalityRow(
                target.admin_unit_id, target.admin_unit.name, ""
            )
        else:  # progress of a sub-unit's target shows on that unit's own dashboard
            continue
        figures.targets.append(_progress(target, _actual_for(target.indicator, source)))
        if target.indicator == Indicator.NEW_ST_ENTERPRISES and target.admin_unit_id == unit.pk:
            figures.st_target = target.value
    return figures, rows


def _locality_rows(province, year, user, products, counts) -> tuple[dict[int, LocalityRow], dict, dict]:
    """One row per district or commune of the province having products (two grouped queries), with
    the province's totals and stars summed from the same groups."""
    row_unit = locality_row_unit("admin_unit__")
    grouped = products.annotate(row_unit=row_unit).values("row_unit").annotate(**counts).order_by()
    totals: dict = dict.fromkeys(counts, 0)
    rows: dict[int, LocalityRow] = {}
    for values in grouped:
        unit_id = values.pop("row_unit")
        for key in counts:
            totals[key] += values[key] or 0
        values.pop("labelling_in_year", None)
        row = rows.setdefault(unit_id, LocalityRow(unit_id, "", ""))
        for key, value in values.items():
            setattr(row, key, value or 0)
    total_stars: dict = {}
    for unit_id, by_stars in _stars(products.annotate(row_unit=row_unit), year, "row_unit").items():
        for stars, n in by_stars.items():
            total_stars[stars] = total_stars.get(stars, 0) + n
        if unit_id in rows:
            _set_stars(rows[unit_id], by_stars)
    for row in rows.values():
        row.without_stars = row.ocop_products - row.rated_3_or_more
    return rows, totals, total_stars


def _add_st_rows(rows: dict[int, LocalityRow], enterprises, year: int) -> None:
    """S&T enterprises certified in `year`, per row (a row for a unit with enterprises only)."""
    st_grouped = (
        enterprises.annotate(row_unit=locality_row_unit("organization__admin_unit__"))
        .values("row_unit")
        .annotate(n=Count("pk", filter=Q(certificate_date__year=year)))
        .order_by()
    )
    for values in st_grouped:
        if values["n"]:
            rows.setdefault(
                values["row_unit"], LocalityRow(values["row_unit"], "", "")
            ).st_certified_in_year = values["n"]


def _named_rows(rows: dict) -> list[LocalityRow]:
    units = AdminUnit.objects.in_bulk([pk for pk in rows if pk is not None])
    result = []
    for unit_id, row in rows.items():
        unit = units.get(unit_id)
        if unit is None:
            continue
        row.unit_name, row.generation = unit.name, unit.generation
        result.append(row)
    level_order = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
    result.sort(
        key=lambda r: (
            level_order.get(units[r.unit_id].level, 3),
            r.generation != Generation.LEGACY,
            r.unit_name,
        )
    )
    return result


# --- Request parameters (shared by the page and the API) --------------------------------------------
class BadParameter(ValueError):
    pass


def parse_params(params, *, default_year: int | None = None) -> tuple[AdminUnit, int]:
    """`unit` (an AdminUnit id; default the home province) and `year` (default this year) from a
    query dict. Unknown units raise `AdminUnit.DoesNotExist`; malformed values `BadParameter`."""
    raw_unit, raw_year = (params.get("unit") or "").strip(), (params.get("year") or "").strip()
    if raw_unit:
        if not raw_unit.isdigit():
            raise BadParameter("unit")
        unit = AdminUnit.objects.select_related("parent", "province").get(pk=int(raw_unit))
    else:
        unit = home_province()
        if unit is None:
            raise AdminUnit.DoesNotExist("The home province (STIMS_PROVINCE) is not loaded.")
    year = default_year or timezone.localdate().year
    if raw_year:
        if not raw_year.isdigit() or not 1990 <= int(raw_year) <= 2100:
            raise BadParameter("year")
        year = int(raw_year)
    return unit, year
