"""Error pages in both languages. Every refusal is a page, never a crash or a leak."""
from __future__ import annotations


from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from awards_app.extensions import db
from awards_app.core.logs import get_logger
from awards_app.core.urls import loggable_path

log = get_logger(__name__)


def _titles():
    return {
        400: (_("Bad request"), _("The request could not be understood. Please go back and try again.")),
        403: (_("Not allowed"), _("You do not have permission to see this page.")),
        404: (_("Not found"), _("There is nothing here, or it is not yours to see.")),
        405: (_("Not allowed"), _("This action cannot be done this way.")),
        409: (_("Conflict"), _("Someone else changed this in the meantime.")),
        413: (
            _("File too large"),
            _("The upload is larger than the server accepts. Please choose a smaller file."),
        ),
        429: (_("Too many requests"), _("Too many attempts in a short time. Please wait a few minutes and try again.")),
        500: (_("Something went wrong"), _("An unexpected error occurred. It has been logged; please try again.")),
        503: (_("Not available"), _("This part of the service is not available on this server right now.")),
    }


def render_error(status: int, message: str | None = None):
    title, default_message = _titles().get(status, (str(status), ""))
    return (
        render_template("errors/error.html", status=status, title=title, message=message or default_message),
        status,
    )


def init_app(app) -> None:
    get_logger(app.logger.name)  # Flask's own logger escapes its lines too

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        db.session.rollback()
        return render_error(400, _("Your form expired or was sent from elsewhere. Please reload the page and try again."))

    @app.errorhandler(429)
    def too_many_requests(error: HTTPException):
        # A rate limit may bring its own page (the login form with the lockout message).
        db.session.rollback()
        if error.response is not None:
            return error.response
        return render_error(429)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        db.session.rollback()
        if error.code is None or error.code < 400:
            return error
        body, status = render_error(error.code)
        # Keep the headers the error defines, e.g. Allow on a 405 (required by RFC 9110).
        headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
        return body, status, headers

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, loggable_path())
        if app.testing and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise error
        return render_error(500)
