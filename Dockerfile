# syntax=docker/dockerfile:1
# Production image: gunicorn serving ccc.wsgi on port 8000, static files by WhiteNoise.
# The same image runs the Celery worker and beat (see docker-compose.yml).

# --- Front-end assets (NHS.UK frontend + site CSS) into static_build/ ---
FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
COPY frontend/ frontend/
COPY scripts/build-frontend scripts/build-frontend
RUN bash scripts/build-frontend

# --- Application ---
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

RUN groupadd --system --gid 10001 ccc \
    && useradd --system --uid 10001 --gid ccc --home-dir /app --shell /usr/sbin/nologin ccc

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
COPY --from=frontend /app/static_build/ static_build/

# Collect static files (hashed and compressed: DEBUG is off). The key is a dummy used only
# for this step; CCC_VAR_DIR keeps the build from writing var/ into the image.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-real-key ALLOWED_HOSTS=localhost \
    CCC_VAR_DIR=/tmp/ccc-build-var python manage.py collectstatic --noinput \
    && rm -rf /tmp/ccc-build-var

USER ccc
EXPOSE 8000
CMD ["gunicorn", "ccc.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
