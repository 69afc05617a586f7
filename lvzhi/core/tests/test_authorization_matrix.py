"""Every page and every API operation, for every role, against objects of every kind.

The pages come from the URL conf and the operations from the OpenAPI schema: a new page or
operation without a row here fails `test_every_page_and_operation_has_a_row`. Each row
names who is let in; everyone else must be refused (403/404, or sent to log in), and a
refused POST changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver

from lvzhi.api.site import api
from lvzhi.conftest import sign_in
from lvzhi.core.models import Event
from lvzhi.core.tests.matrix_world import PDF, Objects, build

pytestmark = pytest.mark.django_db

PEOPLE = ("lin", "gao", "qin", "zhou", "ma", "zheng", "yuan", "pan", "dong", "han", "wu",
          "shen", "shi", "nobody")
EVERYONE = frozenset(PEOPLE)
NONE: frozenset[str] = frozenset()
CITY_READERS = frozenset({"qin", "zhou", "yuan"})  # city leader and staff (yuan oversees)
CITY_STAFF = frozenset({"zhou", "yuan"})
MEMBERS = frozenset({"lin", "gao", "qin", "dong", "wu"})
REPORTERS = MEMBERS | {"han"}
OFFICES = CITY_READERS | {"pan"}
CITY_PEOPLE = frozenset({"lin", "gao", "qin", "zhou", "ma", "zheng", "yuan", "shen", "shi"})
INVITED = frozenset({"lin", "gao", "qin"})  # to the city's activity


@dataclass(frozen=True)
class Case:
    method: str
    url: Callable[[Objects], str]
    allowed: frozenset[str]
    data: dict | None = None
    upload: bool = False  # a multipart request with a small PDF as `file`


def get(url: Callable[[Objects], str] | str, allowed, **kw) -> Case:
    return Case("get", url if callable(url) else (lambda o, u=url: u), frozenset(allowed), **kw)


def post(url: Callable[[Objects], str] | str, allowed, **kw) -> Case:
    return Case("post", url if callable(url) else (lambda o, u=url: u), frozenset(allowed),
                **kw)


P = "/proposals"
OP = "/opinions"
A = "/activities"

PAGES: dict[str, list[Case]] = {
    "healthz": [get("/healthz", EVERYONE)],
    "readyz": [get("/readyz", EVERYONE)],
    "home": [get("/", EVERYONE)],
    "login": [get("/login/", EVERYONE)],
    "logout": [post("/logout/", EVERYONE)],
    "logout_everywhere": [post("/logout/everywhere/", EVERYONE)],
    "password_code": [get("/password/code/", EVERYONE)],
    "password_set": [get("/password/set/", EVERYONE)],
    "activate": [get("/activate/", EVERYONE)],
    "set_language": [post("/i18n/setlang/", EVERYONE, data={"language": "zh-hans"})],
    "password_change": [get("/password/", EVERYONE)],
    "login_verify": [get("/login/verify/", EVERYONE)],
    "two_factor": [get("/account/2fa/", EVERYONE)],
    "profile": [get("/profile/", EVERYONE)],
    "profile_notifications": [post("/profile/notifications/", EVERYONE,
                                   data={"sms_urgent": "on"})],
    "inbox": [get("/inbox/", EVERYONE)],
    # anyone signed in searches; what they find is theirs to see (search/tests)
    "search:results": [get("/search/?q=冰雪", EVERYONE)],
    # the writing page's similar proposals: whoever holds a seat (it names no object)
    "proposals:similar": [get("/proposals/similar/?title=冰雪经济发展", MEMBERS)],
    "inbox_read_all": [post("/inbox/read-all/", EVERYONE)],
    "notification": [get(lambda o: f"/inbox/{o.notification.pk}/", {"lin"})],
    "people": [get("/people/", {"qin", "zhou", "zheng", "yuan", "pan"} | MEMBERS)],
    "people_export": [post("/people/export.xlsx", {"qin", "zhou", "zheng", "yuan", "pan"})],
    "export": [get(lambda o: f"/exports/{o.export.pk}/", {"zhou"})],
    "metrics": [get("/metrics", NONE)],  # a bearer token, not a session (test_metrics.py)
    "export_download": [get(lambda o: f"/exports/{o.export.pk}/download/", {"zhou"})],
    "activation": [get("/people/activation/", {"zhou", "yuan", "pan", "shen"}),
                   post("/people/activation/", {"zhou", "yuan", "pan", "shen"})],
    "audit": [get("/audit/", {"shi"})],
    "audit_export": [post("/audit/export.xlsx", {"shi"})],
    "activities:bases": [get("/activities/bases/", CITY_READERS | {"pan"}),
                         post("/activities/bases/", CITY_STAFF | {"pan"})],
    "activities:base": [get(lambda o: f"/activities/bases/{o.base.pk}/", CITY_READERS)],
    # duties: the record, declarations, corrections, the office, the rules, the year close
    "duties:mine": [get("/duties/", MEMBERS)],
    "duties:declare": [get("/duties/declare/", MEMBERS)],
    "duties:own_expertise": [get("/duties/expertise/", MEMBERS)],
    "duties:declaration": [get(lambda o: f"/duties/declarations/{o.declaration.pk}/",
                               CITY_READERS | {"lin", "qin"})],
    "duties:declaration_act": [
        post(lambda o: f"/duties/declarations/{o.declaration.pk}/act/withdraw/", {"lin"}),
        post(lambda o: f"/duties/declarations/{o.declaration.pk}/act/confirm/", CITY_STAFF)],
    "duties:correction_new": [post("/duties/corrections/new/", MEMBERS,
                                   data={"year": "2026", "text": "x"})],
    "duties:correction_act": [post(lambda o: f"/duties/corrections/{o.correction.pk}/act/"
                                   "refuse/", CITY_STAFF, data={"answer": "不符合"})],
    "duties:office": [get("/duties/office/", CITY_READERS | {"pan"})],
    "duties:office_export": [post("/duties/office/export.xlsx", CITY_READERS | {"pan"})],
    "duties:office_declarations": [get("/duties/office/declarations/",
                                       CITY_READERS | {"pan"})],
    "duties:record": [get(lambda o: f"/duties/members/{o.own.proposer_id}/",
                          CITY_READERS | {"lin"})],
    "duties:record_pdf": [get(lambda o: f"/duties/members/{o.own.proposer_id}/record.pdf",
                              CITY_READERS | {"lin"})],
    "duties:rules": [get("/duties/rules/", CITY_STAFF | {"pan"})],
    "duties:amend": [post(lambda o: f"/duties/members/{o.own.proposer_id}/amend/",
                          CITY_STAFF, data={"year": "2026", "points": "1"})],
    "duties:office_recompute": [post(lambda o: f"/duties/office/recompute/?body="
                                     f"{o.own.body_id}", CITY_STAFF)],
    "duties:year": [get("/duties/year/", CITY_STAFF | {"pan"})],
    "duties:year_act": [post(lambda o: f"/duties/year/{o.year.pk}/act/publish/", CITY_STAFF)],
    "duties:districts": [get("/duties/districts/", {"yuan"})],
    "duties:experts": [get("/duties/experts/", CITY_READERS | {"pan"}),
                       post("/duties/experts/", CITY_STAFF | {"pan"})],
    "duties:expert_edit": [get(lambda o: f"/duties/experts/{o.expert.pk}/", CITY_STAFF)],
    # ledgers: the board, a task and its actions, the breakdown in and out
    "ledgers:board": [get("/ledgers/", CITY_READERS | {"pan"})],
    "ledgers:mine": [get("/ledgers/mine/", {"ma"})],
    "ledgers:task": [get(lambda o: f"/ledgers/tasks/{o.task.pk}/", CITY_READERS)],
    "ledgers:task_act": [
        post(lambda o: f"/ledgers/tasks/{o.task.pk}/act/report/", CITY_STAFF,
             data={"text": "已完成第一阶段调研。"}),
        post(lambda o: f"/ledgers/tasks/{o.task.pk}/act/urge/", CITY_STAFF),
        post(lambda o: f"/ledgers/tasks/{o.task.pk}/act/ask_deadline/", CITY_STAFF),
        post(lambda o: f"/ledgers/tasks/{o.task.pk}/act/decide_deadline/", CITY_STAFF)],
    "ledgers:import": [get("/ledgers/import/", CITY_STAFF | {"pan"})],
    "ledgers:export": [post("/ledgers/export.xlsx", CITY_READERS | {"pan"})],
    "ledgers:progress": [get("/ledgers/progress/", CITY_READERS | {"pan"})],
    "ledgers:departments": [get("/ledgers/departments/", CITY_READERS | {"pan"}),
                            post("/ledgers/departments/", CITY_STAFF | {"pan"})],
    "ledgers:departments_xlsx": [get("/ledgers/departments.xlsx", CITY_READERS | {"pan"})],
    "ledgers:departments_pdf": [get("/ledgers/departments.pdf", CITY_READERS | {"pan"})],
    "ledgers:progress_xlsx": [post("/ledgers/progress.xlsx", CITY_READERS | {"pan"})],
    "ledgers:progress_pdf": [post("/ledgers/progress.pdf", CITY_READERS | {"pan"})],
    "ledgers:assignment_new": [get("/ledgers/assignments/new/", CITY_STAFF)],
    "ledgers:matrix": [get(lambda o: f"/ledgers/assignments/{o.checklist.pk}/", CITY_READERS)],
    # democratic supervision: staff and leaders read, group members write on their topic
    "supervision:home": [get("/supervision/", MEMBERS | CITY_READERS | {"pan"}),
                         post("/supervision/", CITY_STAFF | {"pan"})],
    "supervision:report": [get("/supervision/report/", MEMBERS)],
    "supervision:figures": [get("/supervision/figures/", CITY_READERS | {"pan"})],
    "supervision:plan_xlsx": [get("/supervision/plan.xlsx", CITY_READERS | {"pan"})],
    "supervision:plan_import": [post("/supervision/plan/import/", CITY_STAFF | {"pan"})],
    "supervision:supervisors": [get("/supervision/supervisors/", CITY_READERS | {"pan", "lin",
                                                                                 "ma"}),
                                post("/supervision/supervisors/", CITY_STAFF | {"pan"})],
    "supervision:supervisor": [get(lambda o: f"/supervision/supervisors/{o.supervisor.pk}/",
                                   CITY_READERS | {"lin", "ma"})],
    "supervision:supervisor_act": [post(lambda o: f"/supervision/supervisors/"
                                        f"{o.supervisor.pk}/act/report/", {"lin"})],
    "supervision:figures_xlsx": [get("/supervision/figures.xlsx", CITY_READERS | {"pan"})],
    "supervision:topic_pdf": [get(lambda o: f"/supervision/topics/{o.topic.pk}/report.pdf",
                                  CITY_READERS | {"lin"})],
    "supervision:topic": [get(lambda o: f"/supervision/topics/{o.topic.pk}/",
                              CITY_READERS | {"lin"})],
    "supervision:topic_act": [post(lambda o: f"/supervision/topics/{o.topic.pk}/act/problem/",
                                   CITY_STAFF | {"lin"})],
    "supervision:problem": [get(lambda o: f"/supervision/problems/{o.problem.pk}/",
                                CITY_READERS | {"lin"})],
    "supervision:problem_act": [post(lambda o: f"/supervision/problems/{o.problem.pk}/act/"
                                     "decline/", CITY_STAFF)],
    # the city's appraisal of its districts: the city reads all, a district its own sheet
    "ledgers:appraisals": [get("/ledgers/appraisals/", CITY_READERS | {"pan"}),
                           post("/ledgers/appraisals/", CITY_STAFF, data={"scheme": "x"})],
    "ledgers:appraisal": [get(lambda o: f"/ledgers/appraisals/{o.appraisal.pk}/",
                              CITY_READERS | {"pan"})],
    "ledgers:appraisal_act": [post(lambda o: f"/ledgers/appraisals/{o.appraisal.pk}/act/"
                                   "approve/", CITY_STAFF)],
    "ledgers:score": [get(lambda o: f"/ledgers/appraisals/sheets/{o.sheet.pk}/",
                          CITY_READERS | {"pan"})],
    "ledgers:score_act": [post(lambda o: f"/ledgers/appraisals/sheets/{o.sheet.pk}/act/"
                               "self_assess/", {"pan"})],
    "ledgers:letter": [get(lambda o: f"/ledgers/appraisals/sheets/{o.sheet.pk}/letter.pdf",
                           NONE)],  # before the approval: no letter for anyone
    "ledgers:matrix_export": [get(lambda o: f"/ledgers/assignments/{o.checklist.pk}/"
                                  "export.xlsx", CITY_READERS)],
    "roster_import": [get("/people/import/", {"zhou", "zheng", "yuan", "pan"})],
    "roster_template": [get("/people/import/template.xlsx", {"zhou", "zheng", "yuan", "pan"})],
    "roster_confirm": [post("/people/import/confirm/", {"zhou", "zheng", "yuan", "pan"})],
    "attachment": [get(lambda o: f"/attachments/{o.attachment.pk}/", {"lin", "qin", "zhou",
                                                                       "yuan", "ma"})],
    "proposals:mine": [get(f"{P}/", EVERYONE)],
    "proposals:new": [get(f"{P}/new/", MEMBERS)],
    "proposals:detail": [
        get(lambda o: f"{P}/{o.own.pk}/", {"lin", "ma"} | CITY_READERS),
        get(lambda o: f"{P}/{o.draft.pk}/", {"lin"}),
        get(lambda o: f"{P}/{o.same_body.pk}/", {"gao"} | CITY_READERS),
        get(lambda o: f"{P}/{o.other_body.pk}/", {"dong", "pan", "yuan"}),
    ],
    "proposals:edit": [
        get(lambda o: f"{P}/{o.draft.pk}/edit/", {"lin"}),
        get(lambda o: f"{P}/{o.other_body.pk}/edit/", {"dong"}),
    ],
    "proposals:act": [
        post(lambda o: f"{P}/{o.same_body.pk}/act/supervise/", {"qin"}),
        post(lambda o: f"{P}/{o.other_body.pk}/act/reject/", {"pan"}),
        post(lambda o: f"{P}/{o.draft.pk}/act/confirm_cosign/", NONE),
        post(lambda o: f"{P}/{o.same_body.pk}/act/set_keywords/", CITY_STAFF,
             data={"keywords": "儿童友好"}),
        post(lambda o: f"{P}/{o.other_body.pk}/act/set_keywords/", {"pan"},
             data={"keywords": "儿童友好"}),
    ],
    "proposals:proposer_contact": [
        post(lambda o: f"{P}/{o.own.pk}/contact/", {"ma"}),
        post(lambda o: f"{P}/{o.same_body.pk}/contact/", NONE),
    ],
    "proposals:pdf": [
        get(lambda o: f"{P}/{o.own.pk}/form.pdf", {"lin", "ma"} | CITY_READERS),
        get(lambda o: f"{P}/{o.draft.pk}/form.pdf", {"lin"}),
    ],
    "proposals:reply_pdf": [get(lambda o: f"{P}/replies/{o.reply.pk}/letter.pdf",
                                {"ma"} | CITY_READERS)],
    "proposals:office": [get(f"{P}/office/", OFFICES)],
    "proposals:export": [post(f"{P}/office/export.xlsx", OFFICES)],
    "proposals:figures": [get(f"{P}/office/figures/", OFFICES)],
    "proposals:unit": [get(f"{P}/unit/", {"ma"})],
    "proposals:leader": [get(f"{P}/leader/", {"qin"})],
    "opinions:mine": [get(f"{OP}/", EVERYONE)],
    "opinions:new": [get(f"{OP}/new/", REPORTERS)],
    "opinions:detail": [
        get(lambda o: f"{OP}/{o.report.pk}/", {"lin", "gao"} | CITY_READERS),
        get(lambda o: f"{OP}/{o.report_draft.pk}/", {"lin"}),
        get(lambda o: f"{OP}/{o.other_report.pk}/", {"wu", "yuan"}),
    ],
    "opinions:edit": [
        get(lambda o: f"{OP}/{o.report_draft.pk}/edit/", {"lin"}),
        get(lambda o: f"{OP}/{o.report.pk}/edit/", {"lin"}),
    ],
    "opinions:act": [
        post(lambda o: f"{OP}/{o.report.pk}/act/not_adopt/", {"zhou", "yuan"}),
        post(lambda o: f"{OP}/{o.report_draft.pk}/act/not_adopt/", NONE),
        post(lambda o: f"{OP}/{o.report.pk}/act/set_keywords/", CITY_STAFF,
             data={"keywords": "无障碍"}),
        post(lambda o: f"{OP}/{o.other_report.pk}/act/set_keywords/", NONE,
             data={"keywords": "无障碍"}),
    ],
    "opinions:office": [get(f"{OP}/office/", OFFICES)],
    "opinions:export": [post(f"{OP}/office/export.xlsx", OFFICES)],
    "opinions:combine": [post(f"{OP}/office/combine/", {"zhou", "yuan", "pan"})],
    "opinions:similar": [get(f"{OP}/office/similar/", {"zhou", "yuan", "pan"})],
    "opinions:publish": [post(f"{OP}/office/publish/", {"zhou", "yuan", "pan"})],
    "opinions:issue": [get(lambda o: f"{OP}/issues/{o.issue.pk}/", {"lin", "gao"} | CITY_READERS)],
    "opinions:issue_pdf": [get(lambda o: f"{OP}/issues/{o.issue.pk}.pdf",
                               {"lin", "gao"} | CITY_READERS)],
    "opinions:bulletin": [get(f"{OP}/bulletin/", OFFICES)],
    "opinions:bulletin_xlsx": [get(f"{OP}/bulletin.xlsx", OFFICES)],
    "opinions:bulletin_pdf": [get(f"{OP}/bulletin.pdf", OFFICES)],
    "opinions:stats": [get(f"{OP}/stats/", OFFICES)],
    "activities:mine": [get(f"{A}/", EVERYONE)],
    "activities:manage": [get(f"{A}/manage/", CITY_STAFF | {"pan"})],
    "activities:plan": [get(f"{A}/plan/", OFFICES)],
    "activities:plan_xlsx": [get(lambda o: f"{A}/plan/{o.plan.pk}.xlsx", CITY_READERS)],
    "activities:detail": [
        get(lambda o: f"{A}/{o.activity.pk}/", {"lin", "gao"} | CITY_READERS),
        get(lambda o: f"{A}/{o.other_activity.pk}/", {"dong", "pan", "yuan"}),
    ],
    "activities:act": [post(lambda o: f"{A}/{o.activity.pk}/act/leave/", {"lin", "gao", "qin"})],
    "activities:checkin": [get(lambda o: f"{A}/{o.activity.pk}/checkin/?t=000000",
                               {"lin", "gao", "qin"})],
    "activities:join": [get(lambda o: f"{A}/{o.activity.pk}/join/", NONE)],
    "activities:screen": [get(lambda o: f"{A}/{o.activity.pk}/screen/", CITY_STAFF)],
    "activities:screen_live": [get(lambda o: f"{A}/{o.activity.pk}/screen/live/", CITY_STAFF)],
    "activities:attendance": [
        get(lambda o: f"{A}/{o.activity.pk}/attendance/", CITY_STAFF),
        get(lambda o: f"{A}/{o.other_activity.pk}/attendance/", {"pan"}),
    ],
    "activities:attendance_xlsx": [get(lambda o: f"{A}/{o.activity.pk}/attendance.xlsx",
                                       CITY_STAFF)],
    "activities:staff_act": [
        post(lambda o: f"{A}/{o.activity.pk}/staff/outcome/", CITY_STAFF),
        post(lambda o: f"{A}/{o.other_activity.pk}/staff/outcome/", {"pan"}),
        post(lambda o: f"{A}/{o.activity.pk}/staff/experts/", CITY_STAFF),
        post(lambda o: f"{A}/{o.other_activity.pk}/staff/experts/", {"pan"}),
    ],
}

API = "/api"
# Well-formed bodies with a value the handler refuses: the check of who acts comes first.
CONTACT = {"way": "phone", "date": "2022-01-01", "summary": ""}
REPLY = {"category": "?", "text": ""}
REPORT = {"title": "", "category": "urban", "situation": "", "suggestions": "", "submit": False}
OPERATIONS: dict[str, list[Case]] = {
    "POST /api/auth/token": [],  # anonymous by design; covered in api/tests
    "DELETE /api/auth/token": [],  # a token's own revocation; covered in api/tests
    "GET /api/duties/me": [get(f"{API}/duties/me", MEMBERS)],
    "GET /api/duties/expertise": [get(f"{API}/duties/expertise", MEMBERS)],
    # a field id no body has: every member is let in and refused the value (400)
    "PUT /api/duties/expertise": [Case("put", lambda o: f"{API}/duties/expertise", MEMBERS,
                                       {"field_ids": [999999]})],
    "GET /api/duties/declarations": [get(f"{API}/duties/declarations", EVERYONE)],
    # multipart: the form is checked (422) before the seat; refusals in duties/tests
    "POST /api/duties/declarations": [],
    "POST /api/duties/declarations/{declaration_id}/withdraw": [
        post(lambda o: f"{API}/duties/declarations/{o.declaration.pk}/withdraw", {"lin"})],
    "POST /api/duties/corrections": [post(f"{API}/duties/corrections", MEMBERS,
                                          data={"year": 2026, "text": "漏记"})],
    "GET /api/duties/office": [get(lambda o: f"{API}/duties/office?body_id={o.own.body_id}",
                                   CITY_READERS)],
    "GET /api/ledgers/tasks": [get(f"{API}/ledgers/tasks", EVERYONE)],
    "GET /api/ledgers/tasks/{task_id}": [get(lambda o: f"{API}/ledgers/tasks/{o.task.pk}",
                                             CITY_READERS)],
    # multipart: the form is checked (422) before the task; refusals in ledgers/tests
    "POST /api/ledgers/tasks/{task_id}/report": [],
    # multipart: the form is checked (422) before the seat; refusals in supervision/tests
    "POST /api/supervision/problems": [],
    "GET /api/supervision/problems": [get(f"{API}/supervision/problems", EVERYONE)],
    # a milestone the task does not have: its owners are let in and refused the value (400)
    "POST /api/ledgers/tasks/{task_id}/deadline": [
        post(lambda o: f"{API}/ledgers/tasks/{o.task.pk}/deadline", CITY_STAFF,
             data={"milestone_id": 999999, "new_due_on": "2026-12-30", "reason": "x"})],
    "POST /api/auth/password-code": [],  # anonymous by design; covered in api/tests
    "POST /api/auth/password": [],  # anonymous by design; covered in api/tests
    "GET /api/me": [get(f"{API}/me", EVERYONE)],
    "PATCH /api/me": [Case("patch", lambda o: f"{API}/me", EVERYONE, {"sms_urgent": True})],
    "GET /api/auth/tokens": [get(f"{API}/auth/tokens", EVERYONE)],
    "DELETE /api/auth/tokens/{token_id}": [
        Case("delete", lambda o: f"{API}/auth/tokens/{o.token.pk}", frozenset({"lin"}))],
    "GET /api/notifications": [get(f"{API}/notifications", EVERYONE)],
    "POST /api/notifications/{notification_id}/read": [
        post(lambda o: f"{API}/notifications/{o.notification.pk}/read", {"lin"})],
    "GET /api/search": [get(f"{API}/search?q=冰雪", EVERYONE)],
    "POST /api/proposals/similar": [post(f"{API}/proposals/similar", MEMBERS,
                                         data={"title": "冰雪经济发展"})],
    "GET /api/people": [get(f"{API}/people", {"qin", "zhou", "zheng", "yuan", "pan"} | MEMBERS)],
    "GET /api/proposals/mine": [get(f"{API}/proposals/mine", EVERYONE)],
    "GET /api/proposals/assigned": [get(f"{API}/proposals/assigned", EVERYONE)],
    "GET /api/proposals/{proposal_id}": [
        get(lambda o: f"{API}/proposals/{o.own.pk}", {"lin", "ma"} | CITY_READERS),
        get(lambda o: f"{API}/proposals/{o.draft.pk}", {"lin"}),
        get(lambda o: f"{API}/proposals/{o.other_body.pk}", {"dong", "pan", "yuan"}),
    ],
    "PATCH /api/proposals/{proposal_id}": [
        Case("patch", lambda o: f"{API}/proposals/{o.draft.pk}", frozenset({"lin"}),
             data={"title": ""}),
        Case("patch", lambda o: f"{API}/proposals/{o.own.pk}", frozenset({"lin"}),
             data={"title": "改"}),  # lin: 409, it is handled already
    ],
    "POST /api/proposals/": [post(f"{API}/proposals/", MEMBERS, data={})],
    "GET /api/proposals/invitations": [get(f"{API}/proposals/invitations", EVERYONE)],
    "GET /api/proposals/rules/{body_id}": [
        get(lambda o: f"{API}/proposals/rules/{o.own.body_id}", CITY_PEOPLE)],
    "GET /api/proposals/{proposal_id}/attachments": [
        get(lambda o: f"{API}/proposals/{o.own.pk}/attachments", {"lin", "ma"} | CITY_READERS)],
    "POST /api/proposals/{proposal_id}/attachments": [
        Case("post", lambda o: f"{API}/proposals/{o.draft.pk}/attachments",
             frozenset({"lin"}), upload=True),
        Case("post", lambda o: f"{API}/proposals/{o.own.pk}/attachments",
             frozenset({"lin"}), upload=True)],  # lin: 409, no longer a draft
    "POST /api/proposals/replies/{reply_id}/files": [
        Case("post", lambda o: f"{API}/proposals/replies/{o.reply.pk}/files",
             frozenset({"ma"}), upload=True)],
    "POST /api/proposals/{proposal_id}/submit": [
        post(lambda o: f"{API}/proposals/{o.own.pk}/submit", {"lin"})],
    "POST /api/proposals/{proposal_id}/withdraw": [
        post(lambda o: f"{API}/proposals/{o.own.pk}/withdraw", {"lin"})],
    "POST /api/proposals/{proposal_id}/confirm-cosign": [
        post(lambda o: f"{API}/proposals/{o.draft.pk}/confirm-cosign", NONE),
        post(lambda o: f"{API}/proposals/{o.own.pk}/confirm-cosign", NONE)],
    "POST /api/proposals/{proposal_id}/decline-cosign": [
        post(lambda o: f"{API}/proposals/{o.own.pk}/decline-cosign", NONE)],
    "POST /api/proposals/{proposal_id}/evaluate": [
        post(lambda o: f"{API}/proposals/{o.own.pk}/evaluate", {"lin"},
             data={"rating": "satisfied"})],
    "POST /api/proposals/{proposal_id}/record-contact": [
        post(lambda o: f"{API}/proposals/{o.own.pk}/record-contact", {"ma"}, data=CONTACT),
        post(lambda o: f"{API}/proposals/{o.same_body.pk}/record-contact", NONE,
             data=CONTACT)],
    "POST /api/proposals/{proposal_id}/co-opinion": [
        post(lambda o: f"{API}/proposals/{o.own.pk}/co-opinion", {"ma"},
             data={"opinion": "同意"})],
    "POST /api/proposals/{proposal_id}/reply": [
        post(lambda o: f"{API}/proposals/{o.own.pk}/reply", {"ma"}, data=REPLY),
        post(lambda o: f"{API}/proposals/{o.same_body.pk}/reply", NONE, data=REPLY)],
    "POST /api/proposals/{proposal_id}/request-return": [
        post(lambda o: f"{API}/proposals/{o.own.pk}/request-return", {"ma"},
             data={"reason": "不属于本单位职责"})],
    "POST /api/proposals/{proposal_id}/request-extension": [
        post(lambda o: f"{API}/proposals/{o.own.pk}/request-extension", {"ma"},
             data={"reason": "需要调研", "new_deadline": "2020-01-01"})],
    "POST /api/proposals/{proposal_id}/proposer-contact": [
        post(lambda o: f"{API}/proposals/{o.own.pk}/proposer-contact", {"ma"})],
    "GET /api/attachments/{attachment_id}": [
        get(lambda o: f"{API}/attachments/{o.attachment.pk}", {"lin", "ma"} | CITY_READERS)],
    "GET /api/bodies/{body_id}/lookups": [
        get(lambda o: f"{API}/bodies/{o.own.body_id}/lookups", CITY_PEOPLE)],
    "GET /api/opinions/mine": [get(f"{API}/opinions/mine", EVERYONE)],
    "GET /api/opinions/{report_id}": [
        get(lambda o: f"{API}/opinions/{o.report.pk}", {"lin", "gao"} | CITY_READERS),
        get(lambda o: f"{API}/opinions/{o.report_draft.pk}", {"lin"}),
        get(lambda o: f"{API}/opinions/{o.other_report.pk}", {"wu", "yuan"}),
    ],
    "POST /api/opinions/": [post(f"{API}/opinions/", REPORTERS, data=REPORT)],
    "PATCH /api/opinions/{report_id}": [
        Case("patch", lambda o: f"{API}/opinions/{o.report.pk}", frozenset({"lin"}),
             data={"title": "改"}),
        Case("patch", lambda o: f"{API}/opinions/{o.other_report.pk}", frozenset({"wu"}),
             data={"title": "改"}),
    ],
    "GET /api/opinions/rules/{body_id}": [
        get(lambda o: f"{API}/opinions/rules/{o.own.body_id}", {"lin", "gao", "qin"})],
    "POST /api/opinions/{report_id}/submit": [
        post(lambda o: f"{API}/opinions/{o.report.pk}/submit", {"lin"}),
        post(lambda o: f"{API}/opinions/{o.other_report.pk}/submit", {"wu"}),
    ],
    "GET /api/activities/mine": [get(f"{API}/activities/mine", EVERYONE)],
    "GET /api/activities/outcomes": [get(f"{API}/activities/outcomes", EVERYONE)],
    "GET /api/activities/{activity_id}": [
        get(lambda o: f"{API}/activities/{o.activity.pk}", INVITED),
        get(lambda o: f"{API}/activities/{o.other_activity.pk}", {"dong"})],
    "POST /api/activities/{activity_id}/cancel": [
        post(lambda o: f"{API}/activities/{o.activity.pk}/cancel", INVITED)],
    "POST /api/activities/{activity_id}/rate": [
        post(lambda o: f"{API}/activities/{o.activity.pk}/rate", INVITED, data={
            "topic": 5, "organisation": 5, "service": 5, "effect": 5})],
    "POST /api/activities/{activity_id}/register": [
        post(lambda o: f"{API}/activities/{o.activity.pk}/register", {"lin", "gao", "qin"}),
        post(lambda o: f"{API}/activities/{o.other_activity.pk}/register", {"dong"})],
    "POST /api/activities/{activity_id}/leave": [
        post(lambda o: f"{API}/activities/{o.activity.pk}/leave", {"lin", "gao", "qin"},
             data={"reason": ""})],
    "POST /api/activities/{activity_id}/checkin": [
        post(lambda o: f"{API}/activities/{o.activity.pk}/checkin", {"lin", "gao", "qin"},
             data={"code": "000000"})],
}


def _url_names(patterns, ns: str | None = None):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in ("admin", "api"):
                continue  # the admin has its own tests; the API is walked by operation
            yield from _url_names(p.url_patterns, p.namespace or ns)
        elif p.name:
            yield f"{ns}:{p.name}" if ns else p.name


def _operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items()
            for method in ops}


def test_every_page_and_operation_has_a_row():
    assert set(_url_names(get_resolver().url_patterns)) == set(PAGES)
    assert _operations() == set(OPERATIONS)


def _refused(response, anonymous: bool) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    location = response.get("Location", "")
    return anonymous and response.status_code == 302 and "/login/" in location


def _call(client, case: Case, url: str):
    data = case.data if case.data is not None else {}
    if case.upload:
        return client.post(url, {"file": SimpleUploadedFile("附件.pdf", PDF)})
    if url.startswith("/api/"):
        return getattr(client, case.method)(url, data, content_type="application/json") \
            if case.method != "get" else client.get(url)
    return getattr(client, case.method)(url, data)


def _become(client, world, who: str | None, sessions: dict[str, str]) -> None:
    """Act as `who` (None: nobody signed in). Signing in costs a session and two audit
    rows, so each person's session is kept until a POST is let in (one may sign a person
    out, or change what their session holds)."""
    cookie = settings.SESSION_COOKIE_NAME
    client.cookies.pop(cookie, None)
    if who is None:
        return
    if who in sessions:
        client.cookies[cookie] = sessions[who]
        return
    # Fresh from the database: signing out everywhere moves the account's session epoch,
    # which a stale copy would sign in with.
    person = getattr(world, who)
    sign_in(client, type(person).objects.get(pk=person.pk))
    sessions[who] = client.cookies[cookie].value


@pytest.mark.parametrize("group", ["pages", "operations"])
def test_who_is_let_in_and_who_is_refused(client, world, group):
    objects = build(world)
    table = PAGES if group == "pages" else OPERATIONS
    wrong, sessions = [], {}
    for name, cases in table.items():
        for case in cases:
            url = case.url(objects)
            for who in (*PEOPLE, None):
                _become(client, world, who, sessions)
                events = Event.objects.count()
                response = _call(client, case, url)
                if response.status_code >= 500:
                    wrong.append(f"{who} {case.method} {url}: {response.status_code}")
                    continue
                refused = _refused(response, who is None)
                if not refused and case.method != "get":
                    sessions.clear()  # it may have signed someone out
                expected = who in case.allowed or (who is None and name in PUBLIC)
                if refused == expected:
                    wrong.append(f"{who} {case.method} {url}: {response.status_code} "
                                 f"({'let in' if expected else 'refused'} expected)")
                if refused and Event.objects.count() != events:
                    wrong.append(f"{who} {case.method} {url}: refused but changed data")
    assert not wrong, "\n".join(wrong)


PUBLIC = {"login", "set_language", "healthz", "readyz", "password_code", "password_set",
          "activate"}


def test_lists_show_an_invitee_or_co_reporter_nothing_of_a_draft(client, world):
    objects = build(world)
    client.force_login(world.gao)
    title = objects.draft.title
    assert title not in client.get("/proposals/").content.decode()
    assert "待确认的联名邀请" not in client.get("/").content.decode()
    reports = client.get("/opinions/").content.decode()
    assert f"/opinions/{objects.report_draft.pk}/" not in reports
    assert f"/opinions/{objects.report.pk}/" in reports
    # Once submitted, the invitation and the full text are there.
    from lvzhi.proposals.workflow import perform
    perform(objects.draft, "submit", world.lin)
    assert title in client.get("/proposals/").content.decode()
    assert client.get(f"/proposals/{objects.draft.pk}/").status_code == 200
