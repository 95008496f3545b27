"""openapi.yaml documents how every operation refuses (issue 10): 401 always, 400 where it takes input, 403 on
writes, 404 where the path names an object; the schema is regenerated and diffed in CI (make schema-check)."""

from pathlib import Path

import yaml
from django.conf import settings

SCHEMA = yaml.safe_load((Path(settings.BASE_DIR) / "openapi.yaml").read_text())
WRITES = {"post", "put", "patch", "delete"}


def _operations():
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            if method in WRITES | {"get"}:
                yield path, method, operation


def test_every_operation_documents_its_refusals():
    missing = []
    for path, method, operation in _operations():
        codes = set(operation["responses"])
        wanted = {"401"}
        if method in WRITES:
            wanted |= {"400", "403"}
        if "{" in path:
            wanted.add("404")
        if not wanted <= codes:
            missing.append(f"{method.upper()} {path}: {sorted(wanted - codes)}")
    assert not missing, "\n".join(missing)


def test_the_validation_error_is_a_message_list_per_field():
    schema = SCHEMA["components"]["schemas"]["Validatiefout"]
    assert schema["additionalProperties"] == {"type": "array", "items": {"type": "string"}}
