"""Settings read from the environment: an empty variable means "use the default"."""

import os
import subprocess
import sys
from pathlib import Path

from config.env import env_bool, env_int, env_list, env_secret, env_str

ROOT = Path(__file__).resolve().parents[2]


def test_env_str_uses_the_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("CHRONO_TEST_VALUE", raising=False)
    assert env_str("CHRONO_TEST_VALUE", "fallback") == "fallback"
    monkeypatch.setenv("CHRONO_TEST_VALUE", "")
    assert env_str("CHRONO_TEST_VALUE", "fallback") == "fallback"
    monkeypatch.setenv("CHRONO_TEST_VALUE", "set")
    assert env_str("CHRONO_TEST_VALUE", "fallback") == "set"


def test_env_bool_int_and_list_treat_empty_as_default(monkeypatch):
    monkeypatch.setenv("CHRONO_TEST_VALUE", "")
    assert env_bool("CHRONO_TEST_VALUE", default=True) is True
    assert env_int("CHRONO_TEST_VALUE", 7) == 7
    assert env_list("CHRONO_TEST_VALUE", ["a"]) == ["a"]


def test_env_bool_reads_common_spellings(monkeypatch):
    for value, expected in [("true", True), ("1", True), ("On", True), ("false", False), ("0", False)]:
        monkeypatch.setenv("CHRONO_TEST_VALUE", value)
        assert env_bool("CHRONO_TEST_VALUE", default=not expected) is expected


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("CHRONO_TEST_VALUE", "a.example.org, b.example.org,,")
    assert env_list("CHRONO_TEST_VALUE", []) == ["a.example.org", "b.example.org"]


def test_env_secret_reads_a_file_named_by_name_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-a-docker-secret\n")
    monkeypatch.setenv("CHRONO_TEST_VALUE", "from-the-environment")
    monkeypatch.setenv("CHRONO_TEST_VALUE_FILE", str(secret))
    assert env_secret("CHRONO_TEST_VALUE") == "from-a-docker-secret"


def test_empty_database_url_falls_back_to_the_embedded_sqlite():
    env = {**os.environ, "DATABASE_URL": "", "DJANGO_SETTINGS_MODULE": "config.settings"}
    code = "import django; django.setup(); from django.db import connection; print(connection.vendor)"

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sqlite"
