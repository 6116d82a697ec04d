"""Excel import of initiative applications (`stims import initiatives FILE --user U`, and the page
/initiatives/initiatives/import/), on the import framework `stims.core.imports`.

A district's list of the initiatives its agencies submit: title rows, a merged two-row header, an STT
column, the authors in one cell ("Nguyễn Văn A (70%); Trần Thị B (30%)", or names alone: equal
shares). Each row is an application as submitted (the council's scoring and decision are made on the
pages, never imported); a row matching an application on record (same title, same agency) updates it
while it is still only submitted. The agency is a state agency the importer may see and attach records
to. All rows or none; history names the importer.
"""

from __future__ import annotations

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from import_export.fields import Field

from stims.core import permissions
from stims.core.imports import (
    BATCH,
    OUTSIDE_SCOPE,
    DateWidget,
    Importer,
    ImportResource,
    TextWidget,
    register_importer,
    write_records,
    write_workbook,
)
from stims.orgs.imports import OrganizationIndex

from .models import Initiative, InitiativeAuthor

KIND = "initiatives"
SHARE = re.compile(r"^(?P<name>.+?)\s*\(\s*(?P<share>\d{1,3})\s*%?\s*\)$")


def read_authors(text: str) -> list[tuple[str, int]]:
    """ "A (70%); B (30%)" or "A, B" → [(name, share)]; raises ValueError with the cell's problem."""
    parts = [p.strip() for p in re.split(r"[;\n]|,(?![^()]*\))", text or "") if p.strip()]
    if not parts:
        return []
    named = [SHARE.match(p) for p in parts]
    if all(named):
        authors = [(m["name"].strip(), int(m["share"])) for m in named]  # type: ignore[index]
        total = sum(share for _name, share in authors)
        if total != 100:
            raise ValueError(_("the authors' shares add up to %(total)d%%, not 100%%") % {"total": total})
        return authors
    if any(named):
        raise ValueError(_("give every author's share, or none (equal shares)"))
    each, rest = divmod(100, len(parts))
    return [(name, each + (1 if i < rest else 0)) for i, name in enumerate(parts)]


class InitiativeResource(ImportResource):
    TITLE, AUTHORS, AGENCY, FIELD = "Tên sáng kiến", "Tác giả", "Cơ quan", "Lĩnh vực"
    SUBMITTED, APPLIED, DESCRIPTION, BENEFITS = (
        "Ngày nộp",
        "Ngày áp dụng lần đầu",
        "Tóm tắt nội dung",
        "Hiệu quả",
    )

    title = Field(attribute="title", column_name=TITLE, widget=TextWidget())
    authors = Field(column_name=AUTHORS, readonly=True)
    agency = Field(column_name=AGENCY, readonly=True)
    field = Field(attribute="field", column_name=FIELD, widget=TextWidget())
    submitted_on = Field(attribute="submitted_on", column_name=SUBMITTED, widget=DateWidget())
    first_applied_on = Field(attribute="first_applied_on", column_name=APPLIED, widget=DateWidget())
    description = Field(attribute="description", column_name=DESCRIPTION, widget=TextWidget())
    benefits = Field(attribute="benefits", column_name=BENEFITS, widget=TextWidget())

    required_columns = (TITLE, AUTHORS, AGENCY, FIELD, SUBMITTED)
    error_columns = {"agency": AGENCY, "authors": AUTHORS}
    column_variants = {
        TITLE: ("Tên sáng kiến, giải pháp", "Tên giải pháp", "Sáng kiến", "Tên đề tài, sáng kiến"),
        AUTHORS: ("Tác giả, đồng tác giả", "Họ và tên tác giả", "Tác giả sáng kiến"),
        AGENCY: ("Đơn vị", "Cơ quan, đơn vị", "Đơn vị công tác", "Đơn vị áp dụng", "Tên cơ quan"),
        FIELD: ("Lĩnh vực áp dụng", "Ngành, lĩnh vực"),
        SUBMITTED: ("Ngày nộp đơn", "Ngày đề nghị", "Ngày nộp hồ sơ"),
        APPLIED: ("Ngày áp dụng", "Thời gian áp dụng lần đầu"),
        DESCRIPTION: ("Nội dung", "Mô tả", "Nội dung sáng kiến"),
        BENEFITS: ("Hiệu quả, lợi ích", "Lợi ích", "Hiệu quả đạt được"),
    }
    example_columns = (TITLE, AUTHORS)
    duplicate_column = TITLE
    # Written in bulk with their history rows (`core.imports.write_records`), then their authors.
    bulk_update_fields = (
        "title",
        "agency",
        "field",
        "submitted_on",
        "first_applied_on",
        "description",
        "benefits",
        "search_text",
        "search_name",
        "updated_at",
    )

    class Meta(ImportResource.Meta):
        model = Initiative
        export_order = (
            "title",
            "authors",
            "agency",
            "field",
            "submitted_on",
            "first_applied_on",
            "description",
            "benefits",
        )
        import_order = fields = export_order

    def __init__(self, user, **kwargs):
        super().__init__(user, **kwargs)
        self.agencies = OrganizationIndex(user)  # any agency of the directory, as on the form
        self._units_allowed: dict[int, bool] = {}

    def agency_named(self, row):
        name = TextWidget().clean(row.get(self.AGENCY))
        return self.agencies.find(name)[0] if name else None

    def match(self, row):
        agency, title = self.agency_named(row), TextWidget().clean(row.get(self.TITLE))
        return {"title": title, "agency": agency} if agency is not None and title else None

    def may_attach(self, agency) -> bool:
        if agency.admin_unit_id not in self._units_allowed:
            self._units_allowed[agency.admin_unit_id] = (
                permissions.assignable_units(self.user, Initiative).filter(pk=agency.admin_unit_id).exists()
            )
        return self._units_allowed[agency.admin_unit_id]

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        name = TextWidget().clean(row.get(self.AGENCY))
        if not name:
            errors["agency"] = [ValidationError(_("this column is required"))]
        else:
            agency, problem = self.agencies.find(name)
            if agency is None:
                errors["agency"] = [ValidationError(problem)]
            else:
                instance.agency = agency
                if not self.may_attach(agency):
                    errors[NON_FIELD_ERRORS] = [ValidationError(OUTSIDE_SCOPE)]
        try:
            instance._authors = read_authors(TextWidget().clean(row.get(self.AUTHORS)))
            if not instance._authors:
                errors["authors"] = [ValidationError(_("this column is required"))]
        except ValueError as exc:
            errors["authors"] = [ValidationError(str(exc))]
        for field_name in ("title", "field", "submitted_on"):
            if field_name not in errors and not getattr(instance, field_name):
                errors[field_name] = [ValidationError(_("this column is required"))]
        # Lists often carry only the title: the application's text is then the title, and says so.
        instance.description = instance.description or instance.title
        instance.benefits = instance.benefits or _("Not given in the imported list")
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance._change_reason = _("Imported from Excel")

    def after_bulk_write(self, plan, *, reason) -> None:
        """The authors as the workbook gives them: an updated application's authors on record are
        replaced (their deletion kept in their history), every author written in bulk with its history."""
        updated = [initiative.pk for initiative in self._updates]
        for start in range(0, len(updated), BATCH):
            InitiativeAuthor.objects.filter(initiative__in=updated[start : start + BATCH]).delete()
        authors = [
            InitiativeAuthor(initiative=item.instance, name=name, contribution=share)
            for item in plan
            for name, share in item.instance._authors
        ]
        write_records(InitiativeAuthor, authors, [], (), user=self.user, reason=reason)

    # ---- export and template

    def base_export_queryset(self):
        return Initiative.objects.select_related("agency").prefetch_related("authors")

    def dehydrate_agency(self, obj):
        return obj.agency.name

    def dehydrate_authors(self, obj):
        return "; ".join(f"{a.name} ({a.contribution}%)" for a in obj.authors.all())

    def example_row(self) -> list:
        return [
            "Số hoá hồ sơ một cửa (ví dụ)",
            "Nguyễn Văn A (70%); Trần Thị B (30%)",
            "UBND huyện Ba Chẽ",
            "Cải cách hành chính",
            "02/10/2024",
            "01/06/2024",
            "",
            "",
        ]


def template_workbook(user) -> bytes:
    resource = InitiativeResource(user)
    return write_workbook(
        resource.get_export_headers(),
        [resource.example_row()],
        title=str(Initiative._meta.verbose_name_plural),
    )


def _message(outcome) -> str:
    return _("Imported %(new)d new and updated %(update)d existing records.") % {
        "new": outcome.counts["new"],
        "update": outcome.counts["update"],
    }


def _list_url() -> str | None:
    try:
        return reverse("initiatives:initiative_list")
    except NoReverseMatch:
        return None


register_importer(
    Importer(
        kind=KIND,
        label=lambda: str(Initiative._meta.verbose_name_plural),
        resource=lambda user, options: InitiativeResource(user),
        allowed=lambda user: permissions.has_perm(user, permissions.ADD, Initiative),
        message=_message,
        list_url=_list_url,
    )
)
