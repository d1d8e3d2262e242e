import os

from celery import Celery

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
app.conf.beat_schedule = {
    "sweep-jobs": {
        "task": "reporting.sweep_jobs",
        "schedule": SWEEP_INTERVAL_SECONDS,
        "options": {"expires": SWEEP_INTERVAL_SECONDS},
    },
}
