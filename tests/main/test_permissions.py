"""The admin-only checks of the features whose pages are all for admins, for every kind of user.

Each is enforced with @allowed on its views; the route tables (test_route_matrix.py and each
feature's test_views.py) check the answers over HTTP.
"""
from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin

from awards_app.accounts.permissions import can_manage_users
from awards_app.audit.permissions import can_read_audit_log
from awards_app.cycles.permissions import can_manage_cycles
from awards_app.exports.permissions import can_export
from awards_app.sites.permissions import can_manage_sites
from awards_app.stats.permissions import can_view_stats

CHECKS = [can_manage_users, can_read_audit_log, can_manage_cycles, can_export, can_manage_sites, can_view_stats]


def person(**fields):
    values = {"is_authenticated": True, "is_active": True, "is_admin": False, "is_judge": False, "is_submitter": False}
    values.update(fields)
    return SimpleNamespace(**values)


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (person(is_admin=True), True),
        (person(is_admin=True, is_judge=True, is_submitter=True), True),
        (person(is_admin=True, is_active=False), False),
        (person(is_judge=True), False),
        (person(is_submitter=True), False),
        (AnonymousUserMixin(), False),
        (None, False),
    ],
)
def test_only_active_admins(check, user, expected):
    assert check(user) is expected
