"""The API's JSON parser: numbers keep the text they were written in, bodies and nesting are bounded (issue 10).

DRF's own parser turns ``1e5`` into the float ``100000.0`` before any field sees it, so an amount field could not
tell an exponent from a plain number, and money briefly became a float. Here every JSON number with a fraction or an
exponent reaches the serializers as the text it was written in (``"1e5"``, ``"12.50"``), which the one amount parser
(``regio.amounts.parse_plain``) reads exactly or refuses in Dutch; ``NaN`` and ``Infinity`` are refused outright.
A body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` or nested deeper than ``MAX_DEPTH`` is a 400, not a 500.
"""

from __future__ import annotations

import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


class JSONNumberText(str):
    """A JSON number with a fraction or an exponent, as written (a ``str``, so it is never a float)."""


def _refuse_constant(name: str):
    raise ParseError(f"Ongeldige JSON: {name} is geen getal.")


def _depth_ok(text: str) -> bool:
    """Whether no object or array is nested deeper than MAX_DEPTH (counted outside strings)."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif char in "]}":
            depth -= 1
    return True


class ExactJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise ParseError(f"Het verzoek is te groot: hoogstens {limit} bytes.")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError("Ongeldige JSON: de tekst is niet in UTF-8.") from exc
        if not _depth_ok(text):
            raise ParseError(f"Ongeldige JSON: dieper genest dan {MAX_DEPTH} niveaus.")
        try:
            return json.loads(text, parse_float=JSONNumberText, parse_constant=_refuse_constant)
        except ValueError as exc:
            raise ParseError(f"Ongeldige JSON: {exc}") from exc
