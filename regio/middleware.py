"""Dutch first: the language is Dutch unless the person chose English (the language cookie).

Django's LocaleMiddleware would follow the browser's Accept-Language, which shows English to the many civil servants
whose browser happens to be English. Here the choice is explicit (the language button sets the cookie).
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() restores the previous language afterwards, so an English request never leaves its thread
        # speaking English to whatever runs next (a task, a PDF, the next request's error page).
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNulBytesMiddleware:
    """A NUL byte in a query or form parameter answers 400 in Dutch (issue 10: no 500 on any input).

    PostgreSQL refuses NUL in text, so ``?regio=a%00b`` reached the database as a lookup and came back as a 500.
    No legitimate request carries one; refusing it here keeps every view and filter from having to.
    """

    MESSAGE = "Het verzoek bevat een ongeldig teken (NUL). Controleer het adres of de ingevulde velden."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request.GET):
            return self._refuse(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The form body is checked once the view is known: a view that reads its upload itself (with its own size
        # limit, ``reads_upload_itself``) must set its upload handlers before anything parses the body.
        view_class = getattr(view_func, "view_class", None)
        if getattr(view_class, "reads_upload_itself", False):
            return None
        if (
            request.method == "POST"
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
            and self._has_nul(request.POST)
        ):
            return self._refuse(request)
        return None

    def _refuse(self, request):
        from django.http import JsonResponse

        from regio.bounds import ImplausibleRequest

        if request.path.startswith("/api/"):
            return JsonResponse({"detail": self.MESSAGE}, status=400)
        raise ImplausibleRequest(self.MESSAGE)

    @staticmethod
    def _has_nul(data) -> bool:
        return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())
