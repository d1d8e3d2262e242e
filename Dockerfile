# The service's image: one image for the web processes (gunicorn) and the background workers
# (celery). docker-compose.yml runs it; see the README for the settings it reads.

# 1. Front-end assets: GOV.UK Frontend, pinned by package-lock.json (axe-core is for tests only).
FROM node:22-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# 2. The application.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_ENV=production \
    MEDIA_ROOT=/app/media

# Graphviz draws genograms and ecomaps; Pango/HarfBuzz and fonts let WeasyPrint lay out PDF
# packs (Liberation Sans stands in for Arial). Nothing else: no compilers, no browser.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        graphviz \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-liberation fonts-dejavu-core fontconfig \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system app && useradd --system --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY --from=assets /build/node_modules/govuk-frontend ./node_modules/govuk-frontend
COPY --chown=app:app . .
RUN mkdir -p /app/media /app/staticfiles && chown app:app /app/media /app/staticfiles

USER app
EXPOSE 8000

# docker-compose.yml gives each service its own command; this default serves the web process.
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py collectstatic --noinput && exec gunicorn config.wsgi --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
