"""``dataops service``: run the DataOps hub service (started by JupyterHub, see docs/jupyterhub.md)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from dataops.service.settings import ServiceSettings, check_secrets_file


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``service`` sub-command."""
    p = subparsers.add_parser(
        "service",
        help="run the DataOps hub service (JupyterHub starts it)",
        description=(
            "Run the DataOps service as a JupyterHub-managed service: it listens on JUPYTERHUB_SERVICE_URL "
            "under JUPYTERHUB_SERVICE_PREFIX and authenticates every caller with the hub."
        ),
    )
    p.add_argument(
        "--secrets",
        help="the service's credentials file, readable by the service account only "
        "(default: $DATAOPS_SERVICE_SECRETS or /etc/dataops/service/secrets.toml)",
    )
    p.add_argument(
        "--config",
        help="the administrator's configuration with the environments and rights "
        "(default: $DATAOPS_SERVICE_CONFIG or /etc/dataops/config.toml); no user's file is read",
    )
    p.set_defaults(func=run_service)


def run_service(args: argparse.Namespace) -> int:
    """Check the settings, listen, and serve until SIGTERM or SIGINT."""
    settings = ServiceSettings.from_environment(secrets_file=args.secrets, config_file=args.config)
    check_secrets_file(settings.secrets_file)
    logging.basicConfig(level=logging.INFO, format="[dataops service %(levelname)s %(asctime)s] %(message)s")
    # httpx logs every request to the hub at INFO; the service's access log already says enough.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    asyncio.run(_serve(settings))
    return 0


async def _serve(settings: ServiceSettings) -> None:
    # jupyterhub (and tornado) are imported here so `dataops --help` works without them installed.
    from dataops.service.app import make_app

    app = make_app(settings)
    server = app.listen(settings.port, address=settings.host, xheaders=False)
    logging.getLogger("dataops.service").info(
        "listening on http://%s:%d%s", settings.host, settings.port, settings.prefix
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.stop()
    await app.settings["directory"].close()
    await app.settings["flows"].close()
