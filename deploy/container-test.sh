#!/usr/bin/env bash
# ./dev container-test: build the images offline-capable and run the two-replica topology for real.
#  1. Docker: Debian's docker.io + docker-compose (installed as root if missing; dockerd started
#     in the background if not running, and stopped again at the end).
#  2. The local Debian base (deploy/base-image.sh; cached in $NARVARO_CACHE, default
#     /var/cache/narvarokartan) unless BASE_IMAGE is set; the wheelhouse (deploy/wheelhouse.sh).
#  3. Images: the app with `docker build --network none` (proves the build needs no network),
#     PostgreSQL/PostGIS and nginx from Debian packages on the same base.
#  4. compose.yaml (+ deploy/compose.test.yaml) under a project of its own; tests/test_container.py
#     checks health through the proxy, stickiness, an editor's import on replica A listed on B,
#     and a kill -9 of a replica mid-session.
#  5. Everything it started is stopped and removed (containers, network, volumes), also on failure.
# Without Docker and without root it prints SKIPPED and exits 0 (CI stays green, loudly).
set -euo pipefail
cd "$(dirname "$0")/.."
export NARVARO_CACHE=${NARVARO_CACHE:-/var/cache/narvarokartan}
log() { echo "container-test: $*" >&2; }
skip() { log "SKIPPED — $*"; exit 0; }

STARTED_DOCKERD=
ensure_docker() {
  if ! command -v dockerd >/dev/null || ! command -v docker-compose >/dev/null; then
    [ "$(id -u)" = 0 ] || skip "needs Docker: sudo apt-get install docker.io docker-compose debootstrap"
    command -v apt-get >/dev/null || skip "needs Debian's apt-get to install docker.io"
    log "installing Debian's docker.io, docker-compose, debootstrap …"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io docker-compose debootstrap >/dev/null
  fi
  docker info >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || skip "the Docker daemon is not running and this is not root"
  mkdir -p "$NARVARO_CACHE"
  log "starting dockerd (log: $NARVARO_CACHE/dockerd.log) …"
  dockerd >"$NARVARO_CACHE/dockerd.log" 2>&1 &
  STARTED_DOCKERD=$!
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && return 0; sleep 1; done
  tail -20 "$NARVARO_CACHE/dockerd.log" >&2
  log "dockerd did not start"; exit 1
}

PROJECT=narvaro-ct-$$
COMPOSE=(docker-compose -p "$PROJECT" -f compose.yaml -f deploy/compose.test.yaml)
cleanup() {
  local rc=$?
  if [ -n "${UP:-}" ]; then
    [ "$rc" = 0 ] || "${COMPOSE[@]}" logs --no-color --tail=40 >&2 || true
    "${COMPOSE[@]}" down --volumes --remove-orphans --timeout 10 >/dev/null 2>&1 || log "compose down failed"
  fi
  # earlier builds of the images, untagged by this one (the build cache of the current ones stays)
  docker image prune -f --filter label=org.opencontainers.image.vendor=narvarokartan >/dev/null 2>&1 || true
  if [ -n "$STARTED_DOCKERD" ]; then kill "$STARTED_DOCKERD" 2>/dev/null && wait "$STARTED_DOCKERD" 2>/dev/null || true; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_docker
# one run at a time on a machine (the images' tags are shared)
mkdir -p "$NARVARO_CACHE"
exec 9>"$NARVARO_CACHE/container-test.lock"
flock -w 1800 9 || { log "another container-test holds $NARVARO_CACHE/container-test.lock"; exit 1; }
t0=$SECONDS
if [ -z "${BASE_IMAGE:-}" ]; then BASE_IMAGE=$(deploy/base-image.sh); fi
export BASE_IMAGE
deploy/wheelhouse.sh wheelhouse
log "building images on $BASE_IMAGE …"
docker build -q --network none --build-arg BASE_IMAGE="$BASE_IMAGE" -t narvarokartan-app:latest . >/dev/null
docker build -q --build-arg BASE_IMAGE="$BASE_IMAGE" -f deploy/postgres.Dockerfile -t narvarokartan-postgres:latest deploy >/dev/null
docker build -q --build-arg BASE_IMAGE="$BASE_IMAGE" -f deploy/proxy.Dockerfile -t narvarokartan-proxy:latest deploy >/dev/null
log "images ready after $((SECONDS - t0)) s"

export POSTGRES_PASSWORD STREAMLIT_SERVER_COOKIE_SECRET GEO_APP_EDITOR_PASSWORD_HASH NARVARO_EDITOR_PASSWORD
POSTGRES_PASSWORD=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
STREAMLIT_SERVER_COOKIE_SECRET=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
NARVARO_EDITOR_PASSWORD=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
./dev setup
GEO_APP_EDITOR_PASSWORD_HASH=$(printf '%s\n' "$NARVARO_EDITOR_PASSWORD" | .venv/bin/geo-app hash-password --stdin)
export HTTP_PUBLISH=127.0.0.1:   # a random free port on 127.0.0.1
UP=1
"${COMPOSE[@]}" up -d --no-build
for service in db app1 app2; do
  id=$("${COMPOSE[@]}" ps -q "$service")
  for _ in $(seq 120); do
    status=$(docker inspect -f '{{.State.Health.Status}}' "$id")
    [ "$status" = healthy ] && break
    sleep 1
  done
  [ "$status" = healthy ] || { log "$service is $status"; exit 1; }
done
log "topology healthy after $((SECONDS - t0)) s"
export NARVARO_CONTAINER_PROJECT=$PROJECT
.venv/bin/python -m pytest -p no:cacheprovider -q tests/test_container.py
log "passed in $((SECONDS - t0)) s"
