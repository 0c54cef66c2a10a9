"""Outgoing e-mail: one message to the SMTP server of MAIL_SERVER / MAIL_PORT.

Only the outbox's sender (awards_app.notifications, in the job queue's consumer) calls `deliver`,
after the transaction that caused the message has committed. It raises `MailError`, which says
whether trying again later can help (the server is down, or answered 4xx) or not (5xx: the server
refused the address), with the server's answer.
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app


class MailError(Exception):
    def __init__(self, answer: str, *, permanent: bool):
        super().__init__(answer)
        self.answer = answer
        self.permanent = permanent


def mail_enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER")) or "MAIL_OUTBOX" in current_app.config


def build_message(to: str, subject: str, text: str, html: str | None = None, *, message_id: str | None = None,
                  language: str | None = None) -> EmailMessage:
    """A plain-text message, with an HTML alternative when `html` is given.

    The subject must be one line: the standard library refuses a header holding CR or LF
    (ValueError), which the outbox's rendering never lets through."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="mdd-awards")
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    if language:  # after the content: setting it clears the Content-* headers
        message["Content-Language"] = language
    return message


def deliver(message: EmailMessage) -> None:
    """Hand `message` to the SMTP server, or raise MailError."""
    config = current_app.config
    if "MAIL_OUTBOX" in config:  # tests that do not run an SMTP server collect messages instead
        config["MAIL_OUTBOX"].append(message)
        return
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        code, answer = next(iter(error.recipients.values()))
        raise MailError(f"{code} {_text(answer)}", permanent=code >= 500) from error
    except smtplib.SMTPResponseException as error:
        raise MailError(f"{error.smtp_code} {_text(error.smtp_error)}", permanent=error.smtp_code >= 500) from error
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(str(error) or type(error).__name__, permanent=False) from error


def _text(answer) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
