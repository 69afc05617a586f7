"""Every notification's link opens for the person it was sent to."""

import pytest

from lvzhi.core.models import Notification
from lvzhi.core.tests.matrix_world import build
from lvzhi.opinions.workflow import perform as report_action
from lvzhi.proposals.workflow import perform

pytestmark = pytest.mark.django_db


def test_every_notification_link_opens_for_its_recipient(client, world):
    o = build(world)
    # More of the cycles, so each kind of notice is sent at least once.
    perform(o.own, "review_reply", world.zhou, reply=o.reply.pk, decision="accept")
    perform(o.own, "evaluate", world.lin, rating="unsatisfied", comment="缺少具体措施")
    perform(o.draft, "submit", world.lin)
    perform(o.draft, "reject", world.zhou, ground="prohibited")
    xf = _xf_staff(world)
    report_action(report_action(o.other_report, "adopt", xf), "forward", xf, level="city")
    from lvzhi.opinions.tests.conftest import REPORT
    from lvzhi.opinions.workflow import combine, publish_issue, save_draft
    two = [report_action(save_draft(person, world.city.body, dict(REPORT)), "submit", person)
           for person in (world.gao, world.qin)]
    combined = combine(two, world.zhou, "综合稿", "两篇信息的综合。")
    publish_issue(world.city.body, world.zhou, [combined], world.zhou, world.qin)
    from lvzhi.activities import workflow as activities
    activities.ask_leave(world.lin, o.activity, "外出开会")
    notes = list(Notification.objects.select_related("recipient"))
    assert len({n.title for n in notes}) >= 8, [n.title for n in notes]
    broken = []
    for note in notes:
        if not note.url:
            continue
        client.force_login(note.recipient)
        status = client.get(note.url).status_code
        if status != 200:
            broken.append(f"{note.recipient} 《{note.title}》 {note.url}: {status}")
    assert not broken, "\n".join(broken)


def _xf_staff(world):
    from lvzhi.conftest import make_person
    from lvzhi.core.models import Role, RoleKind
    user = make_person("xfstaff", "冯晓丽", "13900006101")
    Role.objects.create(user=user, body=world.xiangfang.body, kind=RoleKind.STAFF,
                        department=world.xiangfang.department)
    return user
