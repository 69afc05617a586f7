"""WCAG 2.1 AA (GB/T 37668) with axe-core in the real Chromium: every page of every role,
on a phone and a desktop, with the phone menu open, and forms in their refused state.

axe-core comes from npm (frontend/node_modules, a development dependency; never served).
The list of pages is kept complete by `test_every_html_page_is_checked`: each named URL
pattern that renders HTML is here, or exempt with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvzhi.core.tests.matrix_world import Objects, build
from lvzhi.core.tests.test_authorization_matrix import PAGES
from lvzhi.core.tests.test_browser import browser, log_in  # noqa: F401

AXE = Path(__file__).resolve().parents[3] / "frontend" / "node_modules" / "axe-core" / \
    "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (390, 1366)

# (who, URL) for every page that renders HTML; objects come from matrix_world.build.
CHECKED = {
    "home": ("lin", lambda o: "/"),
    "login": (None, lambda o: "/login/"),
    "password_change": ("lin", lambda o: "/password/"),
    "profile": ("lin", lambda o: "/profile/"),
    "inbox": ("lin", lambda o: "/inbox/"),
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
}
EXTRA = [  # more states of the same pages: other roles' views, a member's detail page
    ("lin", lambda o: f"/proposals/{o.own.pk}/"),
    ("ma", lambda o: f"/proposals/{o.own.pk}/"),
    ("lin", lambda o: f"/activities/{o.activity.pk}/"),
    ("lin", lambda o: f"/opinions/{o.report.pk}/"),
]
EXEMPT = {
    "healthz": "plain text for the proxy", "readyz": "JSON for monitoring",
    "logout": "POST only, redirects", "set_language": "POST only, redirects",
    "inbox_read_all": "POST only, redirects", "notification": "redirects to its link",
    "people_export": "Excel", "roster_template": "Excel", "proposals:export": "Excel",
    "opinions:export": "Excel", "opinions:bulletin_xlsx": "Excel",
    "activities:plan_xlsx": "Excel", "activities:attendance_xlsx": "Excel",
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
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           TAGS)
    return [f"{v['id']} ({v['impact']}): {n['target']} — {_why(n)}"
            for v in result["violations"] for n in v["nodes"]]


def _why(node: dict) -> str:
    data = next((c.get("data") for c in node.get("any", []) if c.get("data")), None)
    if isinstance(data, dict) and "fgColor" in data:  # contrast: say which colours
        return f"{data['fgColor']} on {data['bgColor']} = {data['contrastRatio']}:1"
    return node["failureSummary"].replace("\n", " ")[:200]


def _visits(objects: Objects) -> list[tuple[str | None, str]]:
    return [(who, url(objects)) for who, url in [*CHECKED.values(), *EXTRA]]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_breaks_wcag_aa(browser, live_server, world, width):  # noqa: F811
    objects = build(world)
    found: list[str] = []
    contexts: dict[str | None, object] = {}
    for who, url in _visits(objects):
        if who not in contexts:
            # bypass_csp: axe is injected as a script; the pages' own CSP is tested elsewhere
            contexts[who] = browser.new_context(viewport={"width": width, "height": 900},
                                                locale="zh-CN", bypass_csp=True).new_page()
            if who:
                log_in(contexts[who], live_server.url, who)
        page = contexts[who]
        page.goto(f"{live_server.url}{url}")
        found += [f"{width}px {who} {url}: {v}" for v in _axe(page)]
        toggler = page.locator(".navbar-toggler")
        if width < 992 and toggler.count() and toggler.is_visible():
            toggler.click()
            page.wait_for_timeout(400)
            found += [f"{width}px {who} {url} (menu open): {v}" for v in _axe(page)]
    assert not found, f"{len(found)} violations:\n" + "\n".join(found)
