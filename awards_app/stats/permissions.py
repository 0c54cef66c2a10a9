"""Who may see the statistics. Pure, never raising.

Admins only. The pages add up every site's nominations, which a submitter may not see for any
site but their own (PRODUCT.md, "Who may do what"), and a judge sees only the nominations
assigned to them; figures by site and country while judging is open would tell judges which
sites nominated what. So submitters and judges get a 403, as for the ranking.
"""
from __future__ import annotations

from awards_app.core.permissions import is_admin


def can_view_stats(user) -> bool:
    return is_admin(user)
