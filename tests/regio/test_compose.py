import shutil
import subprocess

import pytest
from django.conf import settings


def compose_available() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


@pytest.mark.skipif(not compose_available(), reason="docker compose is hier niet geïnstalleerd")
def test_docker_compose_config_is_valid():
    env = {
        "POSTGRES_PASSWORD": "x",
        "SECRET_KEY": "y" * 60,
        "BW_PSEUDONYM_SECRET": "z" * 40,
        "ALLOWED_HOSTS": "regio.example.nl",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        ["docker", "compose", "config", "-q"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
