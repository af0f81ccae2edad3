#!/usr/bin/env bash
# Build the Dockerfile for real and prove the image works: it answers a question with networking
# off, runs as a non-root user, and has a HEALTHCHECK whose command runs.
#
#   bash scripts/check-container.sh
#
# Here (no Docker, no PyTorch index) it puts the CPU torch wheel in ./wheelhouse (pip finds it on
# this machine), builds with ../shared/tools/container-check.sh (podman; it installs podman the
# first time) and builds with TORCH_INDEX_URL= so that only the wheelhouse is used.
# env: IMAGE (default localhost/storybot:check), CT_ROOT (podman state, as container-check.sh),
#      CONTAINER_CHECK (path of container-check.sh), TORCH_VERSION (default 2.13.0),
#      PY_VERSION (default 3.11), EXTRA_BUILD_ARGS (more `podman build` arguments).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export IMAGE=${IMAGE:-localhost/storybot:check}
export CT_ROOT=${CT_ROOT:-/var/tmp/container-check}
export PY_VERSION=${PY_VERSION:-3.11}
TORCH_VERSION=${TORCH_VERSION:-2.13.0}
CONTAINER_CHECK=${CONTAINER_CHECK:-$ROOT/../shared/tools/container-check.sh}
[[ -f $CONTAINER_CHECK ]] || CONTAINER_CHECK=/work/shared/tools/container-check.sh
QUESTION="How many children do the Baldwins have?"
T0=$SECONDS
say() { printf '[check-container %4ss] %s\n' "$((SECONDS - T0))" "$*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

# 1. The CPU torch wheel, in the build context (git ignores wheelhouse/).
wheelhouse=$ROOT/wheelhouse
cpu_wheel() { compgen -G "$wheelhouse/torch-$TORCH_VERSION+cpu-cp${PY_VERSION/./}-*.whl" | head -1; }
if [[ -z $(cpu_wheel) ]]; then
  say "pip download torch==$TORCH_VERSION (CPU build) into wheelhouse/"
  mkdir -p "$wheelhouse"
  # "+cpu" pins the CPU build: where pip cannot find it, this fails fast instead of fetching the
  # multi-GB CUDA torch that PyPI serves for Linux.
  python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version "$PY_VERSION" \
    -d "$wheelhouse" "torch==$TORCH_VERSION+cpu" \
    || fail "pip found no CPU build of torch $TORCH_VERSION (give pip PyTorch's CPU index or wheel)"
  [[ -n $(cpu_wheel) ]] || fail "no torch-$TORCH_VERSION+cpu wheel for Python $PY_VERSION in $wheelhouse"
fi
say "wheelhouse: $(basename "$(cpu_wheel)")"

# 2. Build (and a first smoke run) with the shared recipe.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
t=$SECONDS
EXTRA_BUILD_ARGS="--build-arg TORCH_INDEX_URL= --build-arg TORCH_VERSION=$TORCH_VERSION ${EXTRA_BUILD_ARGS:-}" \
  bash "$CONTAINER_CHECK" "$ROOT" storybot --version 2>&1 | tee "$log" >&2
build_seconds=$((SECONDS - t))
build_only=$(grep -o 'build ok in [0-9]*s' "$log" | grep -o '[0-9]*' || echo '?')

export CONTAINERS_STORAGE_CONF=$CT_ROOT/storage.conf CONTAINERS_CONF=$CT_ROOT/containers.conf

# 3. The image: not root, with a HEALTHCHECK.
user=$(podman image inspect --format '{{.Config.User}}' "$IMAGE")
[[ -n $user && ! $user =~ ^(root|0)(:|$) ]] || fail "the image runs as root (USER '${user}')"
health=$(podman image inspect --format '{{if .Config.Healthcheck}}{{.Config.Healthcheck.Test}}{{end}}' "$IMAGE" 2>/dev/null \
         || podman image inspect --format '{{.HealthCheck}}' "$IMAGE")
[[ -n $health && $health != "<nil>" && $health != *NONE* ]] || fail "the image has no HEALTHCHECK"
say "user $user; healthcheck $health"

# 4. An answer with networking off: model and index are in the image.
t=$SECONDS
answer=$(podman run --rm --network none --no-healthcheck "$IMAGE" storybot ask --json "$QUESTION")
answer_seconds=$((SECONDS - t))
python3 - "$answer" <<'EOF' || fail "no cited answer: $answer"
import json, sys
data = json.loads(sys.argv[1])
assert data["answered"] is True, "not answered"
assert data["citations"], "no citation"
assert data["citations"][0]["snippet"] == data["answer"], "answer is not its first citation"
assert "seven children" in data["answer"], data["answer"]
EOF
say "offline answer: $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["answer"][:70])' "$answer")..."

# 5. The HEALTHCHECK's command runs in the image (nothing serves here, so it must say unreachable).
if probe=$(podman run --rm --network none --no-healthcheck "$IMAGE" python -m bot.commands.healthcheck 2>&1); then
  fail "healthcheck passed with nothing serving: $probe"
fi
[[ $probe == *"/healthz: unreachable"* ]] || fail "healthcheck command broken: $probe"

size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
say "OK: image $IMAGE $((size / 1000000)) MB; build ${build_only}s (recipe total ${build_seconds}s); offline \`storybot ask\` from container start ${answer_seconds}s; total $((SECONDS - T0))s"
