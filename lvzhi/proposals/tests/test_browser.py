"""One walk through the cycle in a real Chromium: a member drafts and submits on a phone, a
co-signer confirms, staff file and assign, the unit replies, the member rates."""

import pytest

from lvzhi.core.tests.test_browser import SHOTS, browser, log_in, no_sideways_scroll  # noqa: F401
from lvzhi.proposals.models import Proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def phone(browser):  # noqa: F811
    return browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                               is_mobile=True, has_touch=True).new_page()


def desktop(browser):  # noqa: F811
    return browser.new_context(viewport={"width": 1366, "height": 900},
                               locale="zh-CN").new_page()


def write_joint_draft(page, base: str, title: str, category: str, situation: str,
                      suggestions: str) -> None:
    page.goto(f"{base}/proposals/new/")
    page.fill("#id_title", title)
    page.select_option("#id_kind", "joint")
    page.select_option("#id_category", category)
    page.fill("#id_situation", situation)
    page.fill("#id_suggestions", suggestions)


def test_the_cycle_in_a_browser(browser, live_server, world):  # noqa: F811
    base = live_server.url
    # a member drafts a joint proposal and submits it from a phone
    page = phone(browser)
    log_in(page, base, "lin")
    write_joint_draft(page, base, "关于建设社区儿童阅读中心的建议", "culture",
                      "社区缺少面向儿童的阅读空间。", "依托社区服务中心建设儿童阅读角。")
    page.select_option("#id_cosigners", label="高振东（经济界）")
    assert no_sideways_scroll(page)
    page.screenshot(path=SHOTS / "proposal-phone-draft.png", full_page=True)
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_selector("text=已提交，等待审查")
    assert "待审查" in page.inner_text(".lz-state")
    assert no_sideways_scroll(page)
    page.screenshot(path=SHOTS / "proposal-phone-submitted.png", full_page=True)
    pk = Proposal.objects.get().pk

    # the co-signer confirms from the invitations on their list
    other = phone(browser)
    log_in(other, base, "gao")
    other.goto(f"{base}/proposals/")
    other.get_by_role("button", name="确认联名").first.click()
    other.wait_for_selector("text=已完成：确认联名")

    # staff file it and assign it to one unit
    office = desktop(browser)
    log_in(office, base, "zhou")
    office.goto(f"{base}/proposals/office/?tab=review")
    office.get_by_role("link", name="关于建设社区儿童阅读中心的建议").click()
    office.get_by_role("button", name="立案", exact=True).click()
    office.wait_for_selector("text=已完成：立案")
    office.select_option("#assign-units", label="市政协教育局")
    office.get_by_role("button", name="交办", exact=True).click()
    office.wait_for_selector("text=已完成：交办")
    office.screenshot(path=SHOTS / "proposal-office-detail.png", full_page=True)

    # the unit records a contact and replies
    unit = desktop(browser)
    log_in(unit, base, "ma")
    unit.goto(f"{base}/proposals/unit/")
    unit.get_by_text("关于建设社区儿童阅读中心的建议").click()
    unit.fill("textarea[name=summary]", "电话联系提案人，介绍了建设计划。")
    unit.get_by_role("button", name="记录沟通").click()
    unit.wait_for_selector("text=已完成：记录沟通")
    unit.fill("textarea[name=text]", "已将社区儿童阅读角纳入明年民生实事。")
    unit.get_by_role("button", name="提交答复").click()
    unit.wait_for_selector("text=已完成：答复")

    office.goto(f"{base}/proposals/{pk}/")
    office.get_by_role("button", name="通过", exact=True).click()
    office.wait_for_selector("text=已完成：审核答复")

    # the member rates the reply on the phone
    page.goto(f"{base}/proposals/{pk}/")
    page.check("#rating-satisfied")
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_selector("text=已完成：评价办理结果")
    assert "已办结" in page.inner_text(".lz-state")
    assert no_sideways_scroll(page)
    page.screenshot(path=SHOTS / "proposal-phone-closed.png", full_page=True)
    assert Proposal.objects.get().state == Proposal.State.CLOSED


def test_a_refused_form_keeps_the_text_on_a_phone(browser, live_server, world):  # noqa: F811
    from lvzhi.proposals.tests.conftest import DRAFT
    from lvzhi.proposals.workflow import perform, save_draft
    p = perform(save_draft(world.lin.memberships.get(), world.lin, dict(DRAFT)), "submit",
                world.lin)
    p = perform(perform(p, "file", world.zhou), "assign", world.zhou, handling="single",
                units=[world.city.unit.pk])
    perform(p, "record_contact", world.ma, way="phone", date="2022-03-01", summary="电话")
    page = phone(browser)
    log_in(page, live_server.url, "ma")
    page.goto(f"{live_server.url}/proposals/{p.pk}/")
    form = page.locator("form", has=page.get_by_role("button", name="提交答复"))
    form.get_by_label("答复类别").select_option("B")
    form.get_by_label("答复内容").fill("已列入明年城市更新计划。")
    form.get_by_role("button", name="提交答复").click()
    page.wait_for_load_state()
    form = page.locator("form", has=page.get_by_role("button", name="提交答复"))
    assert form.get_by_label("答复内容").input_value() == "已列入明年城市更新计划。"
    assert form.get_by_label("答复类别").input_value() == "B"
    commitment = form.get_by_label("落实承诺（B 类必填）")
    assert commitment.get_attribute("aria-invalid") == "true"
    assert "B 类答复须写明落实承诺和时间" in form.inner_text()
    assert no_sideways_scroll(page)
    page.screenshot(path=SHOTS / "proposal-phone-reply-refused.png", full_page=True)


def test_pick_a_cosigner_by_sector_and_the_answer_buttons_go(
        browser, live_server, world):  # noqa: F811
    base = live_server.url
    page = phone(browser)
    log_in(page, base, "lin")
    write_joint_draft(page, base, "关于完善社区养老服务的建议", "society",
                      "社区养老服务供给不足。", "增设社区嵌入式养老服务站。")
    page.get_by_label("筛选联名人：姓名、界别或专委会").fill("经济界")
    visible = page.eval_on_selector_all("#id_cosigners option",
                                        "os => os.filter(o => !o.hidden).map(o => o.text)")
    assert visible == ["高振东（经济界）"]
    page.get_by_label("筛选联名人：姓名、界别或专委会").fill("提案委员会 秦")
    visible = page.eval_on_selector_all("#id_cosigners option",
                                        "os => os.filter(o => !o.hidden).map(o => o.text)")
    assert visible == ["秦文远（民盟）"]  # by committee and name together
    page.select_option("#id_cosigners", label="秦文远（民盟）")
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_selector("text=已提交，等待审查")
    pk = Proposal.objects.get().pk

    other = phone(browser)
    log_in(other, base, "qin")
    other.goto(f"{base}/proposals/{pk}/")
    other.get_by_role("button", name="确认联名").click()
    other.wait_for_selector("text=已完成：确认联名")
    assert other.get_by_role("button", name="确认联名").count() == 0
    assert other.get_by_role("button", name="谢绝联名").count() == 0
