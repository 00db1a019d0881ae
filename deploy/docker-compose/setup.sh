#!/usr/bin/env bash
# First-run setup of the docker compose demo. Idempotent; run it from anywhere.
#
#   ./setup.sh                 create .env (PORLA_SECRET_KEY) and secrets/porla_token if missing
#   ./setup.sh --force-token   make a new token even if secrets/porla_token exists
#
# The token is a JWT printed by `porla auth:token`. It has no expiry and stays valid as long
# as Porla's secret key (PORLA_SECRET_KEY in .env) does not change.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

force_token=false
for arg in "$@"; do
    case "$arg" in
        --force-token) force_token=true ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done

if docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
    compose=(docker-compose)
else
    echo "error: neither 'docker compose' nor 'docker-compose' is available" >&2
    exit 1
fi

random_key() {
    if command -v openssl >/dev/null 2>&1; then
        openssl rand -hex 32
    else
        LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 64
        echo
    fi
}

# 1. .env with a fixed PORLA_SECRET_KEY
key_changed=false
if [[ ! -f .env ]]; then
    cp .env.example .env
    chmod 600 .env
fi
if ! grep -Eq '^PORLA_SECRET_KEY=.+' .env; then
    key="$(random_key)"
    tmp="$(mktemp .env.XXXXXX)"
    if grep -q '^PORLA_SECRET_KEY=' .env; then
        sed "s/^PORLA_SECRET_KEY=.*/PORLA_SECRET_KEY=${key}/" .env >"$tmp"
    else
        cat .env >"$tmp"
        printf 'PORLA_SECRET_KEY=%s\n' "$key" >>"$tmp"
    fi
    chmod 600 "$tmp"
    mv "$tmp" .env
    key_changed=true
    echo "wrote PORLA_SECRET_KEY to .env"
fi

# 2. secrets/porla_token, signed with that key
mkdir -p secrets
chmod 700 secrets
if [[ "$force_token" == true || "$key_changed" == true || ! -s secrets/porla_token ]]; then
    echo "generating secrets/porla_token with 'porla auth:token' ..."
    # The command of docs/deployment.md ("Before you start: a Porla token"): --db :memory: keeps
    # this one-off container away from Porla's real database (the token depends only on the
    # secret key); --log-level warning keeps Porla's log, which goes to stdout like the token,
    # out of it; -T: no terminal, whose line ends would add a \r.
    out="$("${compose[@]}" run --rm --no-deps -T \
        porla auth:token --db :memory: --log-level warning)"
    token="$(printf '%s\n' "$out" | tr -d '\r' | grep -E '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' | tail -n 1 || true)"
    if [[ -z "$token" ]]; then
        echo "error: 'porla auth:token' printed no JWT; its output was:" >&2
        printf '%s\n' "$out" >&2
        exit 1
    fi
    # Anything else it printed is a warning of Porla's: show it, keep it out of the file.
    others="$(printf '%s\n' "$out" | tr -d '\r' | grep -v -x -F -e "$token" -e '' || true)"
    if [[ -n "$others" ]]; then
        echo "note: 'porla auth:token' also said:" >&2
        printf '%s\n' "$others" >&2
    fi
    tmp="$(mktemp secrets/porla_token.XXXXXX)"
    printf '%s\n' "$token" >"$tmp"
    # Readable inside the exporter container (uid 65532); the secrets/ directory
    # itself (mode 700) keeps other local users out.
    chmod 644 "$tmp"
    mv "$tmp" secrets/porla_token
    echo "wrote secrets/porla_token"
else
    echo "secrets/porla_token exists; keeping it (use --force-token for a new one)"
fi

cat <<EOF

Next:
  ${compose[*]} up -d --build
  Grafana:     http://127.0.0.1:3000   (no login needed to view; admin password: GRAFANA_ADMIN_PASSWORD, default admin)
  Prometheus:  http://127.0.0.1:9090/targets
  Exporter:    http://127.0.0.1:10337/metrics
EOF
if [[ "$key_changed" == true ]] && "${compose[@]}" ps --quiet porla 2>/dev/null | grep -q .; then
    echo
    echo "Porla is running with the old key: restart it with '${compose[*]} up -d --force-recreate porla porla-exporter'."
fi
