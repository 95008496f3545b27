"""Schema fuzzing (issue 17): schemathesis over the committed ``openapi.yaml`` against the app, with real objects.

The schema is read from the file at test time (the lead regenerates it after merging). Every operation is fuzzed
by schemathesis' generators (valid data and, where the schema allows, invalid data) through the WSGI handler of the
Django test client as a user of region A's coordinating municipality holding every role. Operations with path
parameters are not left to 404s: each is sent to the object its cross-tenant matrix case builds (``tests/tenancy``:
every API route has one, ``test_every_api_operation_is_walked`` checks that), inside a savepoint that is rolled back
after the case, so every case starts from the same two-region world.

Bounded: a fixed number of examples per operation and mode (``SCHEMA_FUZZ_EXAMPLES``, default 3) and a time budget
for the whole run (``SCHEMA_FUZZ_SECONDS``, default 20 s); past the budget the remaining operations get one example
each. Zero server errors (5xx) is the assertion; the run's tally is printed at the end of the pytest run
(tests/regio/conftest.py).
"""

from __future__ import annotations

import importlib
import json
import os
import time
from collections import Counter
from urllib.parse import urlencode

import pytest
import schemathesis
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.core import NOT_SET

from tests.conftest import FUZZ_TALLY
from tests.regio.test_hostile_input import acting_client, path_regex, why
from tests.tenancy.public import PUBLIC_OBJECT_ROUTES
from tests.tenancy.test_matrix import CASES

EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "3"))
BUDGET_SECONDS = float(os.environ.get("SCHEMA_FUZZ_SECONDS", "20"))
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def operations() -> list:
    schema = schemathesis.openapi.from_path(str(settings.BASE_DIR / "openapi.yaml"))
    found = []
    for result in schema.get_all_operations():
        found.append(result.ok())
    return found


def multipart_value(name: str, value):
    """A generated form value as the test client encodes it: bytes as an uploaded file, structures as JSON."""
    if isinstance(value, bytes):
        return SimpleUploadedFile(f"{name}.bin", value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str)
    return value


class Fuzzer:
    def __init__(self, client, deadline: float):
        self.client = client
        self.deadline = deadline
        self.tally: Counter = Counter()
        self.exercised: set[str] = set()
        self.failures: list[str] = []

    def request(self, operation, url: str, case) -> None:
        method = operation.method.upper()
        query = {k: v for k, v in (case.query or {}).items() if v is not None}
        target = f"{url}?{urlencode(query, doseq=True)}" if query else url
        body = case.body
        if body is NOT_SET or method in ("GET", "DELETE"):
            response = self.client.generic(method, target)
        elif case.media_type == "application/json":
            response = self.client.generic(method, target, json.dumps(body, default=str), "application/json")
        elif case.media_type == "application/x-www-form-urlencoded" and isinstance(body, dict):
            payload = urlencode({k: v for k, v in body.items() if v is not None}, doseq=True)
            response = self.client.generic(method, target, payload, "application/x-www-form-urlencoded")
        elif isinstance(body, dict):
            flat = {k: multipart_value(k, v) for k, v in body.items() if v is not None}
            response = getattr(self.client, method.lower())(target, flat, format="multipart")
        elif isinstance(body, bytes):
            response = self.client.generic(method, target, body, case.media_type or "application/octet-stream")
        else:
            response = self.client.generic(method, target, json.dumps(body, default=str), "application/json")
        self.tally[f"{response.status_code // 100}xx"] += 1
        self.tally["requests"] += 1
        if response.status_code < 300:
            self.exercised.add(f"{method} {operation.path}")
        if response.status_code >= 500:
            self.failures.append(f"{method} {target[:160]} {str(body)[:200]} -> {why(response)}")

    def fuzz(self, operation, url: str) -> None:
        examples = EXAMPLES if time.monotonic() < self.deadline else 1
        self.tally["operations"] += 1
        for mode in MODES:
            try:
                strategy = operation.as_strategy(generation_mode=mode)
            except Exception:  # noqa: BLE001 (no invalid data possible for this operation in this mode)
                self.tally[f"no {mode.value} data"] += 1
                continue

            @hypothesis_settings(
                max_examples=examples,
                database=None,
                deadline=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(strategy)
            def run(case):
                self.request(operation, url, case)

            try:
                run()
            except Exception as exc:  # noqa: BLE001 (schemathesis could not generate for this mode)
                if "Unsatisfiable" not in type(exc).__name__ and "Unsatisfied" not in str(type(exc)):
                    raise
                self.tally[f"no {mode.value} data"] += 1


@pytest.mark.django_db
def test_schemathesis_finds_no_server_error_with_real_objects(world, request, settings):
    started = time.monotonic()
    all_operations = operations()
    fuzzer = Fuzzer(acting_client(world, api=True), deadline=started + BUDGET_SECONDS)
    for operation in all_operations:
        if "{" not in operation.path:
            fuzzer.fuzz(operation, operation.path)
    with_parameters = [op for op in all_operations if "{" in op.path]
    covered: set[tuple[str, str]] = set()
    users = dict(world.users)
    # The public routes with path parameters have no matrix case: their objects come from the builders on the public
    # list (tests/tenancy/public.py), with the settings they need (e.g. no flood guard for the fuzzer).
    public = []
    for route, (builder, overrides) in PUBLIC_OBJECT_ROUTES.items():
        module, _sep, function = builder.partition(":")
        for setting, value in overrides.items():
            setattr(settings, setting, value)
        public.append((route, getattr(importlib.import_module(module), function)))
    targets = [(c.route, c.build) for c in CASES if c.api] + public
    for route, build in targets:
        with transaction.atomic():
            kwargs = build(world)
            url = reverse(route, kwargs=kwargs or None)
            for operation in with_parameters:
                key = (operation.path, operation.method)
                if key in covered or not path_regex(operation.path).match(url):
                    continue
                covered.add(key)
                fuzzer.fuzz(operation, url)
            transaction.set_rollback(True)
        world.users.clear()
        world.users.update(users)  # users the case created went with its savepoint
    seconds = time.monotonic() - started
    missing = [f"{op.method.upper()} {op.path}" for op in with_parameters if (op.path, op.method) not in covered]
    tally = ", ".join(f"{k}: {v}" for k, v in sorted(fuzzer.tally.items()))
    request.node.user_properties.append(
        (
            FUZZ_TALLY,
            f"schemathesis: {len(all_operations)} operaties, {len(fuzzer.exercised)} met een geslaagd antwoord "
            f"(2xx), {tally}; {seconds:.1f} s",
        )
    )
    assert not missing, f"operaties met padparameters zonder object (geen matrixgeval): {missing}"
    assert not fuzzer.failures, "Serverfouten (5xx) uit schemathesis:\n" + "\n".join(fuzzer.failures[:40])
    # The positive control: the real objects are reached, not only 404s.
    assert len(fuzzer.exercised) >= len(all_operations) // 2, sorted(fuzzer.exercised)
