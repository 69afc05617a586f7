"""WCAG 2.1 AA (GB/T 37668) with axe-core in the real Chromium: every page of every role,
on a phone and a desktop, with the phone menu open, and forms in their refused state.

axe-core comes from npm (frontend/node_modules, a development dependency; never served).
The list of pages is kept complete by `test_every_html_page_is_checked`: each named URL
pattern that renders HTML is here, or exempt with its reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lvzhi.core.tests.matrix_world import Objects, build
from lvzhi.core.tests.test_authorization_matrix import PAGES, PEOPLE
from lvzhi.core.tests.test_browser import browser, log_in  # noqa: F401

AXE = Path(__file__).resolve().parents[3] / "frontend" / "node_modules" / "axe-core" / \
    "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (390, 1366)

# (who, URL) for every page that renders HTML; objects come from matrix_world.build.
CHECKED = {
    "home": ("lin", lambda o: "/"),
    "login": (None, lambda o: "/login/"),
    "password_code": (None, lambda o: "/password/code/"),
    "password_set": (None, lambda o: "/password/set/?mobile=13900001001"),
    "activate": (None, lambda o: "/activate/"),
    "activation": ("zhou", lambda o: "/people/activation/?state=all"),
    "audit": ("shi", lambda o: "/audit/"),
    "activities:bases": ("zhou", lambda o: "/activities/bases/"),
    "activities:base": ("zhou", lambda o: f"/activities/bases/{o.base.pk}/"),
    "ledgers:board": ("zhou", lambda o: "/ledgers/?year=2026"),
    "ledgers:mine": ("ma", lambda o: "/ledgers/mine/"),
    "ledgers:task": ("zhou", lambda o: f"/ledgers/tasks/{o.task.pk}/"),
    "ledgers:import": ("zhou", lambda o: "/ledgers/import/"),
    "ledgers:assignment_new": ("zhou", lambda o: "/ledgers/assignments/new/"),
    "ledgers:matrix": ("zhou", lambda o: f"/ledgers/assignments/{o.checklist.pk}/"),
    "ledgers:progress": ("qin", lambda o: "/ledgers/progress/"),
    "ledgers:departments": ("zhou", lambda o: "/ledgers/departments/?year=2026"),
    "supervision:home": ("zhou", lambda o: "/supervision/"),
    "supervision:report": ("lin", lambda o: "/supervision/report/"),
    "supervision:figures": ("qin", lambda o: "/supervision/figures/"),
    "supervision:supervisors": ("zhou", lambda o: "/supervision/supervisors/"),
    "supervision:supervisor": ("ma", lambda o: f"/supervision/supervisors/{o.supervisor.pk}/"),
    "supervision:topic": ("zhou", lambda o: f"/supervision/topics/{o.topic.pk}/"),
    "supervision:problem": ("zhou", lambda o: f"/supervision/problems/{o.problem.pk}/"),
    "ledgers:appraisals": ("zhou", lambda o: "/ledgers/appraisals/"),
    "ledgers:appraisal": ("zhou", lambda o: f"/ledgers/appraisals/{o.appraisal.pk}/"),
    "ledgers:score": ("pan", lambda o: f"/ledgers/appraisals/sheets/{o.sheet.pk}/"),
    "duties:mine": ("lin", lambda o: "/duties/"),
    "duties:declare": ("lin", lambda o: "/duties/declare/"),
    "duties:own_expertise": ("lin", lambda o: "/duties/expertise/"),
    "duties:declaration": ("zhou", lambda o: f"/duties/declarations/{o.declaration.pk}/"),
    "duties:office": ("zhou", lambda o: "/duties/office/"),
    "duties:office_declarations": ("zhou", lambda o: "/duties/office/declarations/"),
    "duties:record": ("zhou", lambda o: f"/duties/members/{o.own.proposer_id}/"),
    "duties:rules": ("zhou", lambda o: "/duties/rules/"),
    "duties:year": ("zhou", lambda o: "/duties/year/"),
    "duties:districts": ("yuan", lambda o: "/duties/districts/"),
    "duties:experts": ("zhou", lambda o: "/duties/experts/"),
    "duties:expert_edit": ("zhou", lambda o: f"/duties/experts/{o.expert.pk}/"),
    "login_verify": ("lin", lambda o: "/login/verify/"),
    "two_factor": ("lin", lambda o: "/account/2fa/"),
    "password_change": ("lin", lambda o: "/password/"),
    "profile": ("lin", lambda o: "/profile/"),
    "inbox": ("lin", lambda o: "/inbox/"),
    "search:results": ("zhou", lambda o: "/search/?q=冰雪"),
    "opinions:similar": ("zhou", lambda o: "/opinions/office/similar/"),
    "people": ("zhou", lambda o: "/people/"),
    "roster_import": ("zhou", lambda o: "/people/import/"),
    "proposals:mine": ("lin", lambda o: "/proposals/"),
    "proposals:new": ("lin", lambda o: "/proposals/new/"),
    "proposals:detail": ("zhou", lambda o: f"/proposals/{o.own.pk}/"),
    "proposals:edit": ("lin", lambda o: f"/proposals/{o.draft.pk}/edit/"),
    "proposals:office": ("zhou", lambda o: "/proposals/office/"),
    "proposals:figures": ("zhou", lambda o: "/proposals/office/figures/"),
    "proposals:unit": ("ma", lambda o: "/proposals/unit/"),
    "proposals:leader": ("qin", lambda o: "/proposals/leader/"),
    "opinions:mine": ("lin", lambda o: "/opinions/"),
    "opinions:new": ("lin", lambda o: "/opinions/new/"),
    "opinions:detail": ("zhou", lambda o: f"/opinions/{o.report.pk}/"),
    "opinions:edit": ("lin", lambda o: f"/opinions/{o.report_draft.pk}/edit/"),
    "opinions:office": ("zhou", lambda o: "/opinions/office/"),
    "opinions:issue": ("lin", lambda o: f"/opinions/issues/{o.issue.pk}/"),
    "opinions:bulletin": ("zhou", lambda o: "/opinions/bulletin/"),
    "opinions:stats": ("zhou", lambda o: "/opinions/stats/"),
    "activities:mine": ("lin", lambda o: "/activities/"),
    "activities:manage": ("zhou", lambda o: "/activities/manage/"),
    "activities:plan": ("zhou", lambda o: "/activities/plan/"),
    "activities:detail": ("zhou", lambda o: f"/activities/{o.activity.pk}/"),
    "activities:checkin": ("lin", lambda o: f"/activities/{o.activity.pk}/checkin/?t=0"),
    "activities:screen": ("zhou", lambda o: f"/activities/{o.activity.pk}/screen/"),
    "activities:attendance": ("zhou", lambda o: f"/activities/{o.activity.pk}/attendance/"),
    "export": ("zhou", lambda o: f"/exports/{o.export.pk}/"),
}
EXTRA = [  # more states of the same pages: other roles' views, a member's detail page
    ("lin", lambda o: f"/proposals/{o.own.pk}/"),
    ("ma", lambda o: f"/proposals/{o.own.pk}/"),
    ("lin", lambda o: f"/activities/{o.activity.pk}/"),
    ("lin", lambda o: f"/opinions/{o.report.pk}/"),
]
EXEMPT = {
    "profile_notifications": "a form post; answers with a redirect",
    "duties:declaration_act": "POST only", "duties:correction_act": "POST only",
    "duties:correction_new": "POST only", "duties:year_act": "POST only",
    "duties:office_export": "POST: queues an export, redirects to its page",
    "duties:record_pdf": "PDF",
    "duties:amend": "POST only", "duties:office_recompute": "POST only",
    "ledgers:task_act": "POST only",
    "ledgers:export": "POST: queues an export, redirects to its page",
    "proposals:similar": "a fragment inside the writing page, checked there",
    "ledgers:matrix_export": "Excel",
    "ledgers:appraisal_act": "POST only", "ledgers:score_act": "POST only",
    "supervision:topic_act": "POST only", "supervision:problem_act": "POST only",
    "supervision:figures_xlsx": "Excel", "supervision:topic_pdf": "PDF",
    "supervision:supervisor_act": "POST only", "supervision:plan_xlsx": "Excel",
    "supervision:plan_import": "POST only",
    "ledgers:letter": "PDF",
    "ledgers:progress_xlsx": "POST: queues an export, redirects to its page",
    "ledgers:progress_pdf": "POST: queues an export, redirects to its page",
    "ledgers:departments_xlsx": "Excel", "ledgers:departments_pdf": "PDF",
    "healthz": "plain text for the proxy", "readyz": "JSON for monitoring",
    "metrics": "plain text for Prometheus",
    "logout": "POST only, redirects", "logout_everywhere": "POST only, redirects",
    "set_language": "POST only, redirects",
    "inbox_read_all": "POST only, redirects", "notification": "redirects to its link",
    "people_export": "POST: queues an export, redirects to its page",
    "roster_template": "Excel", "proposals:export": "POST: queues an export, redirects",
    "opinions:export": "POST: queues an export, redirects", "export_download": "Excel",
    "opinions:bulletin_xlsx": "Excel",
    "activities:plan_xlsx": "Excel", "activities:attendance_xlsx": "Excel",
    "audit_export": "POST: queues an export, redirects to its page",
    "proposals:pdf": "PDF", "proposals:reply_pdf": "PDF", "opinions:issue_pdf": "PDF",
    "opinions:bulletin_pdf": "PDF", "attachment": "the uploaded file itself",
    "roster_confirm": "POST only, redirects", "proposals:act": "POST; its page is detail",
    "proposals:proposer_contact": "POST; renders proposals:detail, checked there",
    "opinions:act": "POST; its page is detail", "opinions:combine": "POST only, redirects",
    "opinions:publish": "POST only, redirects", "activities:act": "POST; its page is detail",
    "activities:staff_act": "POST; its page is detail",
    "activities:join": "redirects to the online meeting",
    "activities:screen_live": "a fragment of activities:screen, checked within it",
}


def test_every_html_page_is_checked():
    assert set(CHECKED) | set(EXEMPT) == set(PAGES)
    assert not set(CHECKED) & set(EXEMPT)


def _axe(page) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):  # the walk's pages load it at start
        page.add_script_tag(path=str(AXE))
    # Violations only: axe then skips gathering what passed (15 % of the walk's time).
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                           " resultTypes: ['violations']})", TAGS)
    return [f"{v['id']} ({v['impact']}): {n['target']} — {_why(n)}"
            for v in result["violations"] for n in v["nodes"]]


def _page_with_axe(browser, width: int, height: int):  # noqa: F811
    """A page whose every load brings axe along: the browser keeps the script compiled
    (adding it to each page after it loaded took 0.1–0.25 s a visit). bypass_csp: axe is
    a script of its own; the pages' own CSP is tested elsewhere."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  locale="zh-CN", bypass_csp=True)
    context.add_init_script(path=str(AXE))
    return context.new_page()


def _content(page) -> str | None:
    """What <main> holds, without the per-request CSRF token: two roles often see the same
    content in a page (a reader and an auditor, say), and axe's answer for it is the same —
    a role's own menu and layout are checked on its first page. Half the wide walk's 435
    visits repeat content, and axe is four fifths of a visit's time."""
    if not page.locator("main").count():
        return None
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "",
                  page.locator("main").first.inner_html())


def _why(node: dict) -> str:
    data = next((c.get("data") for c in node.get("any", []) if c.get("data")), None)
    if isinstance(data, dict) and "fgColor" in data:  # contrast: say which colours
        return f"{data['fgColor']} on {data['bgColor']} = {data['contrastRatio']}:1"
    return node["failureSummary"].replace("\n", " ")[:200]


def _visits(objects: Objects, every_role: bool = True) -> list[tuple[str | None, str]]:
    """Each page as the role the list names, and (`every_role`) as every other role the
    authorization matrix lets in: another role may see other parts of the same page. The
    narrow width takes each page once, as its own role — what differs between roles is
    content, checked at the wide width; what a phone adds is reflow and the menu — which
    keeps the whole walk near ten minutes instead of twenty."""
    visits = [(who, url(objects)) for who, url in [*CHECKED.values(), *EXTRA]]
    if not every_role:
        return list(dict.fromkeys([*visits, *((who, "/") for who in PEOPLE)]))
    for name in CHECKED:
        for case in PAGES[name]:
            if case.method == "get":
                visits += [(who, case.url(objects)) for who in sorted(case.allowed)]
    return list(dict.fromkeys(visits))  # once each, in order


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_breaks_wcag_aa(browser, live_server, world, width):  # noqa: F811
    objects = build(world)
    found: list[str] = []
    contexts: dict[str | None, object] = {}
    menus_seen: set[str | None] = set()
    menus_checked: set[str | None] = set()  # roles whose layout (their menu) axe has seen
    checked: set[str] = set()  # the contents of <main> axe has checked, in any role
    for who, url in _visits(objects, every_role=width >= 992):
        if who not in contexts:
            contexts[who] = _page_with_axe(browser, width, 900)
            if who:
                log_in(contexts[who], live_server.url, who)
        page = contexts[who]
        page.goto(f"{live_server.url}{url}")
        main = _content(page)
        if main is not None and main in checked and who in menus_checked:
            continue  # the same content another role's visit checked, in a layout checked
        checked.add(main)
        menus_checked.add(who)
        found += [f"{width}px {who} {url}: {v}" for v in _axe(page)]
        toggler = page.locator(".navbar-toggler")
        # The menu is the same on every page of a role: open it once per role.
        if width < 992 and who not in menus_seen and toggler.count() and toggler.is_visible():
            menus_seen.add(who)
            toggler.click()
            page.wait_for_timeout(400)
            found += [f"{width}px {who} {url} (menu open): {v}" for v in _axe(page)]
    assert not found, f"{len(found)} violations:\n" + "\n".join(found)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_refused_forms_announce_their_errors(browser, live_server, world):  # noqa: F811
    """Refused: the login, a password change, a new proposal with a title too long. Each
    is checked by axe, its errors are tied to their fields, and the summary has focus."""
    base = live_server.url
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                               bypass_csp=True).new_page()
    page.goto(f"{base}/login/")
    page.click("button[type=submit]")
    found = _axe(page)
    assert page.locator("#id_login").get_attribute("aria-describedby") == "id_login_error"
    assert page.locator("#id_login_error").count() == 1
    log_in(page, base, "lin")
    page.goto(f"{base}/password/")
    page.fill("#id_old_password", "wrong")
    page.fill("#id_new_password1", "abc")
    page.fill("#id_new_password2", "abd")
    page.click("main button[type=submit]")
    found += _axe(page)
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    page.goto(f"{base}/proposals/new/")
    page.fill("#id_title", "长" * 300)
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state()
    found += _axe(page)
    for described in page.eval_on_selector_all(
            "[aria-describedby]", "els => els.map(e => e.getAttribute('aria-describedby'))"):
        for ref in described.split():
            assert page.locator(f"#{ref}").count() == 1, ref
    page.goto(f"{base}/opinions/new/")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_load_state()
    found += _axe(page)
    # A unit's reply refused for a missing commitment: both faults marked, axe clean.
    handling = _in_the_units_hands(world)
    unit = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                               bypass_csp=True).new_page()
    log_in(unit, base, "ma")
    unit.goto(f"{base}/proposals/{handling.pk}/")
    form = unit.locator("form", has=unit.get_by_role("button", name="提交答复"))
    form.get_by_label("答复类别").select_option("B")
    form.get_by_role("button", name="提交答复").click()
    unit.wait_for_load_state()
    assert unit.locator("[aria-invalid=true]").count() == 2
    found += [f"reply: {v}" for v in _axe(unit)]
    # Escape closes the phone menu and the focus goes back to its button.
    page.locator(".navbar-toggler").click()
    page.wait_for_timeout(400)
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    assert not page.locator(".navbar-collapse").is_visible()
    assert page.evaluate("document.activeElement.classList.contains('navbar-toggler')")
    # The first Tab reaches the skip link, which leads to the content.
    page.goto(f"{base}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    # The focus ring: 3 px, dark blue on the light page (10:1), white on the red header.
    ring = "() => { const s = getComputedStyle(document.activeElement);" \
           " return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    assert page.evaluate(ring) == ["solid", "3px", "rgb(29, 63, 143)"]
    _tab_to(page, ".navbar-toggler")
    assert page.evaluate(ring) == ["solid", "3px", "rgb(255, 255, 255)"]
    assert not found, "\n".join(found)


def _in_the_units_hands(world):
    """A proposal assigned to ma's unit, the proposer already contacted: it may reply."""
    from lvzhi.proposals.tests.conftest import DRAFT
    from lvzhi.proposals.workflow import perform, save_draft
    p = perform(save_draft(world.lin.memberships.get(), world.lin, dict(DRAFT)), "submit",
                world.lin)
    p = perform(perform(p, "file", world.zhou), "assign", world.zhou, handling="single",
                units=[world.city.unit.pk])
    return perform(p, "record_contact", world.ma, way="phone", date="2022-03-01",
                   summary="电话沟通。")


def _tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until `selector` has the focus (the keyboard's way there)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_proposal_written_and_assigned_with_the_keyboard_alone(
        browser, live_server, world):  # noqa: F811
    from lvzhi.proposals.models import Proposal
    base = live_server.url
    page = browser.new_context(viewport={"width": 390, "height": 844},
                               locale="zh-CN").new_page()
    log_in(page, base, "lin")
    page.goto(f"{base}/proposals/new/")
    _tab_to(page, "#id_title")
    page.keyboard.type("关于完善公交站台无障碍设施的建议")
    _tab_to(page, "#id_category")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "#id_situation")
    page.keyboard.type("部分公交站台缺少盲道和坡道。")
    _tab_to(page, "#id_suggestions")
    page.keyboard.type("结合道路改造同步建设无障碍设施。")
    _tab_to(page, "button[name=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=已提交，等待审查")
    p = Proposal.objects.get()
    assert p.state == Proposal.State.SUBMITTED

    office = browser.new_context(viewport={"width": 1366, "height": 900},
                                 locale="zh-CN").new_page()
    log_in(office, base, "zhou")
    office.goto(f"{base}/proposals/{p.pk}/")
    _tab_to(office, "form[action$='/act/file/'] button")
    office.keyboard.press("Enter")
    office.wait_for_selector("text=已完成：立案")
    _tab_to(office, "#assign-units")
    office.keyboard.press("ArrowDown")  # the first unit
    _tab_to(office, "form[action$='/act/assign/'] button")
    office.keyboard.press("Enter")
    office.wait_for_selector("text=已完成：交办")
    assert Proposal.objects.get().state == Proposal.State.HANDLING


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_check_in_with_the_keyboard_alone(browser, live_server, world):  # noqa: F811
    import datetime

    from django.utils import timezone

    from lvzhi.activities import services
    from lvzhi.activities import workflow as activities
    from lvzhi.activities.models import Activity
    from lvzhi.activities.tests.conftest import make_activity
    a = make_activity(world)
    activities.send_notice(world.zhou, a)
    start = timezone.now() - datetime.timedelta(minutes=3)
    Activity.objects.filter(pk=a.pk).update(starts_at=start,
                                            ends_at=start + datetime.timedelta(hours=2))
    a.refresh_from_db()
    page = browser.new_context(viewport={"width": 390, "height": 844},
                               locale="zh-CN").new_page()
    log_in(page, live_server.url, "lin")
    page.goto(f"{live_server.url}/activities/{a.pk}/")
    _tab_to(page, "input[name=code]")
    page.keyboard.type(services.short_code(a))
    page.keyboard.press("Enter")
    page.wait_for_selector("text=签到成功")
    assert a.invitations.get(member__user=world.lin).checked_in_at is not None


MEMBER_PAGES = ["/", "/proposals/", "/proposals/new/", "/opinions/", "/opinions/new/",
                "/activities/", "/inbox/", "/profile/"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_pages_at_320_px_and_with_text_at_200_percent(
        browser, live_server, world):  # noqa: F811
    """WCAG 1.4.10 reflow at 320 px, and 1.4.4 text enlarged to 200 % on a phone: nothing
    scrolls sideways and no text is cut off by a fixed height."""
    objects = build(world)
    pages = [*MEMBER_PAGES, f"/proposals/{objects.own.pk}/",
             f"/activities/{objects.activity.pk}/"]
    problems = []
    for width, zoom in ((320, "100%"), (390, "200%")):
        page = browser.new_context(viewport={"width": width, "height": 700},
                                   locale="zh-CN").new_page()
        log_in(page, live_server.url, "lin")
        for path in pages:
            page.goto(f"{live_server.url}{path}")
            page.evaluate("z => { document.documentElement.style.fontSize = z; }", zoom)
            page.wait_for_timeout(100)
            wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            cut = page.evaluate("""() => [...document.querySelectorAll('main *')].filter(e => {
                const s = getComputedStyle(e);
                return (s.overflowY === 'hidden' || s.overflow === 'hidden')
                    && e.scrollHeight > e.clientHeight + 2 && e.innerText.trim();
            }).map(e => e.tagName + '.' + e.className).slice(0, 3)""")
            if wide > 0 or cut:
                problems.append(f"{width}px {zoom} {path}: {wide}px sideways {cut}")
    assert not problems, "\n".join(problems)


SUBMIT_JS = """([url, data]) => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = url;
    const token = document.cookie.split('; ').find(c => c.startsWith('csrftoken='));
    const fields = {...data, csrfmiddlewaretoken: token ? token.split('=')[1] : ''};
    for (const [name, value] of Object.entries(fields)) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_refused_actions_leave_an_accessible_page(browser, live_server, world):  # noqa: F811
    """Every action in the authorization matrix, posted by a role that may take it with
    input it refuses: the page that comes back (the form refilled, its field marked, the
    message shown) passes axe too."""
    objects = build(world)
    found, pages = [], {}
    for name in ("proposals:act", "opinions:act", "activities:act", "activities:staff_act"):
        for case in PAGES[name]:
            for who in sorted(case.allowed):
                if who not in pages:  # each person signs in once: a refusal changes nothing
                    pages[who] = _page_with_axe(browser, 390, 844)
                    log_in(pages[who], live_server.url, who)
                page, url = pages[who], case.url(objects)
                page.goto(f"{live_server.url}/")  # shows (and so clears) any message left
                with page.expect_navigation():
                    page.evaluate(SUBMIT_JS, [url, case.data or {}])
                if not page.locator("[role=alert]").count():  # it was refused, and says so
                    found.append(f"{who} {url}: no refusal shown")
                found += [f"{who} {url}: {v}" for v in _axe(page)]
    assert not found, "\n".join(found)
