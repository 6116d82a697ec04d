"""The API's pages (its own module: DRF imports it while its own modules load)."""

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


class Pagination(PageNumberPagination):
    """`?page=N` or `?page=last`; `page_size` fixed by the server (PAGE_SIZE).

    A list searched with `q` is counted as its page is (`core.tables.list_count`): up to
    SEARCH_COUNT_CAP rows, and past it `count` is the cap and `count_capped` true ("more than 1,000").
    A common word matches a tenth of a national registry: counting every match of 'mat ong' among
    1,000,000 IP assets took 0.9 s of the database per call, the rows themselves a few milliseconds
    (issue #20). The pages go on past the cap while they come back full (`next`); `?page=last` counts
    every match, as it must to find the last page. Any other list's `count` is exact."""

    def paginate_queryset(self, queryset, request, view=None):
        from .filters import searched  # the ORM's models: late
        from .tables import SEARCH_COUNT_CAP, ApproximatePaginator, list_count

        self.count_capped = False
        filterset_class = getattr(view, "filterset_class", None)
        if (
            filterset_class is None
            or not searched(filterset_class.base_filters, request.query_params)
            or request.query_params.get(self.page_query_param) in self.last_page_strings
        ):
            return super().paginate_queryset(queryset, request, view)

        count, approximate = list_count(queryset, cap=SEARCH_COUNT_CAP)
        self.count_capped = approximate == "more"
        self.django_paginator_class = lambda rows, per_page: ApproximatePaginator(
            rows, per_page, count=count, approximate=approximate
        )
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_capped": self.count_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "True when a search (`q`) matched more rows than were counted: `count` is then "
            "the cap (1000) and the pages go on while `next` is given.",
        }
        answer["required"] = [*answer["required"], "count_capped"]
        return answer

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {
                    "oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": ["last"]}]
                }
                parameter["description"] = "A page number, or `last`."
        return parameters
