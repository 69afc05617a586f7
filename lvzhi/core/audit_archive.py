"""Moving old security audit rows out of the database (安全审计记录的留存与归档).

Rows older than AUDIT_KEEP_DAYS are written, whole (digests included), to a gzip'd JSON
lines file in AUDIT_ARCHIVE_DIR, the file is flushed to disk, and only then are the rows
deleted, in one transaction with the head row's record of where the chain now starts. So
`lvzhi audit verify` still checks the rows left, and `verify_file` checks an archive file
against its own digests. Nothing is dropped without being written first.
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lvzhi.core import audit
from lvzhi.core.models import AuditHead, AuditRecord

FIELDS = ["id", "created_at", "actor_id", "tried", "action", "outcome", "ip", "user_agent",
          "target", "roles", "detail", "previous", "digest"]


def archive(now: datetime.datetime | None = None) -> tuple[int, Path | None]:
    """Archive the rows past their keeping time: how many, and the file they went to."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.AUDIT_KEEP_DAYS)
    folder = Path(settings.AUDIT_ARCHIVE_DIR)
    with transaction.atomic():
        head, _new = AuditHead.objects.select_for_update().get_or_create(pk=1)
        rows = list(AuditRecord.objects.filter(created_at__lt=cutoff).order_by("id"))
        if not rows:
            return 0, None
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"audit-{now:%Y%m%d-%H%M%S}-{rows[0].pk}-{rows[-1].pk}.jsonl.gz"
        _write(path, rows)
        AuditRecord.objects.filter(pk__in=[r.pk for r in rows]).delete()
        AuditHead.objects.filter(pk=1).update(
            archived_count=head.archived_count + len(rows), archived_digest=rows[-1].digest)
    audit.record(None, "audit_archived", target=path.name[:80],
                 detail=_("%(count)s 条，%(first)s–%(last)s") % {
                     "count": len(rows), "first": rows[0].pk, "last": rows[-1].pk})
    return len(rows), path


def _write(path: Path, rows: list[AuditRecord]) -> None:
    with open(path, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb") as out:
            for row in rows:
                values = {name: getattr(row, name) for name in FIELDS}
                values["created_at"] = row.created_at.isoformat()
                out.write((json.dumps(values, ensure_ascii=False) + "\n").encode())
        raw.flush()
        os.fsync(raw.fileno())  # on disk before the rows leave the database


def read_file(path: Path) -> list[AuditRecord]:
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            values = json.loads(line)
            values["created_at"] = datetime.datetime.fromisoformat(values["created_at"])
            rows.append(AuditRecord(**values))
    return rows


def verify_file(path: Path) -> list[str]:
    """Breaks inside an archive file: an edited row, or a row missing from its chain."""
    problems, previous = [], None
    for row in read_file(path):
        if previous is not None and row.previous != previous:
            problems.append(_("%(file)s：第 %(n)s 条之前的记录缺失或被改动") % {
                "file": path.name, "n": row.pk})
        if audit.row_digest(row) != row.digest:
            problems.append(_("%(file)s：第 %(n)s 条记录的内容被改动") % {
                "file": path.name, "n": row.pk})
        previous = row.digest
    return problems


@task()
def daily_audit_archive() -> int:
    """The scheduled run (daily, beside the backup)."""
    return archive()[0]
