"""A department's clerk and a district's clerk report progress from a 390 px phone."""

import datetime

import pytest

from lvzhi.core.tests.test_browser import SHOTS, browser, log_in, no_sideways_scroll  # noqa: F401
from lvzhi.supervision.tests.test_supervision import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_reports_progress_on_a_phone(browser, live_server, world):  # noqa: F811
    from django.utils import timezone

    from lvzhi.ledgers.models import Ledger, Milestone, Task
    year = timezone.localdate().year
    ledger = Ledger.objects.create(body=world.city.body, year=year, title="任务分解")
    task = Task.objects.create(body=world.city.body, ledger=ledger, number=1,
                               title="开展冰雪经济专题调研", category="research",
                               department=world.city.department)
    Milestone.objects.create(task=task, due_on=datetime.date(year, 12, 15), what="形成报告")
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                               is_mobile=True, has_touch=True).new_page()
    log_in(page, live_server.url, "zhou")
    page.goto(f"{live_server.url}/ledgers/?mine=1")
    page.get_by_role("link", name="开展冰雪经济专题调研").click()
    page.wait_for_url(f"**/ledgers/tasks/{task.pk}/")
    page.get_by_label("进展情况").fill("已走访三家冰雪装备企业，正在起草报告。")
    page.get_by_label("数据（选填）").fill("调研 3 次")
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state()
    assert "已完成：报告进展" in page.content()
    assert page.get_by_text("已走访三家冰雪装备企业").is_visible()
    page.screenshot(path=SHOTS / "clerk-phone-ledger-task.png", full_page=True)


def test_a_district_clerk_reports_on_a_city_item_from_a_phone(
        browser, live_server, world, tmp_path):  # noqa: F811
    """The city assigns a checklist; 道里区's clerk finds the item on a phone, reports with
    a photo as evidence; the city's matrix shows it in progress, the report beside it."""
    from django.utils import timezone

    from lvzhi.ledgers import assign
    from lvzhi.ledgers.models import Task
    year = timezone.localdate().year
    items = assign.parse_items(f"联合开展冰雪经济专题调研 | 调研 | {year}-12-30", year)
    checklist = assign.assign(world.zhou, world.city.body, year, "市县联动工作清单", items,
                              [world.daoli.body, world.xiangfang.body])
    copy = Task.objects.get(body=world.daoli.body, source__ledger=checklist)
    photo = tmp_path / "调研现场.png"
    photo.write_bytes(PNG)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                is_mobile=True, has_touch=True).new_page()
    log_in(phone, live_server.url, "pan")
    phone.goto(f"{live_server.url}/ledgers/")
    phone.get_by_role("link", name="联合开展冰雪经济专题调研").click()
    phone.wait_for_url(f"**/ledgers/tasks/{copy.pk}/")
    phone.get_by_label("进展情况").fill("已与市政协联合走访两家冰雪旅游企业。")
    phone.get_by_label("附件（选填，可多选）").set_input_files(str(photo))
    assert no_sideways_scroll(phone)
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_load_state()
    assert "已完成：报告进展" in phone.content()
    assert phone.get_by_role("link", name="调研现场.png").is_visible()
    phone.screenshot(path=SHOTS / "district-clerk-phone-ledger-task.png", full_page=True)
    desk = browser.new_context(locale="zh-CN").new_page()
    log_in(desk, live_server.url, "zhou")
    desk.goto(f"{live_server.url}/ledgers/assignments/{checklist.pk}/")
    row = desk.get_by_role("row", name="道里区政协")
    assert row.get_by_role("link", name="推进中").is_visible()
    other = desk.get_by_role("row", name="香坊区政协")
    assert other.get_by_role("link", name="未报告").is_visible()
    row.get_by_role("link", name="推进中").click()
    assert desk.get_by_text("已与市政协联合走访两家冰雪旅游企业").is_visible()
