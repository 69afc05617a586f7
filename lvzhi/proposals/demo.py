"""Demo proposals of the city body in every state, written for the demo (no real text).

They are made through the workflow itself, so every page, history and figure is real.
Loaded once: if the city body already has proposals, nothing is added.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from lvzhi.core.models import Body, HandlingUnit, Member, Role, RoleKind, Session, User
from lvzhi.proposals.models import Proposal, Reply
from lvzhi.proposals.services import today
from lvzhi.proposals.workflow import perform, save_draft

# (title, category, situation, suggestions)
TOPICS = [
    ("关于加快发展康养产业的建议", "economy",
     "我市夏季气候凉爽、森林资源丰富，具备发展避暑康养的条件，但康养项目规模小、服务标准不一。",
     "一是编制全市康养产业专项规划；二是培育一批医养结合示范机构；三是把康养线路纳入旅游推介。"),
    ("关于推进儿童友好城市建设的建议", "society",
     "城区儿童公共活动空间不足，老旧小区普遍缺少适合儿童的游戏和学习场地。",
     "一是制定儿童友好空间建设导则；二是在城市更新中同步建设儿童活动场地；三是开展儿童参与式设计。"),
    ("关于加强老年认知障碍照护服务的建议", "society",
     "我市老龄化程度较高，认知障碍老人照护需求增长快，专业床位和照护人员明显不足。",
     "一是在养老机构设立认知障碍照护专区；二是开展早期筛查进社区；三是加强照护人员培训。"),
    ("关于扶持本土文学创作的建议", "culture",
     "本土作家作品数量可观，但出版、推广渠道有限，年轻写作者成长缺少平台。",
     "一是设立本土文学创作扶持资金；二是建设作家工作室；三是在城市书房开设本土作品专架。"),
    ("关于促进预制菜产业规范发展的建议", "economy",
     "我市农产品资源丰富，预制菜企业增多，但标准体系、冷链配送和品牌建设滞后。",
     "一是制定地方预制菜生产标准；二是完善冷链物流节点；三是打造区域公用品牌。"),
    ("关于建设儿童阅读中心的建议", "culture",
     "全市公共图书馆少儿阅览面积偏小，社区层面缺少面向儿童的阅读空间。",
     "一是依托社区服务中心建设儿童阅读角；二是推动学校图书馆课后向社区开放。"),
    ("关于做大做强冰雪运动产业的建议", "economy",
     "冰雪资源是我市的独特优势，但冰雪装备制造和赛事运营链条短，冬季以外的业态不足。",
     "一是引进冰雪装备制造企业；二是打造四季运营的冰雪综合体；三是培育品牌赛事。"),
    ("关于加快建设先进制造业城市的建议", "economy",
     "我市装备制造基础雄厚，但数字化改造进度不一，中小企业转型能力弱。",
     "一是设立智能制造改造专项资金；二是建设工业互联网公共服务平台；三是引育高技能人才。"),
    ("关于优化城市冬季清雪作业的建议", "society",
     "降雪后部分背街小巷清雪不及时，影响居民出行安全。",
     "一是划分清雪责任网格；二是配备小型清雪机械；三是建立清雪进度公开机制。"),
    ("关于完善社区居家养老服务的建议", "society",
     "居家养老服务供给与需求不匹配，助餐、助浴等服务覆盖面小。",
     "一是推广社区老年食堂；二是发展上门助浴服务；三是对困难老人给予服务补贴。"),
    ("关于保护利用历史建筑的建议", "culture",
     "部分历史建筑缺少日常维护，活化利用方式单一。",
     "一是建立历史建筑保护名录动态管理；二是引入社会资本参与活化利用。"),
    ("关于加强中小学生近视防控的建议", "society",
     "学生近视率居高不下，户外活动时间不足。",
     "一是保障学生每天户外活动时间；二是改善教室采光照明；三是建立视力健康档案。"),
    ("关于推动松花江沿岸生态修复的建议", "ecology",
     "沿江部分岸段存在植被退化、湿地萎缩问题。",
     "一是实施沿江湿地修复工程；二是建设生态廊道；三是加强沿江排污口监管。"),
    ("关于提升营商环境便利度的建议", "politics",
     "企业办事仍存在材料多、跑动多的情况。",
     "一是推行涉企事项一网通办；二是建立企业诉求快速响应机制。"),
]

# What happens to each topic (by index): the states the demo should show.
STORY = ["closed", "evaluating", "handling_reply", "handling_co", "handling_request",
         "filed", "submitted", "returned", "rejected", "merged", "converted", "draft",
         "rehandling", "withdrawn"]


def load() -> None:
    city = Body.objects.get(code="harbin")
    if Proposal.objects.filter(body=city).exists():
        return
    current = current_session(city)
    first = Session.objects.get(body=city, term__is_current=True, number=1)
    members = list(Member.objects.filter(body=city, term__is_current=True)
                   .select_related("user").order_by("id")[:40])
    lead = Member.objects.get(user__username="weiyuan", body=city)
    cast = _Cast(city)
    with transaction.atomic():
        made = []
        for i, (title, category, situation, suggestions) in enumerate(TOPICS):
            proposer = lead if i in (0, 1, 2, 11) else members[i]
            # This year's session, with two of the term's first year behind it.
            session = first if STORY[i] in HISTORY else current
            made.append(_play(STORY[i], proposer, title, category, situation, suggestions,
                              session, cast, made))
        _district(Body.objects.get(code="daoli"))


HISTORY = {"closed", "rejected"}

DISTRICT_TOPICS = [
    ("关于改造中央大街周边老旧街巷的建议", "society",
     "中央大街周边部分街巷路面破损、排水不畅，影响居民和游客通行。",
     "一是分批实施街巷微改造；二是同步完善排水设施；三是保留历史风貌。"),
    ("关于增设社区托育服务点的建议", "society",
     "辖区年轻家庭托育需求大，普惠托位供给不足。",
     "一是利用社区闲置用房建设托育点；二是对普惠托育机构给予运营补贴。"),
    ("关于扶持夜间经济发展的建议", "economy",
     "辖区夜间消费场景单一，夏季以外的夜市活力不足。",
     "一是打造全季候夜间消费街区；二是完善夜间公共交通。"),
]


def current_session(body: Body) -> Session:
    """The latest session that has begun: this year's plenary session."""
    return Session.objects.filter(body=body, term__is_current=True,
                                  start_date__lte=today()).order_by("-number").first()


def _district(daoli: Body) -> None:
    """Daoli's own proposals, so its staff and members have something to do."""
    office = User.objects.get(username="daoli")
    members = [Member.objects.get(user__username="daoliweiyuan", body=daoli), *Member.objects
               .filter(body=daoli, term__is_current=True).exclude(user__username="daoliweiyuan")
               .order_by("id")[:2]]
    session = current_session(daoli)
    unit = HandlingUnit.objects.filter(body=daoli).order_by("order").first()
    for i, (title, category, situation, suggestions) in enumerate(DISTRICT_TOPICS):
        proposer = members[i]
        p = save_draft(proposer, proposer.user, {
            "title": title, "category": category, "situation": situation,
            "analysis": "", "suggestions": suggestions, "kind": Proposal.Kind.INDIVIDUAL})
        Proposal.objects.filter(pk=p.pk).update(session=session,
                                                timing=Proposal.Timing.CONGRESS)
        perform(p, "submit", proposer.user)
        if i == 1:
            perform(p, "file", office)
            perform(p, "assign", office, handling="single", units=[unit.pk])


class _Cast:
    def __init__(self, city: Body) -> None:
        self.office = User.objects.get(username="tianban")
        self.leader = User.objects.get(username="lingdao")
        self.cosigner = Member.objects.get(user__username="weiyuan2", body=city)
        handlers = Role.objects.filter(body=city, kind=RoleKind.UNIT_HANDLER)\
            .select_related("handling_unit", "user")
        self.units = {r.handling_unit.name: (r.handling_unit, r.user) for r in handlers}

    def unit(self, name: str) -> tuple[HandlingUnit, User]:
        return self.units[name]


def _play(story: str, proposer: Member, title: str, category: str, situation: str,
          suggestions: str, session: Session, cast: _Cast, made: list) -> Proposal:
    joint = story in ("closed", "evaluating")
    fields = {"title": title, "category": category, "situation": situation,
              "analysis": "", "suggestions": suggestions,
              "kind": Proposal.Kind.JOINT if joint else Proposal.Kind.INDIVIDUAL}
    if joint:
        fields["cosigners"] = [cast.cosigner.pk]
    p = save_draft(proposer, proposer.user, fields)
    Proposal.objects.filter(pk=p.pk).update(session=session, timing=Proposal.Timing.CONGRESS)
    if story == "draft":
        return p
    perform(p, "submit", proposer.user)
    if joint:
        perform(p, "confirm_cosign", cast.cosigner.user)
    office = cast.office
    simple = {"submitted": None, "withdrawn": ("withdraw", proposer.user, {}),
              "returned": ("return", office, {"comment": "请补充本地现状数据，建议再具体一些。"}),
              "rejected": ("reject", office, {"ground": "academic",
                                              "comment": "属于学术探讨，建议通过其他渠道反映。"}),
              "converted": ("convert", office, {"to": "opinion"}),
              "merged": ("merge", office, {"into": made[1].pk if len(made) > 1 else None})}
    if story in simple:
        if simple[story]:
            name, actor, params = simple[story]
            perform(p, name, actor, **params)
        return p
    perform(p, "file", office)
    if story == "filed":
        return p
    edu, edu_handler = cast.unit("市教育局")
    build, _ = cast.unit("市住房和城乡建设局")
    if story == "handling_co":
        perform(p, "assign", office, handling="lead", units=[build.pk], co_units=[edu.pk])
        perform(p, "co_opinion", edu_handler, opinion="同意主办单位意见，配合做好校园周边建设。")
        return p
    perform(p, "assign", office, handling="single", units=[edu.pk])
    if story == "handling_request":
        later = p.assignments.get().deadline + datetime.timedelta(days=30)
        perform(p, "request_extension", edu_handler, reason="涉及多部门协调，需延长办理时间。",
                new_deadline=later.isoformat())
        return p
    perform(p, "record_contact", edu_handler, way="meeting", date=today(),
            summary="与提案人面商，介绍了现有工作和下一步打算。")
    category = "B" if story in ("evaluating", "rehandling") else "A"
    perform(p, "reply", edu_handler, category=category, text="经认真研究，现将办理情况答复如下："
            "已会同有关部门制定工作方案，并列入年度重点任务。",
            commitment="明年年底前完成第一批建设任务。" if category == "B" else "")
    if story == "handling_reply":
        return p
    reply = Reply.objects.get(assignment__proposal=p, state=Reply.State.PENDING)
    perform(p, "review_reply", office, reply=reply.pk, decision="accept")
    if story == "evaluating":
        perform(p, "mark_key", office, supervisor=cast.leader.pk)
        perform(p, "supervise", cast.leader, text="请承办单位加快进度，按季度报告落实情况。")
        return p
    if story == "rehandling":
        perform(p, "evaluate", proposer.user, rating="unsatisfied",
                comment="答复偏原则，缺少具体措施。")
        return p
    perform(p, "evaluate", cast.cosigner.user, rating="basic", comment="")
    perform(p, "evaluate", proposer.user, rating="satisfied", comment="答复具体，感谢。")
    perform(p, "score", office, topic=18, grasp=18, analysis=17, suggestions=18, effect=17)
    perform(p, "mark_excellent", office)
    return p
