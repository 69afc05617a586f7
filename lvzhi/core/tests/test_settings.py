"""Typed settings helpers refuse malformed values."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from lvzhi.env import env_bool, env_int, env_list, env_str


def test_env_bool_reads_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.delenv("X_FLAG")
    assert env_bool("X_FLAG", True) is True


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")


def test_env_int_refuses_text_and_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("X_NUM", "abc")
    with pytest.raises(ImproperlyConfigured, match="integer"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("X_NUM", 5, minimum=1)
    monkeypatch.setenv("X_NUM", "7")
    assert env_int("X_NUM", 5, minimum=1) == 7


def test_env_list_and_str(monkeypatch):
    monkeypatch.setenv("X_LIST", " a, b ,,c ")
    assert env_list("X_LIST") == ["a", "b", "c"]
    assert env_str("X_MISSING", "d") == "d"


def test_settings_are_chinese_first_in_shanghai(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    # Only languages whose catalogue is complete are offered: Chinese, for now.
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans"]
    assert "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE


def test_every_variable_read_is_listed_in_env_example():
    root = Path(__file__).resolve().parents[3]
    read = set()
    for source in ("lvzhi/settings.py", "lvzhi/gunicorn.conf.py"):
        text = (root / source).read_text()
        read |= set(re.findall(r'env_\w+\("([A-Z_]+)"', text))
        read |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', text))
    listed = set(re.findall(r"^([A-Z_]+)=", (root / ".env.example").read_text(), re.M))
    assert read, "no variables found: the pattern is stale"
    assert read - listed == set()


def _deploy_check(env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in (
        "DEBUG", "ALLOWED_HOSTS", "SECURE_COOKIES", "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS", "LVZHI_DEMO", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return subprocess.run([sys.executable, "-m", "lvzhi", "check", "--deploy",
                           "--fail-level", "WARNING"],
                          env={**base, **env}, capture_output=True, text=True, check=False)


def test_production_settings_pass_djangos_deployment_check(tmp_path):
    run = _deploy_check({"SECRET_KEY": secrets.token_urlsafe(50),
                         "ALLOWED_HOSTS": "lvzhi.example.gov.cn",
                         "LVZHI_VAR_DIR": str(tmp_path)})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


def test_the_deployment_check_would_catch_plain_http(tmp_path):
    run = _deploy_check({"SECRET_KEY": secrets.token_urlsafe(50),
                         "ALLOWED_HOSTS": "lvzhi.example.gov.cn", "SECURE_COOKIES": "false",
                         "SECURE_SSL_REDIRECT": "false", "LVZHI_VAR_DIR": str(tmp_path)})
    assert run.returncode != 0
    assert "SESSION_COOKIE_SECURE" in run.stdout + run.stderr


def test_postgresql_turns_jit_off_beside_the_urls_own_options():
    # A page's query the planner thinks costly paid 40–50 ms of JIT compiling at scale.
    code = ("from django.conf import settings; "
            "print(settings.DATABASES['default']['OPTIONS']['options'])")
    for url, expected in (
            ("postgresql://u@h/db", "-c jit=off"),
            ("postgresql://u@h/db?options=-c%20statement_timeout%3D5000",
             "-c statement_timeout=5000 -c jit=off")):
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "t",
               "DJANGO_SETTINGS_MODULE": "lvzhi.settings"}
        shown = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"],
                               env=env, capture_output=True, text=True, check=True)
        assert shown.stdout.strip() == expected


def test_local_use_keeps_plain_http(settings):
    from lvzhi import settings as project
    assert project.PUBLIC is False  # 127.0.0.1 and localhost only
    assert project.SECURE_SSL_REDIRECT is False and project.SESSION_COOKIE_SECURE is False


@pytest.mark.django_db
def test_every_page_carries_a_csp_without_inline_scripts(client):
    response = client.get("/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))


def test_make_writes_the_secret_key_readable_by_its_owner_only():
    makefile = (Path(__file__).resolve().parents[3] / "Makefile").read_text()
    assert "umask 077" in makefile and "chmod 600 var/secret_key" in makefile


def test_each_instance_has_its_own_gunicorn_control_socket(tmp_path, monkeypatch):
    import runpy
    monkeypatch.setenv("LVZHI_VAR_DIR", str(tmp_path))
    conf = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert conf["control_socket"] == str(tmp_path / "gunicorn.ctl")


def test_make_run_says_what_it_is_doing_and_packaging_is_warning_free():
    root = Path(__file__).resolve().parents[3]
    makefile = (root / "Makefile").read_text()
    for step in ("1/4 建立或升级数据库", "2/4 准备页面所需的静态文件", "3/4 载入演示数据"):
        assert step in makefile
    pyproject = (root / "pyproject.toml").read_text()
    assert 'license = "AGPL-3.0-or-later"' in pyproject  # SPDX: no setuptools warning


def test_every_offered_language_is_translated_completely(settings):
    """A language beyond Chinese (the source) is offered only with a complete catalogue:
    no empty msgstr. English's is partial, so it is not offered (LANGUAGES)."""
    locale = Path(__file__).resolve().parents[2] / "locale"
    for code, _label in settings.LANGUAGES:
        if code == "zh-hans":
            continue
        po = (locale / code / "LC_MESSAGES" / "django.po").read_text()
        empty = re.findall(r'msgid "(.+)"\nmsgstr ""\n\n', po)
        assert not empty, f"{code}: {len(empty)} untranslated, e.g. {empty[:3]}"


# Template text outside {% translate %}/{% blocktranslate %}: tags, variables and comments
# are cut out first, so what is left is what the page prints as written.
_TEMPLATE_CODE = [re.compile(p, re.S) for p in (
    r"\{%\s*blocktranslate.*?\{%\s*endblocktranslate\s*%\}", r"\{#.*?#\}",
    r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", r"\{\{.*?\}\}", r"\{%.*?%\}")]


def test_every_chinese_word_in_a_template_goes_through_translation():
    root = Path(__file__).resolve().parents[2]
    literals = {}
    for template in [*root.rglob("templates/**/*.html"), *root.rglob("jinja2/**/*.html")]:
        text = template.read_text()
        for code in _TEMPLATE_CODE:
            text = code.sub("", text)
        if words := re.findall(r"[\u4e00-\u9fff]+", text):
            literals[str(template.relative_to(root))] = words[:3]
    assert not literals, literals


_TRANSLATE = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext"}
# Modules whose Chinese is data, not what the platform says: the demo's people and texts,
# the segmenter's dictionaries, defaults a body's staff edit and keep as their own, the
# API's descriptions (the OpenAPI document, for the developers of phone apps).
_DATA_MODULES = re.compile(r"(^|/)(demo\w*|segment|keywords|schemes|appraisal|api|settings)\.py$"
                           r"|^api/"
                           # import formats: a spreadsheet's column names are read back as
                           # written, and Chinese bodies fill them in Chinese
                           r"|^(core/roster|ledgers/breakdown|activities/plans|supervision/plans)")
# A statement whose first line says `# not translated: <why>` is left as written (a file
# format's column names, read back by the import; a pattern; stored option lists).
_NOT_TRANSLATED = "# not translated:"


def _untranslated_chinese(source: str) -> list[int]:
    """Lines of string literals (f-strings too) with Chinese outside a translation call;
    docstrings set aside."""
    import ast

    tree = ast.parse(source)
    lines = source.splitlines()
    parent = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def translated(node: ast.AST) -> bool:
        while node in parent:
            node = parent[node]
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in _TRANSLATE:
                return True
            if isinstance(node, ast.stmt):
                return _NOT_TRANSLATED in lines[node.lineno - 1]
        return False

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and not isinstance(parent.get(node), ast.Expr | ast.JoinedStr):
            text = node.value
        else:
            continue
        if re.search(r"[\u4e00-\u9fff]", text) and not translated(node):
            found.append(node.lineno)
    return found


def test_every_chinese_word_the_code_says_goes_through_translation():
    """Messages, column names, sheet and file names, what `lvzhi init` or `backup` print:
    translated like the pages. Tests, migrations and the data modules aside."""
    root = Path(__file__).resolve().parents[2]
    found = {}
    for path in sorted(root.rglob("*.py")):
        name = str(path.relative_to(root))
        if "/tests/" in name or "/migrations/" in name or name.endswith("conftest.py") \
                or _DATA_MODULES.search(name):
            continue
        if lines := _untranslated_chinese(path.read_text()):
            found[name] = lines
    assert not found, found
    sample = 'print(f"已发送 {n} 条")\nprint(_("已发送"))\nX = ["是"]  # not translated: a key\n'
    assert _untranslated_chinese(sample) == [1]


def test_every_command_of_ours_explains_itself_in_chinese():
    from django.core.management import get_commands, load_command_class

    ours = {name: app for name, app in get_commands().items() if app.startswith("lvzhi.")}
    assert {"init", "backup", "reindex", "periodic"} <= set(ours)
    for name, app in ours.items():
        text = load_command_class(app, name).create_parser("lvzhi", name).format_help()
        assert re.search(r"[\u4e00-\u9fff]", text), name
