"""Task ledgers at Harbin scale: 19 bodies × 300 tasks × 12 progress reports, a city
checklist of 30 items to the 18 districts, and the Excel import of a 300-row breakdown,
timed. Leaves the data for bench.run's ledger scenarios (the office board, a department's
list, the city's matrix).

    python -m bench.ledgers     (after bench.generate; see `make bench`)
"""

from __future__ import annotations

import datetime
import io
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from lvzhi.core.models import Body, Department, User  # noqa: E402
from lvzhi.ledgers import assign, breakdown, services  # noqa: E402
from lvzhi.ledgers.models import Ledger, Milestone, ProgressReport, Task  # noqa: E402

TASKS = int(os.environ.get("BENCH_TASKS", "300"))
REPORTS = 12
CATEGORIES = [c for c, _label in Task.Category.choices]


def _body_ledger(body: Body, year: int, author: User) -> None:
    departments = list(Department.objects.filter(body=body))
    ledger = Ledger.objects.create(body=body, year=year, title=f"压测{year}年工作任务分解")
    tasks = Task.objects.bulk_create(
        Task(body=body, ledger=ledger, number=n, title=f"压测任务{n}：围绕重点工作开展调研协商",
             category=CATEGORIES[n % len(CATEGORIES)], leader="秦文远",
             department=departments[n % len(departments)], responsible="处长")
        for n in range(1, TASKS + 1))
    Milestone.objects.bulk_create(
        Milestone(task=t, due_on=datetime.date(year, m, 28), what=f"第{m // 3}季度节点")
        for t in tasks for m in (3, 6, 9, 12))
    ProgressReport.objects.bulk_create(
        ProgressReport(body=body, task=t, author=author, text=f"第{r + 1}次进展：按节点推进。",
                       figures=f"完成 {r + 1} 项") for t in tasks for r in range(REPORTS))


def _breakdown_sheet(city: Body, year: int) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.append(breakdown.COLUMNS)
    department = Department.objects.filter(body=city).first().name
    for n in range(1, 301):
        sheet.append([n, f"导入压测任务{n}", "调研", "秦文远", department, "市直有关部门",
                      "处长", f"{year}-03-31 制定方案\n{year}-09-30 完成调研"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    city = Body.objects.get(code="harbin")
    year = timezone.localdate().year
    if Ledger.objects.filter(body=city, title__startswith="压测").exists():
        print("ledger bench data already present")
        return
    office = User.objects.get(username="ducha")
    rules = services.rules_for(city.pk)
    rules.office = Department.objects.get(body=city, name="督查考评办公室")
    rules.save()
    bodies = [city, *Body.objects.filter(parent=city)]
    started = time.perf_counter()
    with transaction.atomic():
        for body in bodies:
            _body_ledger(body, year, office)
    print(f"ledgers: {len(bodies)} bodies × {TASKS} tasks × {REPORTS} reports in "
          f"{time.perf_counter() - started:.1f} s")
    items = [assign.Item(f"压测交办事项{n}", CATEGORIES[n % len(CATEGORIES)],
                         datetime.date(year, 12, 31)) for n in range(1, 31)]
    started = time.perf_counter()
    assign.assign(office, city, year, f"压测{year}年市县联动清单", items, bodies[1:])
    print(f"city checklist: 30 items to {len(bodies) - 1} districts in "
          f"{time.perf_counter() - started:.2f} s")
    data = _breakdown_sheet(city, year + 1)
    started = time.perf_counter()
    rows = breakdown.check(city, year + 1, breakdown.read(data))
    ledger = Ledger.objects.create(body=city, year=year + 1, title="导入压测")
    count = breakdown.save(office, ledger, rows)
    print(f"Excel import: {count} rows checked and saved in "
          f"{time.perf_counter() - started:.2f} s (target ≤ 3 s)")


if __name__ == "__main__":
    main()
