"""Core models, split by topic; import from `lvzhi.core.models`."""

from lvzhi.core.models.calendar import CalendarDay
from lvzhi.core.models.exports import Export, PeriodicRun
from lvzhi.core.models.org import (
    Body,
    Department,
    HandlingUnit,
    Sector,
    Session,
    SpecialCommittee,
    Term,
)
from lvzhi.core.models.people import (
    Gender,
    Member,
    Party,
    PasswordCode,
    PasswordHistory,
    PasswordPolicy,
    Position,
    Role,
    RoleKind,
    User,
)
from lvzhi.core.models.records import (
    Attachment,
    AuditHead,
    AuditRecord,
    Event,
    IdempotentRequest,
    Notification,
    OutboxMessage,
)

__all__ = [
    "Attachment",
    "AuditHead",
    "AuditRecord",
    "Body",
    "CalendarDay",
    "Department",
    "Event",
    "Export",
    "Gender",
    "HandlingUnit",
    "IdempotentRequest",
    "Member",
    "Notification",
    "OutboxMessage",
    "Party",
    "PasswordCode",
    "PasswordHistory",
    "PasswordPolicy",
    "PeriodicRun",
    "Position",
    "Role",
    "RoleKind",
    "Sector",
    "Session",
    "SpecialCommittee",
    "Term",
    "User",
]
