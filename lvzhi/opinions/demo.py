"""Demo reports: members and information officers of the city and Xiangfang, in every
state, one issue of the bulletin, forwarding and instructions. Loaded once."""

from __future__ import annotations

from lvzhi.core.models import Body, Department, Role, RoleKind, User
from lvzhi.opinions.models import Report
from lvzhi.opinions.workflow import combine, perform, publish_issue, save_draft, today

TEXTS = [
    ("关于冬季老旧小区供热不达标的情况反映", "livelihood",
     "近期多个老旧小区居民反映室温偏低，部分楼栋末端住户室温不足十六度。",
     "建议供热企业开展管网水力平衡调节，对末端住户加装循环泵。"),
    ("关于学校周边早晚高峰交通拥堵的建议", "urban",
     "部分中小学上下学时段接送车辆占道停放，周边道路通行缓慢。",
     "建议设置限时接送车位，推广错峰放学和步行校车。"),
    ("关于社区药店医保结算不便的反映", "health",
     "部分社区药店尚未开通门诊统筹结算，老年人购药需往返医院。",
     "建议扩大定点药店范围，简化药店接入流程。"),
    ("关于冰雪旅游旺季景区排队时间过长的建议", "economy",
     "冰雪旅游旺季部分景区入园排队超过一小时，游客体验受影响。",
     "建议推行分时预约，增设室外取暖点和临时休息区。"),
    ("关于背街小巷积雪清理不及时的反映", "urban",
     "降雪后部分背街小巷积雪多日未清，老人出行易滑倒。",
     "建议落实门前三包，街道组织志愿者集中清雪。"),
    ("关于农村留守老人助餐服务的建议", "livelihood",
     "部分乡镇留守老人做饭困难，现有助餐点覆盖不足。",
     "建议依托村级活动室开设助餐点，给予运营补贴。"),
]


def load() -> None:
    city = Body.objects.get(code="harbin")
    district = Body.objects.get(code="xiangfang")
    # Loaded once; reports made from other things (a converted demo proposal) do not count.
    if Report.objects.filter(body__in=[city, district], source_type__isnull=True).exists():
        return
    member = User.objects.get(username="weiyuan")
    officer = User.objects.get(username="xinxiyuan")
    office = User.objects.get(username="yanjiu")
    leader = User.objects.get(username="lingdao")
    reports = []
    for i, (title, category, situation, suggestions) in enumerate(TEXTS):
        author, body = (member, city) if i % 2 == 0 else (officer, district)
        report = save_draft(author, body, {"title": title, "category": category,
                                           "situation": situation, "suggestions": suggestions})
        if i < 5:
            report = perform(report, "submit", author)
        reports.append(report)
    # the city office adopts, combines and publishes; the district forwards one to the city
    perform(reports[0], "adopt", office)
    perform(reports[0], "instruct", office, leader="市政府分管副市长", level="city",
            date=today().isoformat(), text="请供热主管部门抓紧督促整改。")
    perform(reports[0], "send", office, recipients=["党委", "政府", "市住房和城乡建设局"])
    perform(reports[0], "forward", office, level="province")
    combined_sources = [reports[2], reports[4]]
    combine(combined_sources, office, "关于冬季城市运行中几个民生问题的综合反映",
            "综合委员反映，冬季供热、积雪清理和社区购药等问题群众关注度高，建议统筹解决。")
    publish_issue(city, office, [reports[0], reports[2].combined_in.get()], office, leader)
    perform(reports[1], "return", _xiangfang_office(), comment="请补充涉及的学校名称和时段。")
    perform(reports[3], "adopt", _xiangfang_office())
    perform(reports[3], "forward", _xiangfang_office(), level="city")
    # Daoli's own: a member's report waiting in the district office's queue.
    daoli = Body.objects.get(code="daoli")
    author = User.objects.get(username="daoliweiyuan")
    perform(save_draft(author, daoli, {
        "title": "关于中央大街周边共享单车乱停放的反映", "category": "urban",
        "situation": "旅游旺季中央大街周边共享单车大量堆积，占用盲道和消防通道。",
        "suggestions": "建议划定电子围栏停放区，企业按时段清运调度。"}), "submit", author)


def _xiangfang_office() -> User:
    """A Xiangfang staff member for the demo, made on first use."""
    user, _ = User.objects.get_or_create(username="xfyanjiu", defaults={
        "full_name": "冯晓丽", "mobile": "13900006101"})
    body = Body.objects.get(code="xiangfang")
    Role.objects.get_or_create(user=user, body=body, kind=RoleKind.STAFF, defaults={
        "department": Department.objects.get(body=body, name="研究室")})
    return user
