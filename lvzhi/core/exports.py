"""Exports off the request path: the page asks for one, a task writes the file, the page
shows how far it is and then the download; the requester is told when it is ready.

An app registers each large export in its AppConfig.ready (core knows no feature):
`allowed(user)` → the body it is of, or None (refused: 404, as the page itself would be);
`build(user, query, progress)` → (the file's bytes, its name: .xlsx or .pdf), where
`query` is the page's own filter (a QueryDict) and `progress(done, total)` is called as
rows are written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lvzhi.core.errors import Refusal
from lvzhi.core.models import Export
from lvzhi.core.notifications import Message, notify

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
PROGRESS_EVERY = 500  # rows between two progress writes


@dataclass(frozen=True)
class ExportKind:
    code: str
    label: Any
    allowed: Callable[[Any], int | None]
    build: Callable[[Any, QueryDict, Progress], tuple[bytes, str]]


EXPORTS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> None:
    EXPORTS[kind.code] = kind


def first_body(*choices: set[int]) -> int | None:
    """The body an export is of: the lowest id of the first set that has any (the office
    a person works in before the bodies they only read)."""
    return next((min(bodies) for bodies in choices if bodies), None)


def start(user: Any, code: str, query: QueryDict) -> Export:
    """Queue an export of what the page shows with these filters; 404 if the person may
    not have it. The task starts once the row is committed."""
    kind = EXPORTS[code]
    body_id = kind.allowed(user)
    if body_id is None:
        raise Http404
    export = Export.objects.create(body_id=body_id, kind=code, requested_by=user,
                                   params={k: query.getlist(k) for k in query})
    transaction.on_commit(lambda: run_export.enqueue(export.pk))
    return export


def mine(user: Any, pk: int) -> Export:
    """The requester's own export; 404 for anyone else."""
    export = Export.objects.filter(pk=pk, requested_by=user).first()
    if export is None:
        raise Http404
    return export


def downloadable(user: Any, export: Export) -> bool:
    """Done, and the requester still holds the role that let them ask for it."""
    kind = EXPORTS.get(export.kind)
    return (export.state == Export.State.DONE and bool(export.file) and kind is not None
            and kind.allowed(user) == export.body_id)


@task()
def run_export(pk: int) -> dict:
    export = Export.objects.select_related("requested_by").get(pk=pk)
    if export.state != Export.State.QUEUED:
        return {"export": pk, "state": export.state}  # run once, however often queued
    Export.objects.filter(pk=pk).update(state=Export.State.RUNNING)
    query = QueryDict(mutable=True)
    for key, values in export.params.items():
        query.setlist(key, values)
    try:
        data, filename = EXPORTS[export.kind].build(export.requested_by, query,
                                                    _progress(pk))
    except Exception as error:
        log.exception("export %s failed", pk)
        message = error.message if isinstance(error, Refusal) else _(
            "生成文件时出错，请稍后重试；仍不成功请联系系统管理员。")
        _finish(export, Export.State.FAILED, error=str(message)[:300])
        return {"export": pk, "state": "failed"}
    export.file.save(filename, ContentFile(data), save=False)
    export.filename = filename[:120]
    _finish(export, Export.State.DONE)
    return {"export": pk, "state": "done", "bytes": len(data)}


def _progress(pk: int) -> Progress:
    last = {"written": -PROGRESS_EVERY}

    def progress(done: int, total: int) -> None:
        if done - last["written"] >= PROGRESS_EVERY or done == total:
            last["written"] = done
            Export.objects.filter(pk=pk).update(done_rows=done, total_rows=total)
    return progress


def _finish(export: Export, state: str, error: str = "") -> None:
    export.state, export.error, export.finished_at = state, error, timezone.now()
    export.save(update_fields=["state", "error", "finished_at", "file", "filename"])
    label = EXPORTS[export.kind].label
    title = (_("导出完成：%(what)s") if state == Export.State.DONE
             else _("导出失败：%(what)s")) % {"what": label}
    notify([export.requested_by], Message(export.body_id, title, error,
                                          reverse("export", args=[export.pk])))
