# Regio Wmo production image: gunicorn serves the app, the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=regio.settings_production
# WeasyPrint needs Pango; gettext for compiled translations; pg_dump/pg_restore (PostgreSQL 15, as the db service) for
# manage.py backup / restore.
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-dejavu-core gettext postgresql-client && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir "uv==0.13.9" \
    && useradd --create-home --uid 1000 regio
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY --from=assets /app/node_modules ./node_modules
COPY . .
RUN SECRET_KEY=build-only-$(python -c 'import secrets;print(secrets.token_urlsafe(60))') ALLOWED_HOSTS=build \
      python manage.py collectstatic --noinput -v0 \
    && mkdir -p /data/private_media && chown -R regio /data
USER regio
ENV PRIVATE_MEDIA_ROOT=/data/private_media
EXPOSE 8000
CMD ["gunicorn", "regio.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
