"""Uploads are checked by type, size and content, and served only to those who may see."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.core.attachments import attach
from lvzhi.core.errors import Refusal
from lvzhi.core.models import Attachment

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * 64


def member_of(world):
    return world.dong.memberships.get()


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_allowed_file_is_stored_outside_static_with_a_generated_name(world, settings):
    attachment = attach(member_of(world), SimpleUploadedFile("照片.png", PNG), world.pan)
    assert attachment.mime_type == "image/png"
    assert attachment.original_name == "照片.png"
    assert "照片" not in attachment.file.name
    assert len(stored_files(settings)) == 1


@pytest.mark.parametrize(("name", "content", "code", "message"), [
    ("病毒.exe", b"MZ\x90\x00", "file_type", "不支持的文件类型“exe”"),
    ("无扩展名", PDF, "file_type", "不支持的文件类型“无扩展名”"),
    ("伪装.pdf", b"MZ\x90\x00 not a pdf", "file_content", "文件内容与扩展名不符"),
    ("伪装.png", PDF, "file_content", "文件内容与扩展名不符"),
    ("空.pdf", b"", "file_empty", "文件是空的"),
])
def test_disallowed_files_are_refused_and_nothing_is_stored(world, settings, name, content,
                                                             code, message):
    with pytest.raises(Refusal) as refused:
        attach(member_of(world), SimpleUploadedFile(name, content), world.pan)
    assert refused.value.code == code
    assert message in refused.value.message
    assert Attachment.objects.count() == 0
    assert stored_files(settings) == []


def test_oversized_file_is_refused(world, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("大.pdf", PDF + b"0" * 2048)
    with pytest.raises(Refusal) as refused:
        attach(member_of(world), big, world.pan)
    assert refused.value.code == "file_size"
    assert "文件过大" in refused.value.message
    assert Attachment.objects.count() == 0


def test_download_only_for_those_who_may_see_the_parent(login, world):
    attachment = attach(member_of(world), SimpleUploadedFile("简历.pdf", PDF), world.pan)
    url = f"/attachments/{attachment.pk}/"
    response = login(world.pan).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert login(world.yuan).get(url).status_code == 200  # city oversight reads
    for outsider in (world.zhou, world.wu, world.ma, world.nobody):
        assert login(outsider).get(url).status_code == 404
