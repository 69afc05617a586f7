"""A member checks in on a phone by opening the venue QR code's address; staff watch the
venue screen on a desktop."""

import datetime

import pytest
from django.utils import timezone

from lvzhi.activities import services
from lvzhi.activities.models import Activity
from lvzhi.core.tests.test_browser import SHOTS, browser, log_in, no_sideways_scroll  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_check_in_on_a_phone(browser, live_server, world, activity):  # noqa: F811
    start = timezone.now() - datetime.timedelta(minutes=3)
    Activity.objects.filter(pk=activity.pk).update(starts_at=start,
                                                   ends_at=start + datetime.timedelta(hours=2))
    activity.refresh_from_db()
    base = live_server.url
    screen = browser.new_context(viewport={"width": 1366, "height": 900},
                                 locale="zh-CN").new_page()
    log_in(screen, base, "zhou")
    screen.goto(f"{base}/activities/{activity.pk}/screen/")
    assert screen.locator(".lz-qr svg").is_visible()
    screen.screenshot(path=SHOTS / "activity-venue-screen.png")

    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                               is_mobile=True, has_touch=True).new_page()
    log_in(page, base, "lin")
    page.goto(f"{base}/activities/")
    page.get_by_text(activity.title).first.click()
    page.wait_for_url(f"**/activities/{activity.pk}/")
    assert no_sideways_scroll(page)
    page.screenshot(path=SHOTS / "activity-phone-detail.png", full_page=True)
    page.goto(f"{base}/activities/{activity.pk}/checkin/?t={services.checkin_token(activity)}")
    assert "签到成功" in page.inner_text("[role=status]")
    page.screenshot(path=SHOTS / "activity-phone-checked-in.png")
    screen.reload()
    assert screen.locator(".display-1").inner_text() == "1"


def test_closing_attendance_asks_first(browser, live_server, world, activity):  # noqa: F811
    start = timezone.now() - datetime.timedelta(minutes=3)
    Activity.objects.filter(pk=activity.pk).update(starts_at=start,
                                                   ends_at=start + datetime.timedelta(hours=2))
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                               is_mobile=True, has_touch=True).new_page()
    log_in(page, live_server.url, "zhou")
    page.goto(f"{live_server.url}/activities/{activity.pk}/attendance/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="结束考勤").click()
    page.wait_for_timeout(300)
    assert "记为缺席" in questions[0]
    assert Activity.objects.get(pk=activity.pk).state == Activity.State.NOTIFIED
    page.once("dialog", lambda d: answer(d, True))
    page.get_by_role("button", name="结束考勤").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="重新打开考勤").wait_for()
    assert Activity.objects.get(pk=activity.pk).state == Activity.State.CLOSED


def test_venue_qr_fits_a_phone_and_a_stranger_gets_a_chinese_page(
        browser, live_server, world, activity):  # noqa: F811
    phone = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN",
             "is_mobile": True, "has_touch": True}
    page = browser.new_context(**phone).new_page()
    log_in(page, live_server.url, "zhou")
    page.goto(f"{live_server.url}/activities/{activity.pk}/screen/")
    qr = page.locator(".lz-qr svg")
    box = qr.bounding_box()
    assert qr.get_attribute("viewBox") and box["x"] >= 0 and box["x"] + box["width"] <= 390
    # The drawing scales with the box: its modules are not cut off at the right edge.
    inner = page.evaluate("(() => { const s = document.querySelector('.lz-qr svg');"
                          " const b = s.getBBox(); const v = s.viewBox.baseVal;"
                          " return b.x + b.width <= v.x + v.width; })()")
    assert inner
    page.screenshot(path=SHOTS / "activity-phone-venue-qr.png")

    stranger = browser.new_context(**phone).new_page()
    log_in(stranger, live_server.url, "dong")  # Daoli: not invited, cannot see it
    response = stranger.goto(f"{live_server.url}/activities/{activity.pk}/checkin/?t=x")
    assert response.status == 404
    text = stranger.inner_text("main")
    assert "找不到该页面" in text and "返回首页" in text
    assert stranger.locator("nav").count() == 1  # in the site's layout
    assert no_sideways_scroll(stranger)
