# syntax=docker/dockerfile:1
#
# Folio in a container: one self-contained binary (templates, static files
# and SQLite are built in) on a slim Debian, run as an unprivileged user with
# its database in the /data volume.
#
#   docker build --build-arg FOLIO_BUILD=42 \
#     --build-arg FOLIO_COMMIT="$(git rev-parse --short HEAD)" -t folio .
#   docker run -d -p 8000:8000 -v folio-data:/data \
#     -e ROCKET_SECRET_KEY="$(openssl rand -base64 32)" folio
#
# CI lints this file with hadolint, and .ci/image-check builds and runs it
# with a real Docker engine (on base images it makes with debootstrap, as
# image registries are out of reach there; see that script).

# ---- build ------------------------------------------------------------------
# The Rust version must be at least the lock file's newest rust-version (1.89).
FROM rust:1.95.0-slim-bookworm AS builder

# Shown by GET /version and in the page footer; read by the compiler, so a
# new value rebuilds only the folio crate.
ARG FOLIO_BUILD=dev
ARG FOLIO_COMMIT=dev

WORKDIR /src
COPY . .

# The registry and target caches survive between builds (BuildKit). The
# target directory is a cache mount, so the binary is copied out of it here.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    FOLIO_BUILD="${FOLIO_BUILD}" FOLIO_COMMIT="${FOLIO_COMMIT}" \
    cargo build --release --locked \
    && install -D -m 0755 target/release/folio /out/folio

# ---- run --------------------------------------------------------------------
# The same Debian release as the builder, so the binary's glibc matches.
FROM debian:12.11-slim

# The commit the image was built from; GET /version also reports the crate
# version and the build number.
ARG FOLIO_COMMIT=dev
LABEL org.opencontainers.image.title="Folio" \
      org.opencontainers.image.description="A self-hosted story site in one binary" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.revision="${FOLIO_COMMIT}"

# A fixed uid/gid, so a host directory mounted at /data can be chowned to it.
RUN groupadd --system --gid 10001 folio \
    && useradd --system --no-log-init --uid 10001 --gid folio \
       --home-dir /data --no-create-home --shell /usr/sbin/nologin folio \
    && mkdir -p /data \
    && chown folio:folio /data

COPY --from=builder /out/folio /usr/local/bin/folio

# Listen on every interface of the container; keep the database in /data.
# The secret key, the first admin and the rest come from the environment
# (docker-compose.yml reads them from .env; see .env.example).
ENV ROCKET_ADDRESS=0.0.0.0 ROCKET_PORT=8000 ROCKET_DATA_DIR=/data

VOLUME /data
WORKDIR /data
EXPOSE 8000
# Numeric, so that platforms can check it is not root without /etc/passwd.
USER 10001:10001

# `folio healthcheck` asks GET /health/ready on the address and port above
# and exits 0 when it answers 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["folio", "healthcheck"]

# Rocket stops gracefully on SIGTERM (docker stop), finishing open requests.
ENTRYPOINT ["folio"]
CMD ["serve"]
