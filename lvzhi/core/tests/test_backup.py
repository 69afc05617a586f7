"""Backups taken while writes run restore to exactly what they recorded, on both databases."""

from __future__ import annotations

import sqlite3
import tarfile
import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from lvzhi.core.attachments import attach
from lvzhi.core.backup import BackupError, Database, create_backup, prune, restore_backup
from lvzhi.core.models import Notification, OutboxMessage
from lvzhi.proposals.tests.conftest import DRAFT
from lvzhi.proposals.workflow import save_draft

PDF = b"%PDF-1.4\n" + b"0" * 64


def _writer(body_id: int, user_id: int, stop: threading.Event, done: list[int]) -> None:
    """Pairs of rows, each pair in one transaction, until told to stop (at most 300)."""
    try:
        for n in range(300):
            if stop.is_set():
                break
            with transaction.atomic():
                Notification.objects.create(body_id=body_id, recipient_id=user_id,
                                            title=f"写入{n}")
                OutboxMessage.objects.create(body_id=body_id, subject=f"写入{n}",
                                             recipients=["x@example.org"])
            done.append(n)
    finally:
        connection.close()


def _target(tmp_path: Path):
    """An empty database of the same engine to restore into; dropped afterwards."""
    current = Database.current()
    if current.vendor == "sqlite":
        yield Database("sqlite", {"NAME": str(tmp_path / "restored.sqlite3")})
        return
    name = f"lvzhi_restore_{abs(hash(str(tmp_path))) % 10**8}"
    admin = current.pg_connect()
    admin.autocommit = True
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database("postgresql", {**current.settings, "NAME": name})
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def target(tmp_path):
    yield from _target(tmp_path)


def _rows(db: Database, table: str) -> list[tuple]:
    if db.vendor == "sqlite":
        with sqlite3.connect(db.settings["NAME"]) as conn:
            return sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
    with db.pg_connect() as conn:
        return sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)


@pytest.mark.django_db(transaction=True)
def test_backup_during_writes_restores_every_table_and_file(world, tmp_path, settings,
                                                             target):
    draft = save_draft(world.lin.memberships.get(), world.lin, dict(DRAFT))
    attachment = attach(draft, SimpleUploadedFile("附件.pdf", PDF), world.lin)
    stop, done = threading.Event(), []
    thread = threading.Thread(target=_writer, args=(world.city.body.pk, world.lin.pk, stop,
                                                    done))
    thread.start()
    while len(done) < 5:  # writes are under way
        thread.join(0.01)
    archive = create_backup(tmp_path / "backups")
    stop.set()
    thread.join()

    media = tmp_path / "restored-media"
    manifest = restore_backup(archive, target, media)
    source = Database.current()
    written = {"core_notification", "core_outboxmessage"}
    for table in manifest["tables"]:
        restored = _rows(target, table)
        assert len(restored) == manifest["tables"][table], table
        if table in written:  # still being written while the copy was taken: a prefix
            assert set(map(repr, restored)) <= set(map(repr, _rows(source, table))), table
        elif table != "django_session":
            assert restored == _rows(source, table), table
    # Each pair was one transaction: the copy holds both rows of a pair or neither.
    n = manifest["tables"]["core_notification"]
    assert manifest["tables"]["core_outboxmessage"] == n
    assert 5 <= n <= len(done)
    restored_file = media / attachment.file.name
    assert restored_file.read_bytes() == PDF


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(world, tmp_path):
    archive = create_backup(tmp_path / "b")
    with pytest.raises(BackupError, match="不是空的"):
        restore_backup(archive, Database.current(), tmp_path / "m")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_archive(world, tmp_path, target):
    archive = create_backup(tmp_path / "b")
    unpacked = tmp_path / "u"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    dump = next(p for p in unpacked.iterdir() if p.name.startswith("database"))
    dump.write_bytes(dump.read_bytes()[:-10] + b"0" * 10)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as tar:
        for p in unpacked.iterdir():
            tar.add(p, arcname=p.name)
    with pytest.raises(BackupError, match="校验和不符"):
        restore_backup(damaged, target, tmp_path / "m")


def test_prune_keeps_the_newest_and_those_within_the_days(tmp_path):
    import os
    import time
    folder = tmp_path / "b"
    folder.mkdir()
    for n, age_days in enumerate((30, 20, 1)):
        path = folder / f"lvzhi-backup-2026010{n}.tar.gz"
        path.write_bytes(b"x")
        old = time.time() - age_days * 86400
        os.utime(path, (old, old))
    gone = prune(folder, keep_days=14)
    assert sorted(p.name for p in gone) == ["lvzhi-backup-20260100.tar.gz",
                                            "lvzhi-backup-20260101.tar.gz"]
    assert [p.name for p in folder.iterdir()] == ["lvzhi-backup-20260102.tar.gz"]


@pytest.mark.django_db
def test_the_backup_command_writes_and_prunes(world, tmp_path):
    from io import StringIO

    from django.core.management import call_command
    out = StringIO()
    call_command("backup", output=tmp_path, prune=True, stdout=out)
    assert "备份完成" in out.getvalue()
    assert len(list(tmp_path.glob("lvzhi-backup-*.tar.gz"))) == 1
