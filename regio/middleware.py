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
