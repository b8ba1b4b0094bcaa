# One image for every role of HabitLink; the command picks the role:
#   habitlink run [--no-scheduler]   the chat bot (Telegram, Discord)
#   habitlink scheduler              reminders and weekly summaries
#   habitlink web                    the account API and admin
#   habitlink migrate                upgrade the database schema (a one-off)
# docker-compose.yml at the repository root runs them together; see the README's "Production".

ARG PYTHON_IMAGE=python:3.12-slim-bookworm

# --- build: a virtual environment with the dependencies, then HabitLink itself -------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
RUN python -m venv /opt/habitlink
# The dependencies come from pyproject.toml alone, in a layer of their own: a change to the code
# does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('requirements.txt', 'w').write(chr(10).join(deps))" \
    && /opt/habitlink/bin/pip install --requirement requirements.txt
COPY README.md alembic.ini ./
COPY core ./core
COPY bot ./bot
COPY adapters ./adapters
COPY web_admin ./web_admin
COPY migrations ./migrations
RUN /opt/habitlink/bin/pip install --no-deps . \
    && /opt/habitlink/bin/python -m compileall -q /opt/habitlink/lib

# --- runtime: the environment only, run by an unprivileged user ----------------------------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="HabitLink" \
      org.opencontainers.image.description="Chat-first habit building: bot, scheduler and web" \
      org.opencontainers.image.licenses="MIT"
# Fonts for the text in chart pictures (bot/chart_fonts.py): DejaVu Sans (Latin, Greek, Cyrillic,
# Arabic, Hebrew) and WenQuanYi Micro Hei (Chinese, Japanese, Korean); about 6 MB. The versions
# are bookworm's (the base image's Debian); a new base needs its own.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       fonts-dejavu-core=2.37-6 fonts-wqy-microhei=0.2.0-beta-3.1 \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 habitlink \
    && useradd --system --uid 10001 --gid habitlink --home-dir /app --shell /usr/sbin/nologin habitlink \
    && mkdir -p /app /data \
    && chown habitlink:habitlink /app /data
COPY --from=build /opt/habitlink /opt/habitlink
ENV PATH=/opt/habitlink/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    ENVIRONMENT=production \
    DATA_DIR=/data \
    HEALTH_HOST=0.0.0.0 \
    HEALTH_PORT=9100
WORKDIR /app
USER 10001:10001
# 9100: /healthz, /readyz and /metrics; 8443: Telegram's webhook; 8000: the web API.
EXPOSE 9100 8443 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["habitlink", "health"]
ENTRYPOINT ["habitlink"]
CMD ["run"]
