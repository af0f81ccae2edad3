ARG BASE_IMAGE=python:3.11-slim
ARG TORCH_VERSION=2.13.0
# StoryBot: answers questions about a news story with verbatim, cited quotes (Discord bot).
#
#   docker build -t storybot .
#   docker run -d -e DISCORD_TOKEN -p 8080:8080 storybot          # /healthz and /metrics on 8080
#   docker run --rm storybot storybot ask "How many children do the Baldwins have?"
#
# torch is the CPU-only build: from PyTorch's CPU index (TORCH_INDEX_URL, the default) and/or from
# wheels put in ./wheelhouse before the build. TORCH_INDEX_URL= (empty) uses only the wheelhouse,
# as scripts/check-container.sh does where PyTorch's index is unreachable. PyPI's own torch for
# Linux is a multi-GB CUDA build and is refused below.
# The model and the default story's index are baked in: at run time the container needs no
# network but Discord's. Layers: the dependencies (~1.39 GB) change only with the dependency list
# in pyproject.toml, so a code change rebuilds, and pushes, about a megabyte.

# ---- requirements: the dependency list alone, so that editing other parts of pyproject.toml
#      (tools, test extras) leaves the big layers below cached ----
FROM ${BASE_IMAGE} AS requirements
ARG TORCH_VERSION
COPY pyproject.toml /src/
RUN python -c "import sys, tomllib; \
deps = tomllib.load(open('/src/pyproject.toml', 'rb'))['project']['dependencies']; \
pin = 'torch==' + sys.argv[1]; \
sys.exit(f'pyproject.toml does not pin {pin} (TORCH_VERSION)') if pin not in deps else None; \
print(chr(10).join(deps))" "$TORCH_VERSION" > /requirements.txt

# ---- deps: a virtualenv in /opt/storybot with the CPU torch and every dependency ----
FROM ${BASE_IMAGE} AS deps
ARG TORCH_VERSION
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore \
    PATH=/opt/storybot/bin:$PATH
RUN python -m venv /opt/storybot

# torch alone first: the biggest download. .dockerignore rides along so that the COPY has a
# source even when there is no wheelhouse folder.
COPY .dockerignore wheelhous[e] /wheelhouse/
RUN set -eux; \
    if [ -n "$TORCH_INDEX_URL" ]; then from="--index-url $TORCH_INDEX_URL"; else from="--no-index"; fi; \
    pip install --no-deps --find-links /wheelhouse $from "torch==$TORCH_VERSION"; \
    python -c "import importlib.metadata as m, sys; \
cuda = [r for r in m.requires('torch') or [] if r.startswith('nvidia')]; \
sys.exit(f'torch {m.version(\"torch\")} is a CUDA build, not the CPU one' if cuda else 0)"

# The other dependencies, then a trim of what a CPU service never loads (~300 MB): torch's C++
# headers and test binaries, every package's test suite, and blingfire's tokenizer models and
# Windows/macOS builds (StoryBot only splits sentences, which is built into its Linux library).
COPY --from=requirements /requirements.txt /tmp/requirements.txt
RUN set -eux; \
    pip install -r /tmp/requirements.txt; \
    python -c "import torch; assert torch.version.cuda is None, 'CUDA torch'"; \
    site=$(python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])"); \
    rm -rf "$site/torch/include" "$site/torch/test" "$site/torch/share"; \
    find "$site/torch/bin" -mindepth 1 -not -name torch_shm_manager -exec rm -rf {} +; \
    find "$site" -type d -name tests -prune -exec rm -rf {} +; \
    rm -f "$site"/blingfire/*.bin "$site"/blingfire/*.i2w "$site"/blingfire/*.dll \
          "$site"/blingfire/*.pdb "$site"/blingfire/*.dylib; \
    pip uninstall -y pip; \
    rm -rf /wheelhouse /tmp/requirements.txt

# ---- app: StoryBot's own wheel ----
FROM ${BASE_IMAGE} AS app
COPY pyproject.toml README.m[d] /src/
COPY bot /src/bot
COPY knowledge /src/knowledge
COPY config /src/config
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /dist /src

# ---- runtime: the base image, the virtualenv, a non-root user and the default story's index ----
FROM ${BASE_IMAGE}
# First, so that its cache (and a registry's copy) survives any change below.
COPY --from=deps /opt/storybot /opt/storybot
LABEL org.opencontainers.image.title="StoryBot" \
      org.opencontainers.image.description="Answers questions about a news story with cited quotes"
# /data holds all state (index, votes): mount a volume there. A custom story is mounted read-only
# (e.g. at /story, with STORYBOT_CORPUS__PATHS=/story) and a YAML config at /config.
# These settings may be overridden with -e (the environment wins over a mounted YAML).
ENV PATH=/opt/storybot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HOME=/home/storybot \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    STORYBOT_INDEX__DIR=/data/index \
    STORYBOT_FEEDBACK__PATH=/data/feedback.sqlite3 \
    STORYBOT_LOGGING__LEVEL=info \
    STORYBOT_OPS__ENABLED=true \
    STORYBOT_OPS__HOST=0.0.0.0
# uid 10001 in group 0; group 0 may write too (platforms that run images under an arbitrary uid)
RUN set -eux; \
    useradd --uid 10001 --gid 0 --no-log-init --create-home --home-dir /home/storybot \
            --shell /usr/sbin/nologin storybot; \
    mkdir -p /data/index /story /config; \
    chown -R storybot:0 /data /home/storybot; \
    chmod -R g=u /data /home/storybot
COPY --from=app /dist/ /tmp/dist/
# Install the wheel with the base image's pip (none is left in the virtualenv). The index remembers
# each article's mtime: whole seconds survive any registry's layer format.
RUN set -eux; \
    export PYTHONDONTWRITEBYTECODE=1; \
    pip --python /opt/storybot/bin/python install --no-cache-dir --no-deps --no-index \
        --disable-pip-version-check --root-user-action=ignore /tmp/dist/*.whl; \
    rm -rf /tmp/dist; \
    story=$(python -c "import knowledge.locations as l; print(l.DEFAULT_STORY)"); \
    for f in "$story"/*; do touch -d "@$(stat -c %Y "$f")" "$f"; done
USER storybot
WORKDIR /home/storybot
# Bake the default story's index (and prove the image answers, offline, as this user).
RUN set -eux; \
    storybot index; \
    storybot ask --json "How many children do the Baldwins have?" \
      | python -c "import json, sys; sys.exit(0 if json.load(sys.stdin)['answered'] else 'no answer')"

EXPOSE 8080
# Healthy = index loaded, Discord gateway connected with a recent heartbeat, not shutting down.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot.commands.healthcheck"]
CMD ["storybot", "run"]
