from __future__ import annotations

import pytest

from tests.notifications.support import SmtpServer


@pytest.fixture(scope="session")
def smtp_server():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def smtp(app, smtp_server, monkeypatch):
    """The app sends to the real SMTP server of this test process (not to MAIL_OUTBOX); → its inbox."""
    monkeypatch.delitem(app.config, "MAIL_OUTBOX")
    for name, value in smtp_server.config.items():
        monkeypatch.setitem(app.config, name, value)
    smtp_server.inbox.messages.clear()
    smtp_server.inbox.refuse.clear()
    yield smtp_server.inbox
    if smtp_server._controller is None:  # a test took the server down
        smtp_server.start()
