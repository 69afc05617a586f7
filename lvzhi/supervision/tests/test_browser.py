"""委员微监督 on a 390 px phone with a photo; the unit answers its item on a desktop."""

import datetime

import pytest

from lvzhi.core.tests.test_browser import SHOTS, browser, log_in, no_sideways_scroll  # noqa: F401
from lvzhi.supervision.tests.test_supervision import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_reports_on_a_phone_and_the_unit_answers_on_a_desktop(
        browser, live_server, world, tmp_path):  # noqa: F811
    from django.utils import timezone

    from lvzhi.supervision import workflow
    from lvzhi.supervision.models import Problem, Topic
    photo = tmp_path / "坡道.png"
    photo.write_bytes(PNG)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                is_mobile=True, has_touch=True).new_page()
    log_in(phone, live_server.url, "lin")
    phone.goto(f"{live_server.url}/supervision/")
    phone.get_by_role("link", name="委员微监督：反映问题").click()
    phone.get_by_label("发现的问题").fill("公交站台无障碍坡道被占用，轮椅无法通行。")
    phone.get_by_label("地点").fill("中央大街")
    phone.get_by_label("照片（选填，最多9张）").set_input_files(str(photo))
    assert no_sideways_scroll(phone)
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_load_state()
    assert "已收到您反映的问题" in phone.content()
    phone.screenshot(path=SHOTS / "member-phone-micro-supervision.png", full_page=True)
    problem = Problem.objects.get()
    topic = Topic.objects.create(body=world.city.body, year=timezone.localdate().year,
                                 title="城市无障碍环境民主监督", form="委员微监督")
    workflow.PROBLEM.perform(problem, "accept", world.zhou, topic=topic.pk,
                             unit=world.city.unit.pk,
                             due_on=str(timezone.localdate() + datetime.timedelta(days=20)))
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")\
        .new_page()
    log_in(desk, live_server.url, "ma")
    desk.goto(f"{live_server.url}/ledgers/mine/")
    desk.get_by_role("link", name="公交站台无障碍坡道被占用").click()
    desk.get_by_label("进展情况").fill("已清理占道物品，设置隔离桩。")
    desk.get_by_label("附件（选填，可多选）").set_input_files(str(photo))
    desk.get_by_role("button", name="提交").click()
    desk.wait_for_load_state()
    assert "已完成：报告进展" in desk.content()
    assert Problem.objects.get().item.reports.filter(text__startswith="已清理").exists()
