"""The header's search box on a desktop, and similar proposals appearing while a member
types on a 390 px phone."""

import pytest

from lvzhi.core.tests.test_browser import SHOTS, browser, log_in, no_sideways_scroll  # noqa: F401
from lvzhi.search.tests.test_similar import ELDERLY, REWORDED, _filed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_header_search_finds_and_marks(browser, live_server, world):  # noqa: F811
    elderly = _filed(world, ELDERLY)
    page = browser.new_context(locale="zh-CN").new_page()
    log_in(page, live_server.url, "zhou")
    box = page.get_by_role("search").get_by_role("searchbox", name="搜索")
    box.fill("居家养老")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    link = page.get_by_role("link", name=elderly.title)
    assert link.is_visible() and page.locator("mark", has_text="养老").count() >= 1
    assert "找到 1 条结果" in page.get_by_role("status").inner_text()
    link.click()
    page.wait_for_url(f"**/proposals/{elderly.pk}/")


def test_similar_proposals_appear_while_typing_on_a_phone(
        browser, live_server, world):  # noqa: F811
    elderly = _filed(world, ELDERLY, who=world.gao)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                is_mobile=True, has_touch=True).new_page()
    log_in(phone, live_server.url, "lin")
    phone.goto(f"{live_server.url}/proposals/new/")
    phone.get_by_label("案由").fill(REWORDED[0])
    phone.get_by_label("情况", exact=False).first.press_sequentially(REWORDED[1][:30], delay=5)
    note = phone.locator("#lz-similar")
    note.get_by_text("本政协已有相近的提案").wait_for(timeout=5000)
    assert elderly.title in note.inner_text() and "相似度" in note.inner_text()
    assert no_sideways_scroll(phone)
    phone.screenshot(path=SHOTS / "member-phone-similar-proposals.png", full_page=True)
