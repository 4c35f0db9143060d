# syntax=docker/dockerfile:1
#
# FileForge: the API server and the worker from one image.
#
#   docker build -t fileforge .
#   docker run -p 8000:8000 -v fileforge-data:/data fileforge              # fileforge serve
#   docker run ... fileforge worker                                         # a worker (REDIS_URL, PostgreSQL)
#
# See docs/deployment.md.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: install every dependency, compile every package, then drop the dev dependencies ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Native modules (bcrypt, better-sqlite3, sharp) ship prebuilt binaries for glibc on x64 and
# arm64; the compilers are here for the platforms where they must be built from source.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY . .
# `npm ci` runs the root `prepare` script, which builds every package's dist/ (tsup).
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf packages/*/src packages/*/test packages/test-fixtures examples bench scripts docs test \
 && npm cache clean --force

# ---- runtime: Node, the media and PDF tools, the built packages and production dependencies ----
FROM ${NODE_IMAGE} AS runtime
# ffmpeg/ffprobe (audio and video), pdftoppm from poppler-utils (PDF previews), tini as PID 1
# (forwards signals, so SIGTERM drains requests and jobs; reaps the tools' processes).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg poppler-utils tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 fileforge \
 && useradd --system --uid 10001 --gid fileforge --home-dir /data --shell /usr/sbin/nologin fileforge \
 && mkdir -p /data \
 && chown fileforge:fileforge /data

WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/data \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    NODE_OPTIONS=--max-semi-space-size=1

COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
COPY --chmod=755 deploy/healthcheck.mjs deploy/docker-entrypoint.mjs ./deploy/
# `fileforge …` in `docker exec` / `kubectl exec`, with the same *_FILE secrets as the entry point.
RUN ln -s /app/deploy/docker-entrypoint.mjs /usr/local/bin/fileforge

USER 10001:10001
# Commands run from the data volume, the one place the process may write.
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000

# Liveness of the API process (GET /health on $PORT), with Node: the image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/deploy/healthcheck.mjs"]

ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/deploy/docker-entrypoint.mjs"]
CMD ["serve"]
