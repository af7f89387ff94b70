"""Serve a demo PKI's CRLs, OCSP responder, time-stamping authority and CA certificates over HTTP.

The URLs are embedded in the certificates, so the port is chosen first:

    port = free_loopback_port()
    pki = demo_pki_build(..., base_url=f"http://127.0.0.1:{port}")
    server = PkiServer(pki, port)
    server.start()      # background daemon thread; or serve_forever() in the foreground
    ...
    server.stop()
"""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

    from signatures.demo_pki.builder import DemoPki

LOOPBACK = "127.0.0.1"
_START_TIMEOUT_SECONDS = 10.0


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (another process may still take it before use)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def pki_web_app(pki: DemoPki) -> web.Application:
    """certomancer's CRL/OCSP/TSA routes plus the CA certificates that the AIA caIssuers URLs name."""
    from urllib.parse import urlsplit

    from aiohttp import web
    from certomancer.integrations.aiohttp_illusionist import AsyncIllusionist

    app = AsyncIllusionist(pki.arch).build_app()
    services = pki.arch.service_registry
    for repository in services.list_cert_repos():
        issuer_der = services.get_cert_from_repo(repository.label).dump()

        async def issuer_certificate(request: web.Request, body: bytes = issuer_der) -> web.Response:
            return web.Response(body=body, content_type="application/pkix-cert")

        app.router.add_get(urlsplit(repository.issuer_cert_url(use_pem=False)).path, issuer_certificate)
    return app


class PkiServer:
    """An HTTP server for one DemoPki on 127.0.0.1:`port`, in its own event loop."""

    def __init__(self, pki: DemoPki, port: int, *, host: str = LOOPBACK) -> None:
        self.pki = pki
        self.port = port
        self.host = host
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        """Serve in a daemon thread; returns once the port is listening (or raises why it is not)."""
        if self._thread is not None:
            raise RuntimeError("the PKI server is already running")
        started = threading.Event()
        failure: list[BaseException] = []
        loop = asyncio.new_event_loop()

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._site_start())
            except BaseException as error:  # reported to start() in the calling thread
                failure.append(error)
                loop.close()
                started.set()
                return
            started.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self._site_stop())
                loop.close()

        thread = threading.Thread(target=run, name=f"demo-pki-server-{self.port}", daemon=True)
        thread.start()
        if not started.wait(_START_TIMEOUT_SECONDS):
            raise RuntimeError(f"the PKI server did not start on {self.url} in {_START_TIMEOUT_SECONDS:.0f} s")
        if failure:
            thread.join()
            raise RuntimeError(f"the PKI server could not start on {self.url}") from failure[0]
        self._loop, self._thread = loop, thread

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(_START_TIMEOUT_SECONDS)
        self._loop = self._thread = None

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (Ctrl+C)."""
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._site_start())
            loop.run_forever()
        except KeyboardInterrupt:
            pass
        finally:
            loop.run_until_complete(self._site_stop())
            loop.close()

    def __enter__(self) -> PkiServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def _site_start(self) -> None:
        from aiohttp import web

        # No access log: pyHanko's fetches would flood test output and `make run`'s console.
        runner = web.AppRunner(pki_web_app(self.pki), access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner

    async def _site_stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
