"""Logging in and out, one's own account, invitations, and user administration."""
from __future__ import annotations

import math
import time

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, logout_user

from awards_app.accounts import auth, devices, permissions, queries, services
from awards_app.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordForgotForm,
    PasswordSetForm,
    ProfileEditForm,
    UserEditForm,
    UserInviteForm,
)
from awards_app.accounts.models import User, UserSession
from awards_app.accounts.queries import list_users_query, site_choices_query
from awards_app.core.i18n import country_choices, localized, timezone_choices
from awards_app.core.mail import mail_enabled
from awards_app.core.permissions import allowed, require
from awards_app.core.transactions import after_commit, perform
from awards_app.core.urls import external_url, page_number, safe_next, text_arg
from awards_app.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def _login_limit(setting: str):
    return lambda: current_app.config[setting]


def _typed_email() -> str:
    return request.form.get("email", "").strip().lower()


def _typed_account() -> str:
    # Prefixed so that an empty e-mail still has a key (Flask-Limiter skips empty keys).
    return "account:" + _typed_email()


def _device() -> str:
    return "device:" + (devices.trusted_device(_typed_email()) or "")


def _from_trusted_device() -> bool:
    return devices.trusted_device(_typed_email()) is not None


def _login_failed(response) -> bool:
    # Only failed attempts count: a failure shows the form again (200); a success redirects,
    # and a refusal while locked out (429) does not extend the lockout.
    return response.status_code == 200


def _lockout_page(request_limit):
    """The login form again, with how long to wait: the longest of the limits breached."""
    if "login_lockout_page" not in g:
        waits = [lim.reset_at - time.time() for lim in limiter.current_limits if lim.breached]
        # reset_at is rounded up to the next whole second: take that second off again.
        minutes = max(1, math.ceil((max(waits, default=60) - 1) / 60))
        form = LoginForm(formdata=None, email=request.form.get("email", ""))
        flash(_("Too many login attempts. Please wait %(minutes)d minutes and try again.", minutes=minutes), "danger")
        g.login_lockout_page = current_app.make_response(
            (render_template("accounts/login.html", form=form), 429)
        )
    return g.login_lockout_page


_login_limits = {"methods": ["POST"], "deduct_when": _login_failed, "on_breach": _lockout_page}
# A browser that logged in to the account before (its device cookie) is limited on its own;
# other attempts are limited per account and per address (accounts/devices.py).
_untrusted = {**_login_limits, "exempt_when": _from_trusted_device}
_trusted = {**_login_limits, "exempt_when": lambda: not _from_trusted_device()}


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit("LOGIN_RATE_LIMIT_ADDRESS"), key_func=get_remote_address, **_untrusted)
@limiter.limit(_login_limit("LOGIN_RATE_LIMIT_ACCOUNT"), key_func=_typed_account, **_untrusted)
@limiter.limit(_login_limit("LOGIN_RATE_LIMIT_DEVICE"), key_func=_device, **_trusted)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            perform(lambda: services.record_failed_login(form.email.data, request.remote_addr))
            flash(_("The e-mail address or password is not correct."), "danger")
        else:
            email = user.email
            if _start_session(user, remember=form.remember.data):
                response = redirect(safe_next(request.args.get("next")) or url_for("main.index"))
                devices.remember_device(response, email)
                return response
    return render_template("accounts/login.html", form=form)


def _start_session(user: User, *, remember: bool = False) -> bool:
    # A fresh session at login: nothing from before login carries over.
    session.clear()
    return auth.start_session(
        user, remember=remember, address=request.remote_addr, user_agent=request.user_agent.string
    )


@bp.post("/logout")
@login_required
def logout():
    login = auth.current_login()
    perform(lambda: services.log_out(login))
    # Clear first: logout_user() leaves a note in the session that makes Flask-Login delete the
    # "keep me logged in" cookie, and clearing afterwards would lose it (and log the user back in).
    session.clear()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/account", methods=["GET", "POST"])
@allowed(permissions.can_edit_own_account)
def edit_profile():
    form = ProfileEditForm(obj=current_user)
    form.timezone.choices = [(tz, tz) for tz in timezone_choices()]
    form.region.choices = [("", _("As my browser says"))] + country_choices()
    if not current_user.is_admin:
        del form.receive_digest
    if form.validate_on_submit():
        if perform(lambda: services.update_profile(
            current_user, name=form.name.data, locale=form.locale.data, timezone=form.timezone.data,
            region=form.region.data, receive_reminders=form.receive_reminders.data,
            receive_digest=form.receive_digest.data if form.receive_digest else None,
        )):
            session["locale"] = current_user.locale
            # After the change: the message is in the language just chosen.
            flash(_("Your settings have been saved."), "success")
            return redirect(url_for("accounts.edit_profile"))
    return _profile_page(form)


def _profile_page(form):
    return render_template(
        "accounts/profile.html", form=form, logins=queries.live_sessions_of(current_user),
        current_login=auth.current_login(), describe_device=devices.describe,
    )


@bp.post("/account/sessions/<int:login_id>/end")
@allowed(permissions.can_edit_own_account)
def end_session(login_id: int):
    login = db.get_or_404(UserSession, login_id)
    require(login.user_id == current_user.id, 404)
    perform(lambda: services.end_session(current_user, login), success=_("The session has been ended."))
    return redirect(url_for("accounts.edit_profile"))


@bp.post("/account/sessions/end-others")
@allowed(permissions.can_edit_own_account)
def end_other_sessions():
    keep = auth.current_login()
    perform(lambda: services.end_sessions(current_user, current_user, keep=keep),
            success=_("Your other sessions have been ended."))
    return redirect(url_for("accounts.edit_profile"))


@bp.route("/account/password", methods=["GET", "POST"])
@allowed(permissions.can_edit_own_account)
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            user, keep = current_user._get_current_object(), auth.current_login()
            if perform(lambda: services.change_password(user, form.password.data, keep=keep)):
                flash(_("Your password has been changed. Your other sessions have been ended."), "success")
                return redirect(url_for("accounts.edit_profile"))
    return render_template("accounts/password.html", form=form)


def _reset_refused(request_limit):
    """The request form again, 429, saying to wait (the same whether the address has an account)."""
    if "reset_refused_page" not in g:
        form = PasswordForgotForm(formdata=None, email=request.form.get("email", ""))
        flash(_("Too many requests for a password reset. Please try again in an hour."), "danger")
        g.reset_refused_page = current_app.make_response(
            (render_template("accounts/password_forgot.html", form=form), 429))
    return g.reset_refused_page


_reset_limits = {"methods": ["POST"], "on_breach": _reset_refused}


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit("PASSWORD_RESET_RATE_LIMIT_ADDRESS"), key_func=get_remote_address, **_reset_limits)
@limiter.limit(_login_limit("PASSWORD_RESET_RATE_LIMIT_ACCOUNT"), key_func=lambda: "reset:" + _typed_account(),
               **_reset_limits)
def request_password_reset():
    form = PasswordForgotForm()
    if form.validate_on_submit():
        perform(lambda: services.request_password_reset(form.email.data, ip=request.remote_addr))
        # The same answer whether or not the address has an account.
        flash(_("If an account uses this address, a link to set a new password is on its way. "
                "It works once, for one hour."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/password_forgot.html", form=form)


@bp.route("/password/reset/<secret:token>", methods=["GET", "POST"])
def reset_password(token: str):
    reset = services.get_usable_password_reset(token)
    if reset is None:
        return render_template("accounts/password_reset_invalid.html"), 404
    form = PasswordSetForm()
    if form.validate_on_submit():
        if perform(lambda: services.reset_password(reset, form.password.data)):
            session.clear()
            flash(_("Your new password is set, and every session of your account has ended. Please log in."),
                  "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/password_reset.html", form=form, user=reset.user)


@bp.route("/invitations/<secret:token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = services.get_usable_invitation(token)
    if invitation is None:
        return render_template("accounts/invitation_invalid.html"), 404
    form = PasswordSetForm()
    if form.validate_on_submit():
        done = perform(lambda: services.accept_invitation(invitation, form.password.data))
        if done and _start_session(done.value):
            flash(_("Welcome, %(name)s. Your password has been set.", name=done.value.name), "success")
            return redirect(url_for("main.index"))
    return render_template("accounts/invitation.html", form=form, invitation=invitation)


# --- administration ---------------------------------------------------------------------------


def _site_choices():
    return [(site.id, f"{site.code} — {localized(site, 'name')}") for site in db.session.scalars(site_choices_query())]


@bp.get("/admin/users")
@allowed(permissions.can_manage_users)
def list_users():
    search = text_arg("q", 100)
    role = request.args.get("role", "")
    page = db.paginate(list_users_query(search, role), page=page_number(50), per_page=50, error_out=False)
    return render_template("accounts/users.html", page=page, search=search, role=role)


def _invite(user: User) -> User:
    """A new invitation for `user`. Once it is stored, the link is kept for the user's page, which
    shows it once; the invitation e-mail (when mail is set up) goes through the outbox, which the
    domain event `user.invited` writes."""
    days = current_app.config["INVITATION_DAYS"]
    token = services.issue_invitation(current_user, user, days)
    link = external_url("accounts.accept_invitation", token=token)
    mailed = mail_enabled()
    user_id = user.id  # after the commit the user's attributes would need the database again

    def remember() -> None:
        session["invitation_link"] = {"user_id": user_id, "link": link, "mailed": mailed}

    after_commit(remember)
    return user


@bp.route("/admin/users/new", methods=["GET", "POST"])
@allowed(permissions.can_manage_users)
def invite_user():
    form = UserInviteForm()
    form.sites.choices = _site_choices()
    if request.method == "GET":
        form.locale.data = "ja"
    if form.validate_on_submit():
        done = perform(lambda: _invite(services.create_user(
            current_user, email=form.email.data, name=form.name.data, roles=form.roles.data,
            site_ids=form.sites.data, locale=form.locale.data,
        )), form=form)
        if done:
            flash(_("The account for %(name)s has been created.", name=done.value.name), "success")
            return redirect(url_for("accounts.edit_user", user_id=done.value.id))
    return render_template("accounts/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@allowed(permissions.can_manage_users)
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    form.sites.choices = _site_choices()
    if request.method == "GET":
        form.roles.data = user.roles
        form.sites.data = sorted(user.site_ids)
    if form.validate_on_submit():
        if perform(lambda: services.update_user(current_user, user, name=form.name.data, roles=form.roles.data,
                                                site_ids=form.sites.data),
                   form=form, success=_("The changes have been saved.")):
            return redirect(url_for("accounts.edit_user", user_id=user.id))
    invitation = session.get("invitation_link")
    if invitation and invitation.get("user_id") == user.id:
        session.pop("invitation_link")
    else:
        invitation = None
    return render_template("accounts/user_form.html", form=form, user=user, invitation=invitation,
                           can_deactivate=permissions.can_deactivate(current_user, user))


@bp.post("/admin/users/<int:user_id>/invitation")
@allowed(permissions.can_manage_users)
def reinvite_user(user_id: int):
    user = db.get_or_404(User, user_id)
    require(user.active, 400)
    perform(lambda: _invite(user), success=_("A new invitation link has been created. Earlier links no longer work."))
    return redirect(url_for("accounts.edit_user", user_id=user.id))


@bp.post("/admin/users/<int:user_id>/active")
@allowed(permissions.can_manage_users)
def set_user_active(user_id: int):
    user = db.get_or_404(User, user_id)
    active = request.form.get("active") == "1"
    perform(lambda: services.set_user_active(current_user, user, active),
            success=_("The account has been reactivated.") if active else _("The account has been deactivated."))
    return redirect(url_for("accounts.edit_user", user_id=user.id))
