"""The API's pages (its own module: DRF imports it while its own modules load)."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`?page=N` or `?page=last`; `page_size` fixed by the server (PAGE_SIZE)."""

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {
                    "oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": ["last"]}]
                }
                parameter["description"] = "A page number, or `last`."
        return parameters
