"""Files in the API: how an attachment is described, and its download."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from lvzhi.api.types import Id
from lvzhi.core.attachments import visible_attachment
from lvzhi.core.models import Attachment

router = Router(tags=["files"])


class FileOut(Schema):
    id: int
    name: str
    size: int
    mime_type: str
    url: str


def file_out(f: Attachment) -> dict:
    return {"id": f.pk, "name": f.original_name, "size": f.size, "mime_type": f.mime_type,
            "url": reverse("api:downloadAttachment", args=[f.pk])}


@router.get("/{attachment_id}", summary="下载附件（与所属对象同样的查看权限）",
            operation_id="downloadAttachment", url_name="downloadAttachment",
            openapi_extra={"responses": {"200": {"description": "文件内容", "content": {
                "application/octet-stream": {"schema": {"type": "string",
                                                        "format": "binary"}}}}}})
def download(request: HttpRequest, attachment_id: Id) -> FileResponse:
    attachment = visible_attachment(request.user, attachment_id)
    # Always octet-stream, as declared: the file's own type is in FileOut.mime_type.
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.original_name,
                        content_type="application/octet-stream")
