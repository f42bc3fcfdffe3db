#!/usr/bin/env bash
# Starts JupyterLab with the extension on embedded/local defaults (the README's `make demo`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
demo=$root/.demo
mkdir -p "$demo/notebooks"

# The demo configuration is regenerated on each start so it always matches this checkout.
cat > "$demo/config.toml" <<TOML
[[sources]]
id = "ECB"
name = "ECB Data Portal"
url = "https://data-api.ecb.europa.eu/service"
TOML

export DATAOPS_CONFIG=$demo/config.toml
port=${DEMO_PORT:-8888}
echo "Starting JupyterLab with jupyterlab-dataops on http://localhost:$port/lab (configuration: $DATAOPS_CONFIG)"
exec .venv/bin/jupyter lab --allow-root --no-browser --ip=127.0.0.1 --port="$port" \
  --ServerApp.root_dir="$demo/notebooks" "$@"
