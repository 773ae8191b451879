"""waitress, with the security headers also on the errors waitress answers itself.

waitress answers some requests before the app sees them: a body past
``max_request_body_size`` (413), a malformed request line or header (400), headers too
large (431). Its own error responses carry only Content-Length, Content-Type, Connection,
Date and Server; these classes add the app's security headers (``webapp.security``), so
that every response, the server's own included, has them.
"""

from __future__ import annotations

from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server
from waitress.task import ErrorTask

from webapp.security import HEADERS


class SecureErrorTask(ErrorTask):
    """waitress's error response with the security headers added."""

    def execute(self) -> None:
        self.response_headers.extend(HEADERS.items())
        super().execute()


class SecureChannel(HTTPChannel):
    """An HTTP channel whose server-side errors go through :class:`SecureErrorTask`."""

    error_task_class = SecureErrorTask


def create_secure_server(app: Any, **options: Any) -> Any:
    """``waitress.server.create_server`` whose connections use :class:`SecureChannel`.

    Returns what waitress returns (one server, or a MultiSocketServer for several listen
    addresses); each listening server gets the channel class.
    """
    server = create_server(app, **options)
    listeners = [server] if isinstance(server, BaseWSGIServer) else list(server.map.values())
    for listener in listeners:
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = SecureChannel
    return server


__all__ = ["SecureChannel", "SecureErrorTask", "create_secure_server"]
