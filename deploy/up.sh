#!/usr/bin/env bash
# ./dev deploy [--local-base] [--offline]: build the images and start the two-replica topology
# (compose.yaml: PostgreSQL/PostGIS, two app replicas, nginx on HTTP_PUBLISH, default 8080) in the
# background, as the compose project `narvarokartan`. Stop: docker compose -p narvarokartan down
# (with the same variables set: keep them in .env).
#   connected:   ./dev deploy                      (base python:3.11-slim-bookworm from Docker Hub)
#   no Hub/PyPI: ./dev deploy --local-base --offline
#       --local-base  a Debian bookworm base made here with debootstrap from DEBIAN_MIRROR
#       --offline     use the wheelhouse/ carried in (./dev wheelhouse on a connected host)
# Needs POSTGRES_PASSWORD and STREAMLIT_SERVER_COOKIE_SECRET (hex), PUBLIC_HOST, and an editor
# sign-in (GEO_APP_EDITOR_PASSWORD_HASH or OIDC): docs/deployment.md.
set -euo pipefail
cd "$(dirname "$0")/.."
local_base= offline=
for arg in "$@"; do
  case "$arg" in
    --local-base) local_base=1 ;;
    --offline) offline=1 ;;
    *) echo "usage: ./dev deploy [--local-base] [--offline]" >&2; exit 2 ;;
  esac
done
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD (e.g. openssl rand -hex 24)}"
: "${STREAMLIT_SERVER_COOKIE_SECRET:?set STREAMLIT_SERVER_COOKIE_SECRET (e.g. openssl rand -hex 32)}"
[ -n "${PUBLIC_HOST:-}" ] || echo "deploy: PUBLIC_HOST not set: only http://localhost:8080 will work" >&2
if [ -n "$local_base" ]; then BASE_IMAGE=$(deploy/base-image.sh); export BASE_IMAGE; fi
if [ -n "$offline" ]; then
  ls wheelhouse/app/*.whl wheelhouse/deps/*.whl >/dev/null 2>&1 \
    || { echo "deploy: --offline needs wheelhouse/ (./dev wheelhouse on a connected host)" >&2; exit 2; }
else
  deploy/wheelhouse.sh wheelhouse
fi
if docker compose version >/dev/null 2>&1; then COMPOSE=(docker compose); else COMPOSE=(docker-compose); fi
"${COMPOSE[@]}" -p narvarokartan -f compose.yaml up -d --build
publish=${HTTP_PUBLISH:-8080}
echo "deploy: started; http://${PUBLIC_HOST:-localhost}:${publish##*:}/ once the replicas are healthy (docker ps)" >&2
