"""Outgoing e-mail. Sent only after the transaction that caused it has committed."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from awards_app.core.logs import get_logger

log = get_logger(__name__)


def mail_enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER")) or "MAIL_OUTBOX" in current_app.config


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text message; returns False (and logs) when it could not be sent."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if "MAIL_OUTBOX" in config:  # tests collect messages instead of sending them
        config["MAIL_OUTBOX"].append(message)
        return True
    if not config.get("MAIL_SERVER"):
        return False
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("could not send mail to %s", to)
        return False
    return True
