"""An information officer reports from a phone; the district office adopts and forwards."""

import pytest

from lvzhi.core.tests.test_browser import SHOTS, browser, log_in, no_sideways_scroll  # noqa: F401
from lvzhi.opinions.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_from_a_phone(browser, live_server, world, xf_staff):  # noqa: F811
    base = live_server.url
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                               is_mobile=True, has_touch=True).new_page()
    log_in(page, base, "han")
    page.goto(f"{base}/opinions/new/")
    page.fill("#id_title", "关于公交站台缺少遮雨棚的反映")
    page.select_option("#id_category", "urban")
    page.fill("#id_situation", "和平路沿线三个公交站台没有遮雨棚，雨雪天乘客候车困难。")
    page.fill("#id_suggestions", "建议增设遮雨棚和座椅。")
    assert no_sideways_scroll(page)
    page.screenshot(path=SHOTS / "opinion-phone-write.png", full_page=True)
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_selector("text=已提交。")
    assert no_sideways_scroll(page)

    office = browser.new_context(viewport={"width": 1366, "height": 900},
                                 locale="zh-CN").new_page()
    log_in(office, base, "xfstaff")
    office.goto(f"{base}/opinions/office/")
    office.get_by_role("link", name="关于公交站台缺少遮雨棚的反映").click()
    office.get_by_role("button", name="录用（单篇）").click()
    office.wait_for_selector("text=已完成：录用")
    office.get_by_role("button", name="上报", exact=True).click()
    office.wait_for_selector("text=已完成：上报")
    office.screenshot(path=SHOTS / "opinion-office-detail.png", full_page=True)

    page.reload()
    assert "已录用" in page.inner_text("body")
    assert "市政协：已提交" in page.inner_text("body")
    page.screenshot(path=SHOTS / "opinion-phone-outcomes.png", full_page=True)
    assert Report.objects.filter(forwarded_from__isnull=False).count() == 1
