# Närvarokartan: one app replica, built offline from a wheelhouse (no PyPI access during the build).
#   ./dev wheelhouse                    # on a connected host: wheelhouse/ from requirements.lock + the app's wheel
#   docker build -t narvarokartan-app .                                  # connected: public base image
#   docker build --network none --build-arg BASE_IMAGE=narvarokartan-base:bookworm -t narvarokartan-app .
#                                       # air-gapped: a local Debian bookworm base (deploy/base-image.sh)
# Run (embedded SQLite store in a volume):
#   docker run -p 8501:8501 -v narvaro-data:/var/lib/narvarokartan \
#     -e STREAMLIT_SERVER_ALLOWED_HOSTS="localhost narvaro.myndighet.se" narvarokartan-app
# Two replicas sharing one PostgreSQL behind a proxy: compose.yaml, docs/deployment.md.
ARG BASE_IMAGE=python:3.11-slim-bookworm

# -- install: a virtual environment from the wheelhouse only (--no-index). Dependencies first, the
# app's own wheel second, so a new app version rebuilds one small layer (the ≈ 1 GB of dependencies
# stay cached).
FROM ${BASE_IMAGE} AS deps
COPY wheelhouse/deps /wheelhouse/deps
RUN python3 -m venv /opt/narvarokartan \
 && /opt/narvarokartan/bin/python -m pip install --no-index --no-cache-dir --disable-pip-version-check --quiet \
      --find-links /wheelhouse/deps /wheelhouse/deps/*.whl

FROM deps AS app
COPY wheelhouse/app /wheelhouse/app
RUN /opt/narvarokartan/bin/python -m pip install --no-index --no-cache-dir --disable-pip-version-check --quiet \
      --find-links /wheelhouse/deps /wheelhouse/app/*.whl \
 && /opt/narvarokartan/bin/python -m pip check \
 && /opt/narvarokartan/bin/geo-app --help >/dev/null \
 && cd / && mkdir /stage && cp -a --parents /opt/narvarokartan/bin/geo-app \
      /opt/narvarokartan/lib/python3*/site-packages/geo_app /opt/narvarokartan/lib/python3*/site-packages/narvarokartan-*.dist-info /stage

# -- runtime --------------------------------------------------------------------------------------
FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.vendor=narvarokartan
# The PDF brief (WeasyPrint) needs pango, harfbuzz and the DejaVu fonts. The local base already has
# them (the build then needs no network); on the public base they come from Debian's apt.
ARG SYSTEM_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core"
RUN if [ "$(dpkg-query -W -f='${db:Status-Status}\n' $SYSTEM_PACKAGES 2>/dev/null | grep -c '^installed$')" \
         = "$(echo $SYSTEM_PACKAGES | wc -w)" ]; then echo "system packages: in the base image"; \
    else apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
         $SYSTEM_PACKAGES >/dev/null && rm -rf /var/lib/apt/lists/*; fi \
 && useradd --create-home --uid 10001 --shell /usr/sbin/nologin app \
 && mkdir -p /var/lib/narvarokartan && chown app:app /var/lib/narvarokartan
COPY --from=deps /opt/narvarokartan /opt/narvarokartan
COPY --from=app /stage/ /
USER app
WORKDIR /home/app
# STREAMLIT_BROWSER_SERVER_ADDRESS: set it to the public host name; unset, a server on 0.0.0.0 asks an
# outside service (checkip.amazonaws.com) for its address at start.
ENV PATH=/opt/narvarokartan/bin:$PATH \
    GEO_APP_DATA_DIR=/var/lib/narvarokartan \
    GEO_APP_CACHE_DIR=/home/app/.cache/narvarokartan \
    STREAMLIT_SERVER_ADDRESS=0.0.0.0 \
    STREAMLIT_SERVER_PORT=8501 \
    STREAMLIT_BROWSER_SERVER_ADDRESS=localhost \
    PYTHONUNBUFFERED=1
EXPOSE 8501
VOLUME ["/var/lib/narvarokartan"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
CMD ["geo-app", "serve"]
