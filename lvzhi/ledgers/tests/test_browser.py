"""A department's clerk reports progress on a task from a 390 px phone."""

import datetime

import pytest

from lvzhi.core.tests.test_browser import SHOTS, browser, log_in, no_sideways_scroll  # noqa: F401

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
