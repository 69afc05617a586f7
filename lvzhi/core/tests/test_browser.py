"""A real Chromium (Debian's package) driven by Playwright: a member on a phone, staff on a
desktop. Screenshots land in test-output/screenshots/ for a person to look at."""

import os
from pathlib import Path

import pytest

from lvzhi.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[3] / "test-output" / "screenshots"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip("Chromium is not installed (make browser-deps)")
    # Playwright's sync API runs an event loop in this thread; the live server's database
    # work happens in its own thread, and the test's own ORM calls are plain sync code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ])
        yield browser
        browser.close()


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if "/login/verify/" in page.url or "/account/2fa/" in page.url:
        second_factor(page, username)
    page.wait_for_url(f"{base}/")


def second_factor(page, username: str) -> None:
    """An administrator's second step, as their phone app would answer it: enrol on the
    first sign-in, the app's code afterwards."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    enrolling = "/account/2fa/" in page.url
    device = TOTPDevice.objects.filter(user__username=username).order_by("-id").first()
    # A code may serve once per 30 s; a test signing in again within that window would wait.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    page.fill("#id_token", f"{totp(device.bin_key, device.step, device.t0):06d}")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if enrolling:
        page.get_by_role("link", name="我已保存，继续").click()


def no_sideways_scroll(page) -> bool:
    page.wait_for_load_state()  # a click may still be navigating
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_member_on_a_phone(browser, live_server, world):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    assert page.locator("h1").inner_text() == "政协履职平台"
    page.screenshot(path=SHOTS / "member-phone-login.png")
    log_in(page, live_server.url, "13900001001")  # by mobile number
    assert "林晓岚，您好" in page.locator("h1").inner_text()
    assert page.locator(".navbar-toggler").is_visible()  # collapsed menu on a phone
    assert no_sideways_scroll(page)
    page.screenshot(path=SHOTS / "member-phone-home.png", full_page=True)

    page.click(".navbar-toggler")
    page.locator("#lz-nav").get_by_role("link", name="委员名录").click()
    page.wait_for_url("**/people/")
    assert page.locator(".lz-person-card").count() == 3
    assert no_sideways_scroll(page)
    page.screenshot(path=SHOTS / "member-phone-people.png", full_page=True)

    page.goto(f"{live_server.url}/profile/")
    assert page.get_by_text("民盟").first.is_visible()
    assert no_sideways_scroll(page)
    page.screenshot(path=SHOTS / "member-phone-profile.png", full_page=True)
    for path in ("/inbox/", "/proposals/", "/proposals/new/", "/opinions/", "/opinions/new/",
                 "/activities/"):
        page.goto(f"{live_server.url}{path}")
        assert no_sideways_scroll(page), path
    context.close()


def test_staff_on_a_desktop(browser, live_server, world):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server.url, "yuan")
    page.get_by_role("link", name="委员名录").first.click()
    page.wait_for_url("**/people/")
    rows = page.locator("table tbody tr")
    assert rows.count() == 5  # the city's three and one in each district it oversees
    page.select_option("select[name=position]", "vice_chair")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**position=vice_chair**")
    assert page.locator("table tbody tr").count() == 1
    page.screenshot(path=SHOTS / "staff-desktop-people.png", full_page=True)

    page.goto(f"{live_server.url}/people/import/")
    assert page.get_by_role("button", name="上传并检查").is_visible()
    page.screenshot(path=SHOTS / "staff-desktop-roster-import.png", full_page=True)
    context.close()


def test_wrong_password_shows_the_message(browser, live_server, world):
    page = browser.new_page(locale="zh-CN")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_login", "lin")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert "用户名（手机号）或密码不正确" in page.locator(".alert-danger").inner_text()
    page.close()


def test_an_english_browser_still_gets_chinese_pages(browser, live_server, world):
    page = browser.new_page(locale="en-US", extra_http_headers={"Accept-Language": "en-US"})
    page.goto(f"{live_server.url}/login/")
    assert page.locator("h1").inner_text() == "政协履职平台"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.close()


def test_no_page_breaks_the_content_security_policy(browser, live_server, world):
    """The CSP forbids inline script and style: walk pages of every kind (ours, the admin,
    the API docs) and fail on any violation the browser reports."""
    violations: list[str] = []
    for who, paths in (("lin", ["/", "/proposals/", "/proposals/new/", "/opinions/new/",
                                "/activities/", "/profile/", "/inbox/"]),
                       ("zhou", ["/proposals/office/", "/opinions/office/",
                                 "/activities/manage/", "/people/", "/api/docs"]),
                       ("zheng", ["/admin/", "/admin/core/user/", "/admin/core/role/add/"])):
        context = browser.new_context()
        page = context.new_page()
        page.on("console", lambda m, p=page: violations.append(f"{p.url}: {m.text}")
                if "Content Security Policy" in m.text else None)
        log_in(page, live_server.url, who)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
        context.close()
    assert not violations, "\n".join(violations)


def test_office_lists_are_cards_on_a_phone(browser, live_server, world):
    """A leader on a phone: 案由 and titles get the screen's width, not one character."""
    from lvzhi.activities import workflow as activities
    from lvzhi.activities.tests.conftest import make_activity
    from lvzhi.core.tests.matrix_world import build
    build(world)
    activities.send_notice(world.zhou, make_activity(world))
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                               is_mobile=True, has_touch=True).new_page()
    log_in(page, live_server.url, "zhou")
    for path, name in (("/proposals/office/", "proposals"), ("/opinions/office/", "opinions"),
                       ("/activities/manage/", "activities")):
        page.goto(f"{live_server.url}{path}")
        title = page.locator("td.lz-card-title").first
        assert title.bounding_box()["width"] > 300, path
        assert no_sideways_scroll(page), path
        page.screenshot(path=SHOTS / f"office-cards-{name}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_imported_member_gets_in_on_a_phone_by_sms(browser, live_server, world):
    """From the login page, on a 390 px phone: a code by SMS, a refused first try with
    every fault marked, then the password set and the member on the home page."""
    import re

    from django.contrib.auth.hashers import make_password

    from lvzhi.core import sms

    world.lin.password = make_password(None)  # as the roster import leaves it
    world.lin.save()
    base = live_server.url
    page = browser.new_context(viewport={"width": 390, "height": 844},
                               locale="zh-CN").new_page()
    page.goto(f"{base}/login/")
    page.get_by_role("link", name="首次登录或忘记密码？用手机验证码设置密码").click()
    page.get_by_label("手机号").fill("13900001001")
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_url(re.compile(r"/password/set/"))
    assert "如该手机号已登记，验证码已发送" in page.content()
    assert page.get_by_label("手机号").input_value() == "13900001001"
    code = re.search(r"验证码是 (\d{6})", sms.outbox[-1][1]).group(1)
    page.get_by_label("验证码").fill(code)
    page.get_by_label("新密码", exact=True).fill("abc")
    page.get_by_label("再次输入新密码").fill("abd")
    page.get_by_role("button", name="设置密码并登录").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() == 1  # the second password
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.get_by_label("验证码").input_value() == code  # kept as typed
    assert no_sideways_scroll(page)
    page.get_by_label("新密码", exact=True).fill("Xin-Mima-2026")
    page.get_by_label("再次输入新密码").fill("Xin-Mima-2026")
    page.get_by_role("button", name="设置密码并登录").click()
    page.wait_for_url(f"{base}/")
    assert "密码已设置，欢迎使用履职平台。" in page.content()


def test_a_member_activates_from_a_printed_letter_on_a_phone(browser, live_server, world):
    """Staff print the letters on a desktop; the member reads the code off the PDF and
    activates on a 390 px phone at the letter's address."""
    import re
    import subprocess

    from django.contrib.auth.hashers import make_password

    world.lin.password = make_password(None)  # as the roster import leaves it
    world.lin.save()
    base = live_server.url
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    office = desk.new_page()
    log_in(office, base, "zhou")
    office.goto(f"{base}/people/activation/")
    office.get_by_role("checkbox", name=re.compile("林晓岚")).check()
    office.on("dialog", lambda dialog: dialog.accept())  # the reissue warning
    with office.expect_download() as download:
        office.get_by_role("button", name="打印激活通知书（PDF）").click()
    text = subprocess.run(["pdftotext", "-layout", download.value.path(), "-"],
                          capture_output=True, check=True).stdout.decode()
    address = re.search(r"激活网址：(\S+)", text).group(1)
    code = re.search(r"激活码：([\d ]+)", text).group(1).strip()
    desk.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                is_mobile=True, has_touch=True).new_page()
    phone.goto(address)
    assert phone.locator("h1").inner_text() == "账号激活"
    assert no_sideways_scroll(phone)
    phone.get_by_label("手机号").fill("13900001001")
    phone.get_by_label("激活码").fill(code)  # as printed, with its space
    phone.get_by_label("新密码", exact=True).fill("Xin-Mima-2026")
    phone.get_by_label("再次输入新密码").fill("Xin-Mima-2026")
    phone.screenshot(path=SHOTS / "member-phone-activate.png", full_page=True)
    phone.get_by_role("button", name="设置密码并登录").click()
    phone.wait_for_url(f"{base}/")
    assert "林晓岚，您好" in phone.locator("h1").inner_text()
