#!/usr/bin/env bash
# The wheelhouse the app image installs from with --no-index: app/ the app's own wheel (built
# reproducibly: timestamps from the last commit), deps/ every runtime dependency at
# requirements.lock's versions as binary wheels for the image's platform (Linux x86-64, CPython 3.11,
# glibc ≥ 2.17). Made on a connected host; carry it (≈ 290 MB) into a restricted network to build there.
#   deploy/wheelhouse.sh [OUT]          (default: wheelhouse/ in the repository)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-wheelhouse}
PY=${PYTHON:-python3}
log() { echo "wheelhouse: $*" >&2; }
command -v uv >/dev/null || "$PY" -m pip install --quiet --disable-pip-version-check uv
mkdir -p "$OUT/app" "$OUT/deps"
rm -rf "$OUT/app"/* "$OUT/deps"/*.whl
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 315532800) uv build --wheel --quiet -o "$OUT/app" .
PLATFORMS=()
for v in $(seq 36 -1 17); do PLATFORMS+=(--platform "manylinux_2_${v}_x86_64"); done
PLATFORMS+=(--platform manylinux2014_x86_64 --platform manylinux2010_x86_64 --platform manylinux1_x86_64)
# the dependencies of the app's wheel, constrained to the lock (pip's own cache makes a rerun quick)
"$PY" -m pip download --quiet --disable-pip-version-check --only-binary=:all: "${PLATFORMS[@]}" \
  --python-version 3.11 --implementation cp --abi cp311 -d "$OUT/deps" -c requirements.lock "$OUT"/app/*.whl \
  2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
rm -f "$OUT"/deps/narvarokartan-*.whl
log "$OUT: $(ls "$OUT"/deps/*.whl | wc -l) dependency wheels + $(basename "$OUT"/app/*.whl), $(du -sh "$OUT" | cut -f1)"
