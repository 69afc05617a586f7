"""Checking and storing uploaded files.

A file is accepted only when its extension is allowed, its size is within the limit and its
content really is what the extension claims (sniffed from the first bytes by `filetype`), so
a renamed executable is refused as firmly as a wrong extension.
"""

from __future__ import annotations

from typing import Any

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext as _

from lvzhi.core import plain
from lvzhi.core.access import may_view
from lvzhi.core.errors import Refusal
from lvzhi.core.events import record_event
from lvzhi.core.models import Attachment

# Extension -> the MIME types `filetype` may report for a genuine file of that kind.
SNIFFED_TYPES: dict[str, set[str]] = {
    "pdf": {"application/pdf"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "application/zip"},
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "application/zip"},
    "doc": {"application/msword", "application/x-ole-storage"},
    "xls": {"application/vnd.ms-excel", "application/x-ole-storage"},
}


def check_upload(upload: UploadedFile) -> str:
    """Return the file's MIME type, or refuse it with a Chinese message."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = settings.ATTACHMENT_EXTENSIONS
    if ext not in allowed:
        raise Refusal("file_type", _("不支持的文件类型“%(ext)s”，只能上传：%(allowed)s。")
                      % {"ext": ext or _("无扩展名"), "allowed": "、".join(allowed)})
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise Refusal("file_size", _("文件过大：最大 %(mb)s MB。")
                      % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)})
    if upload.size == 0:
        raise Refusal("file_empty", _("文件是空的。"))
    head = upload.read(8192)
    upload.seek(0)
    if ext == "txt":
        if b"\x00" in head:
            raise Refusal("file_content", _("文件内容与扩展名不符。"))
        return "text/plain"
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime not in SNIFFED_TYPES.get(ext, set()):
        raise Refusal("file_content", _("文件内容与扩展名不符。"))
    return mime


def attachments_of(parent: Model) -> list[Attachment]:
    return attachments_by_parent(type(parent), [parent.pk]).get(parent.pk, [])


def attachments_by_parent(model: type[Model], ids: list[int]) -> dict[int, list[Attachment]]:
    """The files of many rows of one model in one plain read, by the row's id."""
    files: dict[int, list[Attachment]] = {}
    for f in plain.rows(Attachment, content_type_id=ContentType.objects.get_for_model(model).pk,
                        object_id=list(ids)):
        files.setdefault(f.object_id, []).append(f)
    return files


def attachments_of_many(objects: list[Model]) -> dict[tuple[type[Model], int], list[Attachment]]:
    """The files of rows of several models, by (model, id): a plain read per model (a
    page that shows a proposal's files and its replies' asks twice, cheaply)."""
    by_model: dict[type[Model], list[int]] = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj.pk)
    return {(model, pk): found for model, ids in by_model.items()
            for pk, found in attachments_by_parent(model, ids).items()}


def visible_attachment(user: Any, pk: int) -> Attachment:
    """The attachment, if `user` may see the object it belongs to; 404 otherwise."""
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    parent = attachment.parent if attachment else None
    if parent is None or not may_view(user, parent):
        raise Http404
    return attachment


def attach(parent: Model, upload: UploadedFile, actor: Any) -> Attachment:
    """Check and store `upload` as an attachment of `parent` (which carries a body)."""
    mime = check_upload(upload)
    attachment = Attachment(
        body_id=parent.body_id,  # type: ignore[attr-defined]
        content_type=ContentType.objects.get_for_model(parent),
        object_id=parent.pk,
        original_name=(upload.name or "file")[-200:],
        size=upload.size,
        mime_type=mime,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name or "file", upload, save=False)
    attachment.save()
    record_event(parent, "attachment_added", actor, data={"attachment": attachment.pk,
                                                          "name": attachment.original_name})
    return attachment
