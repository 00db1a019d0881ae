# syntax=docker/dockerfile:1
#
# porla-exporter container image.
#
#   docker build -t porla-exporter:dev .
#   docker build -t porla-exporter:0.1.0 \
#     --build-arg VERSION=0.1.0 --build-arg REVISION="$(git rev-parse HEAD)" .
#
# Needs BuildKit (the default builder since Docker 23) for the cache mounts below.
# See docs/deployment.md for how to run the image.

# Rust toolchain of the build stage; pin it with --build-arg RUST_VERSION=1.95.
ARG RUST_VERSION=1

# ---------------------------------------------------------------------------
# Build stage: Debian bookworm, so the binary links against the same glibc
# (2.36) as the distroless cc-debian12 runtime below.
# ---------------------------------------------------------------------------
FROM rust:${RUST_VERSION}-bookworm AS builder

# The git commit for the `revision` label of porla_exporter_build_info. build.rs
# reads it from .git in a checkout, but .git is not in the build context, so it
# comes from this argument (PORLA_EXPORTER_REVISION wins over git in build.rs).
# build.rs fills `rustc_version` from the compiler itself.
ARG REVISION=unknown

SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src

COPY . .

# Dependency caching: the cargo registry and target/ live in BuildKit cache
# mounts that survive between builds, so an edit to src/ recompiles only the
# crate itself, not its dependencies. The binary has to be copied out of the
# target/ cache mount within the same RUN.
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git/db,sharing=locked \
    --mount=type=cache,target=/src/target,sharing=locked \
    PORLA_EXPORTER_REVISION="${REVISION}" \
    CARGO_PROFILE_RELEASE_STRIP=symbols \
    cargo build --release --locked --bin porla-exporter \
 && install -D -m 0755 target/release/porla-exporter /out/porla-exporter

# ---------------------------------------------------------------------------
# Runtime stage: glibc, libgcc and CA certificates, no shell, no package
# manager, runs as uid/gid 65532 ("nonroot"). The crate uses rustls, so no
# OpenSSL is needed.
# ---------------------------------------------------------------------------
FROM gcr.io/distroless/cc-debian12:nonroot

ARG VERSION=dev
ARG REVISION=unknown

LABEL org.opencontainers.image.title="porla-exporter" \
      org.opencontainers.image.description="Prometheus exporter for the tracker announce state of the Porla BitTorrent daemon" \
      org.opencontainers.image.source="https://github.com/porla-exporter/porla-exporter" \
      org.opencontainers.image.documentation="https://github.com/porla-exporter/porla-exporter/blob/main/docs/deployment.md" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"

COPY --from=builder /out/porla-exporter /usr/local/bin/porla-exporter

USER 65532:65532

EXPOSE 10337

# `porla-exporter healthcheck` sends GET /-/healthy to --web.listen-address
# (read from PORLA_EXPORTER_WEB_LISTEN_ADDRESS; 127.0.0.1 for ":port") and
# exits 0 or 1. Through TLS when the web config (PORLA_EXPORTER_WEB_CONFIG_FILE)
# turns it on; basic auth does not cover /-/healthy. Set the port and the web
# config through these environment variables, not flags, so that the health
# check finds them too.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/porla-exporter", "healthcheck"]

ENTRYPOINT ["/usr/local/bin/porla-exporter"]
