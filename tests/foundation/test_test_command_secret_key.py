"""The test command's deploy check runs with a random production SECRET_KEY that is always long
and varied enough for Django's check: a short key once failed `check --deploy` at random."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from django.core.checks.security.base import _check_secret_key

ROOT = Path(__file__).resolve().parents[2]
RUNS = 200


def test_every_generated_deploy_check_key_passes_djangos_secret_key_check():
    value = re.search(r'SECRET_KEY="(.+?)" \\$', (ROOT / "bin" / "test").read_text(), re.MULTILINE)
    assert value, "bin/test no longer sets SECRET_KEY for the deploy check"

    script = f'for i in $(seq {RUNS}); do echo "{value.group(1)}"; done'
    keys = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()

    assert len(keys) == RUNS
    assert len(set(keys)) == RUNS
    too_weak = [key for key in keys if not _check_secret_key(key)]
    assert too_weak == []
