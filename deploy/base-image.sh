#!/usr/bin/env bash
# A Debian bookworm base image made locally with debootstrap, for builds that cannot pull from
# Docker Hub (restricted networks). It has Debian's Python 3.11 (+ venv) and the PDF brief's
# libraries, so the app image builds from it with no network at all; apt inside it reaches
# DEBIAN_MIRROR (the database and proxy images install PostgreSQL/PostGIS and nginx from there).
#   deploy/base-image.sh            → prints the image tag (narvarokartan-base:bookworm-<key>)
# Cached twice: the rootfs tarball in $NARVARO_CACHE (default /var/cache/narvarokartan, outside the
# clone, shared by CI runs) and the image in Docker. Needs root (debootstrap) on a Debian host.
set -euo pipefail
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
CACHE=${NARVARO_CACHE:-/var/cache/narvarokartan}
PACKAGES=python3,python3-venv,ca-certificates,libpango-1.0-0,libpangoft2-1.0-0,libharfbuzz0b,libharfbuzz-subset0,fonts-dejavu-core
KEY=$(printf '%s\n' bookworm "$MIRROR" "$SECURITY" "$PACKAGES" 1 | sha256sum | cut -c1-12)
TAG=narvarokartan-base:bookworm-$KEY
log() { echo "base-image: $*" >&2; }

if docker image inspect "$TAG" >/dev/null 2>&1; then
  log "cached image $TAG"
else
  mkdir -p "$CACHE"
  TAR=$CACHE/base-bookworm-$KEY.tar
  if [ ! -s "$TAR" ]; then
    if ! command -v debootstrap >/dev/null; then
      [ "$(id -u)" = 0 ] || { log "needs debootstrap: sudo apt-get install debootstrap"; exit 1; }
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    fi
    ROOT=$(mktemp -d "$CACHE/rootfs.XXXXXX")
    trap 'rm -rf "$ROOT"' EXIT
    log "debootstrap bookworm from $MIRROR (≈ 1.5 min) …"
    debootstrap --variant=minbase --include="$PACKAGES" bookworm "$ROOT" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
      || { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
    cat >"$ROOT/etc/apt/sources.list" <<SOURCES
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $SECURITY bookworm-security main
SOURCES
    rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/log/*.log
    tar --numeric-owner -C "$ROOT" -cf "$TAR.tmp" . && mv "$TAR.tmp" "$TAR"
    log "cached rootfs $TAR ($(du -h "$TAR" | cut -f1))"
  fi
  docker import --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' "$TAR" "$TAG" >/dev/null
  log "imported $TAG"
fi
docker tag "$TAG" narvarokartan-base:bookworm
echo "$TAG"
