"""Domain events: what happened, announced by the services, heard by whoever cares.

Every change a service makes is announced here as a blinker signal (the pattern of Flask's own
signals, Indico and pretalx), so that the features that react to it — the audit log today, e-mail
notifications next — subscribe to the event instead of being called by the feature that changed
something. A feature never imports the features that listen to it.

A service announces with ``announce(event, actor, obj, **details)``. Receivers are called during
the service call, inside the request's transaction, with

* ``sender``: the acting user (``None`` for the system),
* ``object_type`` and ``object_id``: the table and id of the object the event is about,
* ``details``: plain, JSON-serialisable values (ids, codes, labels, before/after values); a
  detail whose name begins with an underscore is for the subscribers only and is not written to
  the audit log (the nonce of an invitation link, which the outbox needs and the log must not hold).

Receivers write rows in the same transaction (the audit log, an outbox) and never commit; work
that must wait for the commit (sending mail) is registered with ``core.transactions.after_commit``.

The name of each event is the audit log's action, ``<object>.<what happened>``. Connect to one
with ``@events.nomination_submitted.connect``, or to all of them through ``ALL``.
"""
from __future__ import annotations

from blinker import NamedSignal, Namespace

_namespace = Namespace()
ALL: list[NamedSignal] = []


def _event(name: str, doc: str) -> NamedSignal:
    signal = _namespace.signal(name, doc)
    ALL.append(signal)
    return signal


# --- accounts (object: users) ------------------------------------------------------------------
user_logged_in = _event("user.login", "A user logged in. details: ip, remember")
user_logged_out = _event("user.logout", "A user logged out. details: session (its id)")
user_sessions_ended = _event(
    "user.sessions_ended",
    "Sessions of a user were ended (by the user, a password change or deactivation). details: sessions",
)
user_login_failed = _event("user.login_failed", "A login was refused (object_id None). details: email, ip")
user_created = _event("user.created", "An admin added a user. details: email, roles, sites")
user_invited = _event("user.invited",
                      "An admin sent (or re-sent) an invitation. details: expires_in_days, _link_nonce")
user_invitation_accepted = _event("user.invitation_accepted", "The invitee set their password.")
user_updated = _event("user.updated", "An admin changed a user's name, roles or sites. details: before, after")
user_activated = _event("user.activated", "An admin re-activated a user.")
user_deactivated = _event("user.deactivated", "An admin deactivated a user: they can no longer log in.")
user_password_changed = _event("user.password_changed",
                               "A user changed their own password (also through a reset link). details: via")
user_password_reset_requested = _event("user.password_reset_requested",
                                       "A reset link was asked for an existing account. details: ip, _link_nonce")

# --- sites (object: sites) ---------------------------------------------------------------------
site_created = _event("site.created", "An admin added a site. details: code, country")
site_updated = _event("site.updated", "An admin changed a site. details: changes")

# --- cycles (objects: cycles, criteria, award_categories) --------------------------------------
cycle_created = _event("cycle.created", "An admin opened a cycle in setup. details: fiscal_year, deadlines, scale")
cycle_updated = _event("cycle.updated", "An admin changed a cycle's settings. details: changes")
phase_changed = _event("cycle.phase_changed", "A cycle moved to another phase. details: from, to")
results_finalised = _event("cycle.finalised", "An admin made the results final. details: from, to, decisions")
criterion_created = _event("criterion.created", "A criterion was added. details: cycle_id, key")
criterion_updated = _event("criterion.updated", "A criterion changed. details: cycle_id, changes")
criterion_moved = _event("criterion.moved", "A criterion moved in the order. details: cycle_id")
criterion_deleted = _event("criterion.deleted", "A criterion was deleted. details: cycle_id, key")
award_category_created = _event("award_category.created", "An award category was added. details: cycle_id")
award_category_updated = _event("award_category.updated", "An award category changed. details: cycle_id, changes")
award_category_moved = _event("award_category.moved", "An award category moved in the order. details: cycle_id")
award_category_deleted = _event("award_category.deleted", "An award category was deleted. details: cycle_id")

# --- nominations (objects: nominations, attachments) -------------------------------------------
nomination_created = _event("nomination.created", "A site drafted a nomination. details: cycle, site")
nomination_updated = _event("nomination.updated", "A nomination's content changed. details: fields")
nomination_submitted = _event("nomination.submitted", "A nomination was submitted. details: cycle")
nomination_withdrawn = _event("nomination.withdrawn", "A nomination was withdrawn. details: previous_status, reason")
attachment_added = _event("attachment.added", "A file was attached to a nomination. details: nomination_id")
attachment_deleted = _event("attachment.deleted", "An attachment was removed. details: nomination_id")

# --- activities (objects: activities, activity_imports, reporting_years) -----------------------
activity_created = _event("activity.created",
                          "A site's activity was recorded. details: site, fiscal_year, reference, source, import_id")
activity_updated = _event("activity.updated", "An activity changed. details: changes, import_id")
activity_deleted = _event("activity.deleted", "An activity was deleted. details: site, fiscal_year, reference, title")
activities_imported = _event("activity_import.confirmed",
                             "A spreadsheet of activities was imported. details: filename, site, created, updated, "
                             "unchanged")
reporting_year_updated = _event("reporting_year.updated",
                                "An admin set a fiscal year's reporting deadline or lock. details: fiscal_year, changes")

# --- judging (objects: cycles, assignments, nominations, score_sheets) -------------------------
panel_updated = _event("panel.updated", "An admin set a region's judge panel. details: region, judges")
assignments_made = _event("assignment.auto", "Automatic assignment ran. details: created (count), short (nomination ids), "
                                                     "region (None: both)")
assignment_created = _event("assignment.added", "An admin assigned a judge by hand. details: nomination_id, judge_id")
assignment_removed = _event("assignment.removed", "An admin removed an assignment. details: nomination_id, judge_id")
conflict_declared = _event("assignment.conflict_declared",
                           "A judge declared a conflict of interest. details: nomination_id, reason")
assignment_replaced = _event("assignment.replaced",
                             "A replacement judge was assigned after a conflict. details: nomination_id, judge_id")
nomination_marked_ineligible = _event("nomination.marked_ineligible",
                                      "An admin took a nomination out of the competition. details: reason")
nomination_restored = _event("nomination.eligibility_restored", "An admin made a nomination eligible again.")
sheet_saved = _event("sheet.saved", "A judge saved a draft score sheet. details: nomination_id, abstained")
sheet_submitted = _event("sheet.submitted", "A judge submitted a score sheet. details: nomination_id, abstained")
judging_closed = _event("cycle.judging_closed",
                        "An admin closed judging, so that the cycle can be finalised with sheets missing. "
                        "details: reason, not_completed (assignment ids marked not completed)")
round_added = _event("round.added", "An admin added a judging round to a cycle. details: cycle_id, number, settings")
round_updated = _event("round.updated",
                       "An admin changed a judging round's settings. details: cycle_id, number, changes "
                       "(setting → [old, new])")
round_closed = _event("round.closed",
                      "An admin closed a judging round that is not the last (the last closes judging: "
                      "cycle.judging_closed). details: number, reason, not_completed")
shortlist_promoted = _event("round.shortlist_promoted",
                            "An admin promoted the top nominations per region of the previous round into a round. "
                            "details: per_region, added (nomination ids)")
shortlist_entry_added = _event("round.shortlist_added",
                               "An admin added a nomination to a round's shortlist by hand. details: nomination_id, "
                               "reason")
shortlist_entry_removed = _event("round.shortlist_removed",
                                 "An admin took a nomination off a round's shortlist. details: nomination_id, reason")
shortlist_published = _event("round.shortlist_published",
                             "An admin published a round's shortlist to the sites as an outcome (\"Shortlisted\"). "
                             "details: number, nominations (ids)")
shortlist_withdrawn = _event("round.shortlist_withdrawn",
                             "An admin withdrew a round's published shortlist: the sites no longer see it. "
                             "details: number")
deliberation_opened = _event("round.deliberation_opened",
                             "An admin opened deliberation on a nomination flagged for disagreement. "
                             "details: nomination_id, number")
discussion_posted = _event("round.discussion_posted",
                           "A judge posted to a nomination's panel discussion. details: nomination_id, number")
scores_revised = _event("sheet.revised",
                        "A judge revised submitted scores during deliberation. details: nomination_id, reason, "
                        "changes (criterion id: old, new)")
sheet_reopened = _event("sheet.reopened", "An admin reopened a submitted sheet. details: nomination_id, reason")

# --- notifications (objects: notifications, users) -----------------------------------------------
notification_retried = _event("notification.retried", "An admin queued a failed message again. details: kind")
notification_cancelled = _event("notification.cancelled", "An admin cancelled a queued message. details: kind")
admin_message_sent = _event("notification.admin_message",
                             "An admin wrote to a group. details: group, recipients, subject_en")
judge_reminded = _event("notification.judge_reminded", "An admin sent a judge a reminder. details: cycle_id")

# --- awards (object: award_decisions) ----------------------------------------------------------
award_decided = _event("award.decided", "An admin chose a winner. details: cycle_id, category, chosen, proposed")
award_cleared = _event("award.cleared", "An admin cleared a decision. details: cycle_id, category")

# --- winners (objects: cycles, award_decisions) ------------------------------------------------
winner_photo_chosen = _event("award.photo_chosen",
                             "An admin chose the photo the winners' page shows for an award (or none). "
                             "details: cycle_id, attachment_id")
winners_page_opened = _event("cycle.winners_public",
                             "An admin made a cycle's winners' page public (no login). details: fiscal_year")
winners_page_closed = _event("cycle.winners_private",
                             "An admin made a cycle's winners' page visible to logged-in users only. "
                             "details: fiscal_year")

# --- certificates (object: certificates) -------------------------------------------------------
certificate_issued = _event("certificate.issued", "A certificate was issued. details: serial, award")
certificate_reissued = _event("certificate.reissued", "A certificate replaced another. details: serial, replaces")
certificate_revoked = _event("certificate.revoked", "A certificate was revoked. details: serial, reason")


def announce(event: NamedSignal, actor, obj=None, *, object_type: str | None = None, **details) -> None:
    """Tell the receivers of `event` that `actor` (a user, or None for the system) did it to `obj`
    (a model instance with an id, or None with `object_type`). `details` must be plain data."""
    event.send(
        actor,
        object_type=object_type or (obj.__tablename__ if obj is not None else "system"),
        object_id=getattr(obj, "id", None),
        **details,
    )
