"""The parts that keep pages fast: the SQLite writer queue, ids-first paging, date filters."""

import datetime
import fcntl
import os
import sys
import threading
import time

import pytest
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.template import Context, Template, engines

from lvzhi.core.models import Notification, User
from lvzhi.core.paging import IdsFirstPaginator
from lvzhi.core.sqlite import checkpoints

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's writer queue")


def _queue_is_free() -> bool:
    """Whether another process could take the writer queue now."""
    fd = os.open(f"{connection.settings_dict['NAME']}.writers", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_a_transaction_holds_the_writer_queue_until_it_commits(world):
    with transaction.atomic():
        Notification.objects.create(body=world.city.body, recipient=world.lin, title="通知")
        assert not _queue_is_free()
    assert _queue_is_free()


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_the_queue_and_reads_never_join_it(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        Notification.objects.create(body=world.city.body, recipient=world.lin, title="通知")
        raise RuntimeError
    assert _queue_is_free()
    assert list(User.objects.filter(pk=world.lin.pk)) and _queue_is_free()
    assert not Notification.objects.exists()


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_waits_its_turn_in_the_queue(world):
    """An autocommitted UPDATE (as the database cache's deletes are) queues behind a
    transaction another process holds, instead of sleeping in SQLite's busy handler."""
    note = Notification.objects.create(body=world.city.body, recipient=world.lin, title="旧")
    connection.close()  # the thread below opens its own connection
    fd = os.open(f"{connection.settings_dict['NAME']}.writers", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another process's transaction holds the queue
    done = threading.Event()

    def write():
        try:
            Notification.objects.filter(pk=note.pk).update(title="新")
            done.set()
        finally:
            connection.close()

    thread = threading.Thread(target=write)
    try:
        thread.start()
        assert not done.wait(timeout=0.5)  # waiting for its turn, not written around it
        assert Notification.objects.get(pk=note.pk).title == "旧"
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    thread.join(timeout=10)
    assert done.is_set() and Notification.objects.get(pk=note.pk).title == "新"
    assert _queue_is_free()


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_all_commit(world):
    start = threading.Barrier(12)
    errors = []

    def write(i):
        try:
            start.wait()
            with transaction.atomic():
                Notification.objects.create(body=world.city.body, recipient=world.lin,
                                            title=f"通知{i}")
        except Exception as exc:  # collected and reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == [] and not any(t.is_alive() for t in threads)
    assert Notification.objects.count() == 12
    assert _queue_is_free()


def _log_frames(path: str) -> tuple[int, int]:
    """(frames in the write-ahead log, frames copied back into the database), from the
    wal-index header in the -shm file (sqlite.org/walformat.html: mxFrame at byte 16,
    nBackfill at byte 96, in the machine's byte order)."""
    with open(f"{path}-shm", "rb") as shm:
        head = shm.read(100)
    return (int.from_bytes(head[16:20], sys.byteorder),
            int.from_bytes(head[96:100], sys.byteorder))


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_the_log_is_copied_back_after_commits_not_inside_them(world, tmp_path):
    """A commit never checkpoints (past 1,000 pages that took ~135 ms holding the queue
    at the bench's scale); a thread of the process copies the log back soon after, even a
    small write's (SQLite alone would leave it until the log reached 1,000 pages)."""
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
    path = str(connection.settings_dict["NAME"])
    with transaction.atomic():
        Notification.objects.create(body=world.city.body, recipient=world.lin, title="通知")
    deadline = time.monotonic() + 10
    while (frames := _log_frames(path))[1] < frames[0] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert frames[0] > 0 and frames[1] == frames[0], frames
    # a database deleted meanwhile (a test run's end) is neither checkpointed nor made again
    assert checkpoints.checkpoint(str(tmp_path / "gone.sqlite3")) is None
    assert not (tmp_path / "gone.sqlite3").exists()


@pytest.mark.django_db
def test_ids_first_pages_hold_the_same_rows_in_the_same_order(world):
    Notification.objects.bulk_create(
        Notification(body=world.city.body, recipient=user, title=f"通知{i}")
        for i in range(7) for user in (world.lin, world.gao, world.zhou))
    rows = Notification.objects.select_related("recipient").order_by("recipient__username",
                                                                      "-id")
    plain, ids_first = Paginator(rows, 5), IdsFirstPaginator(rows, 5)
    assert ids_first.num_pages == plain.num_pages == 5
    for number in plain.page_range:
        assert list(ids_first.page(number)) == list(plain.page(number))
    assert ids_first.page(5).has_next() is False


def test_dates_are_written_the_chinese_way_in_beijing_time():
    template = Template("{% load lvzhi %}{{ d|cn_date }}|{{ t|cn_date }}|{{ t|cn_month_day }}|"
                        "{{ none|cn_date }}")
    evening_utc = datetime.datetime(2022, 5, 8, 20, 0, tzinfo=datetime.UTC)
    text = template.render(Context({"d": datetime.date(2022, 5, 9), "t": evening_utc,
                                    "none": None}))
    assert text == "2022年5月9日|2022年5月9日|5月9日|"


def test_rows_drawn_by_jinja2_write_dates_and_escape_as_django_does():
    rows = engines["jinja2"].from_string(
        '{{ d|cn_date }}|{{ t|cn_date }}|{{ t|cn_month_day }}|{{ none|cn_date }}|{{ text }}|'
        '{{ _("编号") }}')
    evening_utc = datetime.datetime(2022, 5, 8, 20, 0, tzinfo=datetime.UTC)
    assert rows.render({"d": datetime.date(2022, 5, 9), "t": evening_utc, "none": None,
                        "text": '<b>"&"</b>'}) == \
        "2022年5月9日|2022年5月9日|5月9日||&lt;b&gt;&#34;&amp;&#34;&lt;/b&gt;|编号"
