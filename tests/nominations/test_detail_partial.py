"""The read-only detail partial is self-contained: other pages (judging's scoring page) include it
with only `nomination` and `cycle` in their context."""
from __future__ import annotations

from flask import render_template_string

from .support import main_text


def test_detail_partial_renders_with_only_nomination_and_cycle(app, world, nomination_a, attachment_a):
    with app.test_request_context("/"):
        html = render_template_string(
            '<main>{% include "nominations/_detail.html" %}</main>', nomination=nomination_a, cycle=world.cycle
        )
    text = main_text(html)
    assert "Tokyo bay clean-up" in text and "Statement on Novelty of the plan." in text and "bay.png" in text
    assert f"/nominations/attachments/{attachment_a.id}/thumbnail" in html
    assert "Delete" not in text  # management belongs to the nomination page only
