"""Backups that restore: a consistent online copy of the database and the uploads, with a
manifest of row counts and checksums, in one archive — and the restore that checks it.

SQLite is copied with its backup API (one read transaction: every committed write, the WAL
included, and nothing half-written); PostgreSQL with pg_dump from an exported snapshot, so
the manifest's row counts are read from exactly the data the dump holds. The uploads are
copied after the database: every attachment row in the copy has its file, because a file
is stored before its row commits.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Chinese."""


@dataclass(frozen=True)
class Database:
    """Where a database is: the engine and how to reach it."""

    vendor: str  # "sqlite" or "postgresql"
    settings: dict[str, Any]

    @classmethod
    def current(cls) -> Database:
        return cls(connection.vendor, dict(connection.settings_dict))

    @property
    def dump_name(self) -> str:
        return "database.sqlite3" if self.vendor == "sqlite" else "database.pgdump"

    def pg_env(self) -> dict[str, str]:
        s = self.settings
        env = {**os.environ, "PGHOST": str(s.get("HOST") or "127.0.0.1"),
               "PGPORT": str(s.get("PORT") or 5432), "PGDATABASE": str(s["NAME"])}
        if s.get("USER"):
            env["PGUSER"] = str(s["USER"])
        if s.get("PASSWORD"):
            env["PGPASSWORD"] = str(s["PASSWORD"])
        return env

    def pg_connect(self):
        import psycopg
        env = self.pg_env()
        return psycopg.connect(host=env["PGHOST"], port=env["PGPORT"], dbname=env["PGDATABASE"],
                               user=env.get("PGUSER"), password=env.get("PGPASSWORD"))


# --- backing up --------------------------------------------------------------------------

def create_backup(directory: Path, db: Database | None = None,
                  media_root: Path | None = None) -> Path:
    """Write `lvzhi-备份-<time>.tar.gz` into `directory` and return its path."""
    db = db or Database.current()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S-%f")
    archive = directory / f"lvzhi-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / db.dump_name
        tables = _dump_sqlite(db, dump) if db.vendor == "sqlite" else _dump_postgres(db, dump)
        files = {str(p.relative_to(media_root)): _sha256(p) for p in _media_files(media_root)}
        manifest = {
            "format": FORMAT, "created_at": timezone.now().isoformat(), "engine": db.vendor,
            "database": {"file": db.dump_name, "sha256": _sha256(dump)},
            "tables": tables, "media": files,
        }
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1)
                       .encode())
            tar.add(dump, arcname=db.dump_name)
            for name in files:
                tar.add(media_root / name, arcname=f"media/{name}")
        partial.rename(archive)  # a reader never sees a half-written archive
    return archive


def _dump_sqlite(db: Database, target: Path) -> dict[str, int]:
    source = sqlite3.connect(db.settings["NAME"], timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step: one consistent read
    finally:
        source.close()
    try:
        return _sqlite_counts(copy)
    finally:
        copy.close()


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


def _dump_postgres(db: Database, target: Path) -> dict[str, int]:
    import psycopg
    with db.pg_connect() as conn:
        # Set before the first statement: psycopg opens the transaction implicitly, and a
        # BEGIN sent after that would be ignored, leaving each count its own snapshot.
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = _pg_counts(conn)
        # pg_dump reads the very snapshot the counts were taken from, while we hold it.
        run = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
             f"--snapshot={snapshot}", f"--file={target}"],
            env=db.pg_env(), capture_output=True, text=True, check=False)
        conn.rollback()
    if run.returncode != 0:
        raise BackupError(_("pg_dump 失败：%(err)s") % {"err": run.stderr.strip()})
    return tables


def _pg_counts(conn: Any) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
    return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


def _media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(timezone.now().timestamp())
    tar.addfile(info, fileobj=io.BytesIO(data))


def prune(directory: Path, keep_days: int) -> list[Path]:
    """Delete archives older than `keep_days`; the newest is always kept."""
    archives = sorted(directory.glob("lvzhi-backup-*.tar.gz"))
    limit = timezone.now().timestamp() - keep_days * 86400
    gone = [a for a in archives[:-1] if a.stat().st_mtime < limit]
    for a in gone:
        a.unlink()
    return gone


# --- restoring ---------------------------------------------------------------------------

def restore_backup(archive: Path, db: Database | None = None,
                   media_root: Path | None = None) -> dict[str, Any]:
    """Restore `archive` into an empty database and an empty media folder, verifying every
    checksum before and every table's row count after. Returns the manifest."""
    db = db or Database.current()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        manifest = _unpack(archive, Path(tmp))
        if manifest["engine"] != db.vendor:
            raise BackupError(_("备份来自 %(a)s 数据库，不能恢复到 %(b)s 数据库。") % {
                "a": manifest["engine"], "b": db.vendor})
        _check_empty(db, media_root)
        dump = Path(tmp) / manifest["database"]["file"]
        tables = _load_sqlite(db, dump) if db.vendor == "sqlite" else _load_postgres(db, dump)
        if tables != manifest["tables"]:
            wrong = sorted(t for t in set(tables) | set(manifest["tables"])
                           if tables.get(t) != manifest["tables"].get(t))
            raise BackupError(_("恢复后的行数与清单不符：%(t)s。") % {"t": "、".join(wrong)})
        for name in manifest["media"]:
            target = media_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(tmp) / "media" / name, target)
    return manifest


def _unpack(archive: Path, into: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")  # no absolute paths, no links out
        manifest = json.loads((into / MANIFEST).read_text())
    except (OSError, tarfile.TarError, ValueError) as exc:
        raise BackupError(_("无法读取备份文件：%(e)s") % {"e": exc}) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("不认识的备份格式。"))
    checks = [(manifest["database"]["file"], manifest["database"]["sha256"])]
    checks += [(f"media/{name}", digest) for name, digest in manifest["media"].items()]
    for name, digest in checks:
        path = into / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(_("备份已损坏：%(name)s 的校验和不符。") % {"name": name})
    return manifest


def _check_empty(db: Database, media_root: Path) -> None:
    if db.vendor == "sqlite":
        path = Path(db.settings["NAME"])
        if path.exists() and path.stat().st_size:
            with sqlite3.connect(path) as conn:
                if _sqlite_counts(conn):
                    raise BackupError(_("目标数据库不是空的：%(p)s。恢复只能恢复到空数据库。")
                                      % {"p": path})
    else:
        with db.pg_connect() as conn:
            if conn.execute("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'")\
                    .fetchone()[0]:
                raise BackupError(_("目标数据库不是空的：%(n)s。恢复只能恢复到空数据库。")
                                  % {"n": db.settings["NAME"]})
    if media_root.exists() and any(media_root.rglob("*")):
        raise BackupError(_("附件目录不是空的：%(p)s。") % {"p": media_root})


def _load_sqlite(db: Database, dump: Path) -> dict[str, int]:
    source = sqlite3.connect(dump)
    target = sqlite3.connect(db.settings["NAME"])
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        return _sqlite_counts(target)
    finally:
        source.close()
        target.close()


def _load_postgres(db: Database, dump: Path) -> dict[str, int]:
    run = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                          f"--dbname={db.settings['NAME']}", str(dump)],
                         env=db.pg_env(), capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise BackupError(_("pg_restore 失败：%(err)s") % {"err": run.stderr.strip()})
    with db.pg_connect() as conn:
        return _pg_counts(conn)


@task()
def daily_backup() -> str:
    """The scheduled backup: a new archive in BACKUP_DIR, then old ones pruned."""
    archive = create_backup(Path(settings.BACKUP_DIR))
    prune(Path(settings.BACKUP_DIR), settings.BACKUP_KEEP_DAYS)
    return str(archive)
