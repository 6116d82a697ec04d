"""Request middleware of our own."""

from django.middleware.locale import LocaleMiddleware


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user picked English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many officials' browsers
    are set to English: the department's interface must still open in Vietnamese. The choice made with
    the switch (the language cookie) is honoured as usual.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return super().process_request(request)
