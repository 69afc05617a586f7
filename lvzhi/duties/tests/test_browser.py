"""我的履职 on a 390 px phone, in a real Chromium."""

import pytest

from lvzhi.core.tests.test_browser import SHOTS, browser, log_in, no_sideways_scroll  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_my_duty_record_on_a_phone(browser, live_server, world):  # noqa: F811
    from lvzhi.duties.services import record_fact
    seat = world.lin.memberships.get()
    from django.utils import timezone
    record_fact(seat, "activity_plenary_present", world.city.body, timezone.localdate(),
                {"title": "市政协全体会议"})
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                               is_mobile=True, has_touch=True).new_page()
    log_in(page, live_server.url, "lin")
    page.goto(f"{live_server.url}/duties/")
    assert page.locator("h1").inner_text() == "我的履职"
    assert page.get_by_text("全体会议·出席").is_visible()
    assert page.get_by_text("尚未完成").first.is_visible()
    assert no_sideways_scroll(page)
    page.screenshot(path=SHOTS / "member-phone-duties.png", full_page=True)
    page.get_by_role("link", name="申报履职").click()
    page.wait_for_url("**/duties/declare/")
    page.get_by_role("button", name="提交申报").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 3  # kind, title, date at once
    assert no_sideways_scroll(page)
