"""The demo data loads the Harbin organisation and is idempotent."""

import pytest
from django.core.management import call_command

from lvzhi.core.demo import DEMO_PASSWORD
from lvzhi.core.models import Body, HandlingUnit, Member, Role, RoleKind, Session, User

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Body, Session, Member, User, Role,
                                                     HandlingUnit))


def test_demo_loads_once_however_often_it_runs(capsys):
    call_command("demo", "--demo")
    first = counts()
    call_command("demo", "--demo")
    assert counts() == first
    city = Body.objects.get(code="harbin")
    assert city.children.count() == 18
    assert Member.objects.filter(body=city).count() >= 300
    assert HandlingUnit.objects.filter(body=city).count() == 40
    assert {r.kind for r in Role.objects.all()} == set(RoleKind.values) - {RoleKind.MEMBER}
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "weiyuan" in out and "chengban" in out
    assert User.objects.get(username="weiyuan").check_password(DEMO_PASSWORD)
    # A few city members also sit on the Daoli body, under one account.
    assert Member.objects.filter(body__code="daoli", user__memberships__body=city).exists()


def test_demo_follows_today_and_gives_every_role_something_to_do(client, capsys):
    import datetime

    from django.utils import timezone

    from lvzhi.activities.access import approves_leave
    from lvzhi.activities.models import Activity, AnnualPlan, Invitation
    from lvzhi.proposals.models import Proposal
    call_command("demo", "--demo")
    out = capsys.readouterr().out
    assert "zhuxi" in out and "mishuzhang" in out and "daoliweiyuan" in out
    today = timezone.localdate()
    city = Body.objects.get(code="harbin")
    assert AnnualPlan.objects.filter(body=city, year=today.year).exists()
    assert AnnualPlan.objects.filter(body=city, year=2022).exists()  # history kept
    current = Session.objects.filter(body=city, start_date__lte=today).order_by("-number")[0]
    assert current.start_date.year == today.year
    assert Proposal.objects.filter(body=city, session=current).count() >= 10
    assert Proposal.objects.filter(body=city, session__number=1).exists()
    upcoming = Activity.objects.filter(body=city, starts_at__gt=timezone.now())
    assert upcoming.count() >= 2
    # A notice names the activity's own date, not one a month off.
    for a in Activity.objects.filter(state="notified"):
        note = a.invitations.first().member.user.notifications.filter(
            title__contains=a.title).first()
        if note:
            assert f"{timezone.localtime(a.starts_at):%m月%d日}" in note.text
    # Leave waiting for the chair and for the secretary-general, each of whom may decide it.
    pending = Invitation.objects.filter(leave=Invitation.Leave.PENDING).select_related(
        "activity")
    chair, sg = User.objects.get(username="zhuxi"), User.objects.get(username="mishuzhang")
    assert any(approves_leave(chair, i.activity) and i.activity.kind == "standing"
               for i in pending)
    assert any(approves_leave(sg, i.activity) and i.activity.kind == "research"
               for i in pending)
    assert chair.check_password(DEMO_PASSWORD)
    # A supervision group is invited to next week's site visit; its topic lists it.
    from lvzhi.supervision.models import Topic
    topic = Topic.objects.filter(body=city, group__isnull=False).order_by("-year", "id")[0]
    client.force_login(chair)
    assert "民主监督小组现场视察" in client.get(topic.get_absolute_url()).content.decode()
    # The inspection office's board has this year's tasks, a checklist to the districts,
    # and tasks behind (the supervision demo's 整改台账 did not stop the breakdown).
    client.force_login(User.objects.get(username="ducha"))
    board = client.get("/ledgers/")
    assert len(board.context["page"]) >= 5 and board.context["checklists"]
    assert {code: n for code, _label, n in board.context["counts"]}["behind"] >= 1
    # The Daoli login has proposals, reports and an activity of its own body.
    client.force_login(User.objects.get(username="daoli"))
    assert "关于增设社区托育服务点的建议" in client.get("/proposals/office/").content.decode()
    assert "共享单车" in client.get("/opinions/office/").content.decode()
    assert "道里区老旧小区改造工作视察" in client.get("/activities/manage/").content.decode()
    assert datetime.date(2022, 1, 5) <= today


def test_the_demo_needs_asking_plainly_and_never_touches_real_data(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--demo"):
        call_command("demo")
    assert counts() == (0, 0, 0, 0, 0, 0)
    Body.objects.create(code="suihua", name="政协绥化市委员会", short_name="绥化市政协")
    before = counts()
    with pytest.raises(CommandError, match="已经有正式数据"):
        call_command("demo", "--demo")
    assert counts() == before


def test_a_superuser_with_the_demo_password_only_in_development(settings, capsys):
    settings.DEBUG = False
    call_command("demo", "--demo")
    assert not User.objects.filter(is_superuser=True).exists()
    settings.DEBUG = True
    call_command("demo")  # a developer's machine: no flag needed, the database is the demo's
    assert User.objects.get(username="admin").is_superuser
