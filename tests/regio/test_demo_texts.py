"""What the demo shows a user names documents the user knows (issue 17: "SPEC §6.3" appeared as a source).

The SPEC is the developers' summary of the agreements; a civil servant knows the agreements, the cao and the
circulars. Comments in the demo files may cite the SPEC; values shown on pages may not."""

from pathlib import Path

import yaml

DEMO = Path(__file__).resolve().parents[2] / "demo"


def strings(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings(item, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


def test_no_demo_value_cites_the_spec():
    files = sorted(DEMO.glob("*.yaml"))
    assert files
    shown = [
        f"{file.name}{path}: {text}"
        for file in files
        for path, text in strings(yaml.safe_load(file.read_text(encoding="utf-8")))
        if "SPEC" in text
    ]
    assert shown == []
