"""Registries in the periodic reports: OCOP products by stars, IP titles, S&T enterprises. The OCOP and
S&T enterprise figures are those of `figures.figures_for` (the registries dashboard and its API), so the
report, the dashboard and the API give the same numbers."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core import permissions
from stims.ip.models import IpAsset
from stims.reports import sections

from .figures import figures_for


def registries_section(scope: sections.Scope) -> sections.Section:
    figures, rows = figures_for(scope.unit, scope.period.year, scope.user)
    assets = permissions.restrict(IpAsset.objects.all(), scope.user).filter(scope.located("admin_unit__"))
    ip = assets.aggregate(
        trademarks=Count("pk", filter=Q(ip_type__code="trademark", status__is_protected=True)),
        filed=Count("pk", filter=Q(application_date__gte=scope.start, application_date__lte=scope.end)),
        granted=Count("pk", filter=Q(grant_date__gte=scope.start, grant_date__lte=scope.end)),
        protected=Count("pk", filter=Q(status__is_protected=True)),
    )
    by_type = (
        assets.filter(status__is_protected=True)
        .values("ip_type__name")
        .annotate(n=Count("pk"))
        .order_by("ip_type__name")
    )
    clauses = []
    if figures.ocop_products:
        clauses.append(
            f"toàn {'tỉnh' if scope.unit.level == 'province' else 'địa bàn'} có {figures.ocop_products} sản phẩm OCOP "
            f"({figures.stars_3} sản phẩm 3 sao, {figures.stars_4} sản phẩm 4 sao, {figures.stars_5} sản phẩm 5 sao)"
        )
    if ip["protected"]:
        clauses.append(
            f"{ip['protected']} đối tượng sở hữu trí tuệ đang được bảo hộ, trong đó {ip['trademarks']} nhãn hiệu"
        )
    if figures.st_enterprises:
        clauses.append(f"{figures.st_enterprises} doanh nghiệp KH&CN")
    return sections.Section(
        figures=[
            sections.Figure("ocop", _("OCOP products"), figures.ocop_products),
            sections.Figure("ocop_3", _("OCOP 3 stars"), figures.stars_3),
            sections.Figure("ocop_4", _("OCOP 4 stars"), figures.stars_4),
            sections.Figure("ocop_5", _("OCOP 5 stars"), figures.stars_5),
            sections.Figure("ip_protected", _("IP titles in force"), ip["protected"]),
            sections.Figure("trademarks", _("trademarks in force"), ip["trademarks"]),
            sections.Figure("ip_filed", _("IP applications filed in the period"), ip["filed"]),
            sections.Figure("ip_granted", _("IP titles granted in the period"), ip["granted"]),
            sections.Figure("st_enterprises", _("S&T enterprises"), figures.st_enterprises),
            sections.Figure(
                "st_certified", _("S&T enterprises certified in the year"), figures.st_certified_in_year
            ),
        ],
        tables=[
            sections.Table(
                "ocop_by_locality",
                _("OCOP products by locality"),
                [_("Locality"), _("OCOP"), _("3 stars"), _("4 stars"), _("5 stars")],
                [[r.unit_name, r.ocop_products, r.stars_3, r.stars_4, r.stars_5] for r in rows],
            ),
            sections.Table(
                "ip_by_type",
                _("IP titles in force by type"),
                [_("Type"), pgettext_lazy("how many", "Number")],
                [[r["ip_type__name"], r["n"]] for r in by_type],
            ),
        ],
        clauses=clauses,
        chart=sections.Chart(
            str(_("OCOP products by stars")),
            ["3 ★", "4 ★", "5 ★"],
            [figures.stars_3, figures.stars_4, figures.stars_5],
        ),
        by_locality={r.unit_id: {"ocop": r.ocop_products} for r in rows},
    )


sections.register(
    "registries",
    _("OCOP, intellectual property and S&T enterprises"),
    registries_section,
    order=50,
    depends_on=["registries", "products", "ip", "enterprises", "orgs"],
)
