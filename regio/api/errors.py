"""API errors as JSON with a Dutch message per field (STYLE.md rule 9); bad input is a 400, never a 500."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from regio.regionfile import RegionFileError


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(
            {k if k != "__all__" else "non_field_errors": v for k, v in detail.items()},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, RegionFileError):
        return Response({"detail": [str(p) for p in exc.problems]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        # Django's text names the model ("No Agreement matches the given query."): the same Dutch answer for what does
        # not exist and what belongs to another tenant, so neither leaks.
        exc = exceptions.NotFound("Niet gevonden.")
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response.data = {"detail": "U bent niet ingelogd. Log in of stuur een geldig token mee."}
    return response
