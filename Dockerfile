# Närvarokartan: one app replica. Build: docker build -t narvarokartan .
# Run (embedded SQLite store in a volume):
#   docker run -p 8501:8501 -v narvaro-data:/var/lib/narvarokartan \
#     -e STREAMLIT_SERVER_ALLOWED_HOSTS="localhost narvaro.myndighet.se" narvarokartan
# Several replicas share one PostgreSQL: see compose.yaml and docs/deployment.md.
FROM python:3.11-slim-bookworm AS build
RUN pip install --no-cache-dir uv
WORKDIR /src
COPY pyproject.toml requirements.lock README.md ./
COPY geo_app geo_app
COPY data data
COPY layers layers
COPY pages pages
RUN uv build --wheel -o /dist .

FROM python:3.11-slim-bookworm
RUN pip install --no-cache-dir uv && useradd --create-home --uid 10001 app \
 && mkdir -p /var/lib/narvarokartan && chown app /var/lib/narvarokartan
COPY --from=build /dist /dist
COPY requirements.lock /tmp/requirements.lock
# runtime dependencies at the lock's versions (the test extras are not installed)
RUN uv pip install --system --no-cache /dist/*.whl -c /tmp/requirements.lock && rm -rf /dist /tmp/requirements.lock
USER app
WORKDIR /home/app
ENV GEO_APP_DATA_DIR=/var/lib/narvarokartan \
    GEO_APP_CACHE_DIR=/home/app/.cache/narvarokartan \
    STREAMLIT_SERVER_ADDRESS=0.0.0.0 \
    STREAMLIT_SERVER_PORT=8501 \
    PYTHONUNBUFFERED=1
EXPOSE 8501
VOLUME ["/var/lib/narvarokartan"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
CMD ["geo-app", "serve"]
