"""The API's error answers in the OpenAPI file (issue 10): every operation documents how it refuses.

The views answer the same way everywhere (``regio/tenancy.py`` for 401/403/404, ``regio/api/errors.py`` and the
serializers for 400), so the answers are added to the schema in one place, as a drf-spectacular post-processing hook,
instead of being repeated on some 60 operations and forgotten on the next.
"""

from __future__ import annotations

VALIDATION = "Validatiefout"
MESSAGE = "Foutmelding"

SCHEMAS = {
    VALIDATION: {
        "type": "object",
        "description": "Per veld de Nederlandse meldingen; `non_field_errors` of `detail` voor het geheel.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"amount": ["Een bedrag zonder exponent, bijvoorbeeld 1234.56."]},
    },
    MESSAGE: {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
        "example": {"detail": "U heeft geen toestemming voor deze handeling."},
    },
}

ANSWERS = {
    "400": (VALIDATION, "Ongeldige invoer: per veld een melding in het Nederlands (nooit een 500)."),
    "401": (MESSAGE, "Niet ingelogd."),
    "403": (MESSAGE, "Zichtbaar, maar u mag deze handeling niet uitvoeren."),
    "404": (MESSAGE, "Bestaat niet of hoort bij een andere gemeente of regio (het verschil wordt niet verteld)."),
}
WRITES = {"post", "put", "patch", "delete"}


def _takes_input(method: str, operation: dict) -> bool:
    return method in WRITES or any(p.get("in") == "query" for p in operation.get("parameters", []))


def _names_an_object(path: str) -> bool:
    return "{" in path


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in SCHEMAS.items():
        schemas.setdefault(name, schema)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in WRITES | {"get", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            wanted = ["401"]
            if _takes_input(method, operation):
                wanted.append("400")
            if method in WRITES:
                wanted.append("403")
            if _names_an_object(path):
                wanted.append("404")
            for code in wanted:
                if code in responses:
                    continue
                schema, description = ANSWERS[code]
                responses[code] = {
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
                    "description": description,
                }
            operation["responses"] = dict(sorted(responses.items()))
    return result
