"""The audit log: every domain event (awards_app.core.events) becomes a row, written in the
transaction of the change it records, so a change and its audit row commit or vanish together."""
from __future__ import annotations

from awards_app.audit.models import AuditEvent
from awards_app.core import events
from awards_app.extensions import db


def _receiver(action: str):
    def record(actor, *, object_type: str, object_id: int | None, **details) -> None:
        recorded = {name: value for name, value in details.items() if not name.startswith("_")}
        db.session.add(AuditEvent(actor_id=getattr(actor, "id", None), action=action, object_type=object_type,
                                  object_id=object_id, details=recorded))

    return record


# Built once: blinker keeps receivers by identity, so subscribing again (one app per test) is a no-op.
_RECEIVERS = [(signal, _receiver(signal.name)) for signal in events.ALL]


def subscribe() -> None:
    """Write every domain event to the audit log (called by create_app)."""
    for signal, record in _RECEIVERS:
        signal.connect(record, weak=False)
