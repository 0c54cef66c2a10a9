"""The outbox for admins: every message, filtered; read one as sent; retry or cancel; and the
judge progress page's "remind" button."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards_app.accounts.models import User
from awards_app.core.permissions import allowed, require
from awards_app.core.transactions import perform
from awards_app.core.urls import db_int, page_number, text_arg
from awards_app.cycles.fiscal import fiscal_year_label
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.notifications import messages, outbox, permissions, queries, reminders
from awards_app.notifications.forms import AdminMessageForm
from awards_app.notifications.models import Notification, NotificationState
from awards_app.notifications.services import KINDS

bp = Blueprint("notifications", __name__)

ALL_KINDS = sorted({*KINDS, *reminders.SUBJECTS, "admin_message"})


@bp.get("/admin/outbox")
@allowed(permissions.can_manage_outbox)
def list_outbox():
    try:
        state = NotificationState(request.args.get("state", ""))
    except ValueError:
        state = None
    kind = request.args.get("kind", "")
    if kind not in ALL_KINDS:
        kind = ""
    recipient = text_arg("recipient", 254)
    cycle_id = request.args.get("cycle", type=db_int)
    page = db.paginate(queries.list_notifications_query(state=state, kind=kind, recipient=recipient, cycle_id=cycle_id),
                       page=page_number(50), per_page=50, error_out=False)
    return render_template("notifications/list.html", page=page, state=state, kind=kind, recipient=recipient,
                           cycle_id=cycle_id, kinds=ALL_KINDS, states=list(NotificationState),
                           cycles=queries.list_cycles())


@bp.get("/admin/outbox/<int:notification_id>")
@allowed(permissions.can_manage_outbox)
def show_notification(notification_id: int):
    notification = db.get_or_404(Notification, notification_id)
    return render_template("notifications/show.html", notification=notification,
                           can_retry=permissions.can_retry(current_user, notification),
                           can_cancel=permissions.can_cancel(current_user, notification))


@bp.post("/admin/outbox/<int:notification_id>/retry")
@allowed(permissions.can_manage_outbox)
def retry_notification(notification_id: int):
    notification = db.get_or_404(Notification, notification_id)
    perform(lambda: outbox.retry(current_user, notification), success=_("The message will be sent again."))
    return redirect(url_for("notifications.show_notification", notification_id=notification_id))


@bp.post("/admin/outbox/<int:notification_id>/cancel")
@allowed(permissions.can_manage_outbox)
def cancel_notification(notification_id: int):
    notification = db.get_or_404(Notification, notification_id)
    perform(lambda: outbox.cancel(current_user, notification), success=_("The message has been cancelled."))
    return redirect(url_for("notifications.show_notification", notification_id=notification_id))


@bp.route("/admin/messages", methods=["GET", "POST"])
@allowed(permissions.can_manage_outbox)
def compose_message():
    """Write to a group: a preview with the recipients, then send (through the outbox, audited)."""
    form = AdminMessageForm()
    cycles = queries.list_cycles()
    form.cycle.choices = [(cycle.id, fiscal_year_label(cycle.fiscal_year)) for cycle in cycles]
    recipients = None
    if form.validate_on_submit():
        cycle = db.get_or_404(Cycle, form.cycle.data)
        if request.form.get("action") == "send":
            done = perform(lambda: messages.send_admin_message(
                current_user, cycle, form.group.data, subject_en=form.subject_en.data, subject_ja=form.subject_ja.data,
                body_en=form.body_en.data, body_ja=form.body_ja.data))
            if done:
                flash(_("The message is on its way to %(count)d people.", count=done.value), "success")
                return redirect(url_for("notifications.list_outbox", kind="admin_message", cycle=cycle.id))
        recipients = messages.list_recipients(cycle, form.group.data)
    return render_template("notifications/compose.html", form=form, recipients=recipients)


@bp.post("/admin/cycles/<int:cycle_id>/judges/<int:judge_id>/remind")
@allowed(permissions.can_manage_outbox)
def remind_judge(cycle_id: int, judge_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    judge = db.get_or_404(User, judge_id)
    require(judge.is_judge, 404)
    perform(lambda: reminders.remind_judge(current_user, cycle, judge),
            success=_("A reminder is on its way to %(name)s.", name=judge.name))
    return redirect(url_for("judging.show_progress", cycle_id=cycle.id))
