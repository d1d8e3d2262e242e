"""The production shape: `manage.py check --deploy` is clean with production settings, and
docker-compose.yml describes PostgreSQL, Redis, gunicorn web processes and capped Celery workers."""

import ipaddress
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "DEBUG"))}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY="deploy-check-only-7bq0c2Zr9xLm4Tn8Wv1Ys6Ha3Kd5Pf0Ue2Jg",
        AUDIT_CHECKPOINT_KEY="deploy-check-only-audit-4Hq8Zt1Lm6Xc",
        ALLOWED_HOSTS="chronology.example.org",
        **extra,
    )
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_deploy_check_with_production_settings_reports_nothing():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_an_audit_checkpoint_key():
    env = production_env()
    del env["AUDIT_CHECKPOINT_KEY"]

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "AUDIT_CHECKPOINT_KEY" in result.stderr


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_database_broker_web_worker_pool_and_balancer():
    services = compose()["services"]

    assert set(services) == {"db", "redis", "web", "worker", "beat", "pgbouncer", "lb"}
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in services["db"]["volumes"])


def test_compose_web_migrates_collects_static_and_serves_with_gunicorn():
    web = compose()["services"]["web"]
    command = " ".join(web["command"])

    assert command.index("migrate") < command.index("collectstatic") < command.index("gunicorn config.wsgi")
    assert "--workers $${WEB_CONCURRENCY" in (ROOT / "docker-compose.yml").read_text()
    assert web["depends_on"]["db"] == {"condition": "service_healthy"}


def test_compose_worker_runs_one_job_per_process_with_a_memory_cap():
    command = " ".join(compose()["services"]["worker"]["command"])

    assert "celery -A config worker" in command
    for flag in ("--prefetch-multiplier=1", "--max-tasks-per-child=1", "--max-memory-per-child="):
        assert flag in command


def test_compose_runs_one_celery_beat_for_the_job_sweeper():
    services = compose()["services"]
    beat = services["beat"]
    command = " ".join(beat["command"])

    assert "celery -A config beat" in command
    assert beat["deploy"]["replicas"] == 1
    assert beat["environment"]["REDIS_URL"] == services["worker"]["environment"]["REDIS_URL"]
    assert beat["environment"]["PACK_BUILD_TIME_LIMIT_SECONDS"] == "${PACK_BUILD_TIME_LIMIT_SECONDS:-300}"
    assert beat["depends_on"]["redis"] == {"condition": "service_healthy"}


def test_compose_web_and_worker_share_settings_and_media():
    services = compose()["services"]
    for name in ("web", "worker"):
        env = services[name]["environment"]
        assert env["DJANGO_ENV"] == "production"
        assert env["DATABASE_URL"].startswith("postgresql://")
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        for key in ("SECRET_KEY", "ALLOWED_HOSTS", "AUDIT_CHECKPOINT_KEY"):
            assert key in env
        assert "media:/app/media" in services[name]["volumes"]


def test_compose_web_trusts_only_the_compose_network_for_forwarded_addresses():

    compose = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())
    trusted = compose["services"]["web"]["environment"]["TRUSTED_PROXIES"]
    subnet = compose["networks"]["default"]["ipam"]["config"][0]["subnet"]

    assert trusted == "${TRUSTED_PROXIES:-" + subnet + "}"
    assert ipaddress.ip_network(subnet).is_private
    assert "ports" not in compose["services"]["web"]
