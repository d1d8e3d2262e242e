import os

from celery import Celery
from celery.schedules import crontab

from config.env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The pack jobs (reporting.build_pack, reporting.sweep_jobs) live in reporting/packs/tasks.py, below the app.
app.autodiscover_tasks(["reporting.packs"])

# celery beat (the `beat` service in docker-compose.yml) runs the job sweeper every minute: a pack
# whose worker died or never came is requeued or failed with a reason
# (reporting.packs.services.packs_sweep). A sweep that waits longer than a minute expires, so a busy
# queue never piles sweeps up. Without Redis, run `manage.py sweep_jobs` from cron instead.
SWEEP_INTERVAL_SECONDS = 60.0
# It also runs the audit sealer (audit.seal, audit/sealer.py) every AUDIT_SEAL_INTERVAL_SECONDS: it
# chains the audit rows requests appended pending and writes a signed checkpoint of the chain's head.
# Without Redis, the web process seals after each request (AUDIT_SEAL_AFTER_REQUEST) or run
# `manage.py seal_audit --every 5`.
AUDIT_SEAL_INTERVAL_SECONDS = float(env_int("AUDIT_SEAL_INTERVAL_SECONDS", 5))  # as config/settings.py reads it
OVERDUE_INTERVAL_SECONDS = 3600.0
app.conf.beat_schedule = {
    "sweep-jobs": {
        "task": "reporting.sweep_jobs",
        "schedule": SWEEP_INTERVAL_SECONDS,
        "options": {"expires": SWEEP_INTERVAL_SECONDS},
    },
    "seal-audit": {
        "task": "audit.seal",
        "schedule": AUDIT_SEAL_INTERVAL_SECONDS,
        "options": {"expires": AUDIT_SEAL_INTERVAL_SECONDS * 2},
    },
    # Notifications (notifications/tasks.py): overdue actions are told once each (idempotent, so an
    # hourly run costs nothing when nothing is new); the daily digest goes at 07:00. Without Redis,
    # cron runs `manage.py notify_overdue_actions` and `manage.py send_notification_digests`.
    "notify-overdue-actions": {
        "task": "notifications.notify_overdue_actions",
        "schedule": OVERDUE_INTERVAL_SECONDS,
        "options": {"expires": OVERDUE_INTERVAL_SECONDS},
    },
    # Flags that open with time alone (an action now overdue, a late conference) are told by a daily
    # sweep of the open cases at 06:30, before the digest; `manage.py notify_flag_changes` without Redis.
    "sweep-flags": {
        "task": "notifications.sweep_flags",
        "schedule": crontab(hour=6, minute=30),
        "options": {"expires": 3600},
    },
    "send-notification-digests": {
        "task": "notifications.send_digests",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 3600},
    },
}
