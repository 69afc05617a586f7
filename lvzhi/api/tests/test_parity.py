"""Parity: what a member, an information officer or a handling unit can do on a page, the
API can do. The page actions are read from the code (the workflow tables and the activity
page's actions), so a new one without its operation fails here, and so does an operation
that names an action no page has.
"""

from __future__ import annotations

from lvzhi.activities.views import MEMBER_ACTIONS
from lvzhi.api.site import api
from lvzhi.duties.workflow import DECLARATION
from lvzhi.ledgers.workflow import WORKFLOW as LEDGER
from lvzhi.opinions.workflow import ACTIONS as REPORT_ACTIONS
from lvzhi.proposals.workflow import ACTIONS as PROPOSAL_ACTIONS

# The roles whose people use a phone: proposers and co-signers, units, reporters.
PHONE_ROLES = {"proposer", "cosigner", "evaluator", "unit", "reporter", "declarant", "owner"}

# Page action -> the operation that does the same (through the same workflow entry).
API_FOR = {
    # proposals: the member's and the unit's actions on the proposal page
    "proposals.submit": "submitProposal",
    "proposals.withdraw": "withdrawProposal",
    "proposals.confirm_cosign": "confirmCosign",
    "proposals.decline_cosign": "declineCosign",
    "proposals.evaluate": "evaluateProposal",
    "proposals.record_contact": "recordContact",
    "proposals.co_opinion": "submitCoOpinion",
    "proposals.reply": "replyToProposal",
    "proposals.request_return": "requestReturn",
    "proposals.request_extension": "requestExtension",
    # proposals: the pages around the workflow
    "proposals.new": "createProposal",
    "proposals.edit": "updateProposal",
    "proposals.edit.attachment": "uploadProposalAttachment",
    "proposals.reply.file": "uploadReplyFile",
    "proposals.proposer_contact": "revealProposerContact",
    "proposals.mine": "listMyProposals",
    "proposals.unit": "listAssignedProposals",
    "proposals.home.invitations": "listCosignInvitations",
    "proposals.detail": "getProposal",
    "proposals.similar": "findSimilarProposals",
    # opinion reports
    "opinions.submit": "submitReport",
    "opinions.new": "createReport",
    "opinions.edit": "updateReport",
    "opinions.mine": "listMyReports",
    "opinions.detail": "getReport",
    # activities: the member's actions on the activity page
    "activities.register": "registerForActivity",
    "activities.cancel": "cancelRegistration",
    "activities.leave": "askLeave",
    "activities.checkin": "checkIn",
    "activities.rate": "rateActivity",
    "activities.mine": "listMyActivities",
    "activities.mine.outcomes": "listMyOutcomes",
    "activities.detail": "getActivity",
    # core
    "inbox": "listNotifications",
    "notification": "markNotificationRead",
    "attachment": "downloadAttachment",
    "people": "listPeople",
    "search:results": "search",
    "profile": "getMe",
    "profile_notifications": "updateMe",
    "login": "createToken",
    "logout": "revokeToken",
    # the duty record
    "duties.mine": "getMyDutyRecord",
    "duties.declare": "createDeclaration",
    "duties.declarations": "listMyDeclarations",
    "duties.withdraw": "withdrawDeclaration",
    "duties.correction_new": "requestCorrection",
    "duties.office": "listBodyEvaluations",
    "duties.own_expertise": "updateMyExpertise",
    "duties.own_expertise.view": "getMyExpertise",
    # task ledgers: the lead department's part
    "ledgers.report": "reportProgress",
    "ledgers.ask_deadline": "requestDeadlineChange",
    # democratic supervision: a member's micro-supervision report
    "supervision.report": "reportProblem",
    "supervision.home.mine": "listMyProblems",
    "ledgers.board": "listTasks",
    "ledgers.task": "getTask",
    "password_code": "requestPasswordCode",
    "password_set": "setPasswordWithCode",
}

# Operations with no page of their own: the lists a form's choices come from, and a phone's
# own sign-ins.
API_ONLY = {"getBodyLookups", "getProposalRules", "getReportRules",
            "listProposalAttachments", "listMyTokens", "revokeMyToken"}


def page_actions() -> set[str]:
    """Every action a phone role can take on the pages, read from the code."""
    names = {f"proposals.{n}" for n, a in PROPOSAL_ACTIONS.items() if a.who in PHONE_ROLES}
    names |= {f"opinions.{n}" for n, a in REPORT_ACTIONS.items() if a.who in PHONE_ROLES}
    names |= {f"activities.{n}" for n in MEMBER_ACTIONS}
    names |= {f"duties.{n}" for n, a in DECLARATION.actions.items() if a.who in PHONE_ROLES}
    names |= {f"ledgers.{n}" for n, a in LEDGER.actions.items() if a.who in PHONE_ROLES}
    names.add("supervision.report")  # the member's one action (units act on ledger tasks)
    return names


def operation_ids() -> set[str]:
    schema = api.get_openapi_schema()
    return {op["operationId"] for ops in schema["paths"].values() for op in ops.values()}


def test_every_page_action_of_a_phone_role_has_its_operation():
    missing = sorted(page_actions() - set(API_FOR))
    assert not missing, f"page actions with no API operation: {missing}"


def test_every_named_operation_exists():
    assert not set(API_FOR.values()) - operation_ids()


def test_every_operation_is_a_page_action_or_a_declared_lookup():
    assert operation_ids() == set(API_FOR.values()) | API_ONLY


def test_no_office_action_leaks_into_the_member_api():
    """The office's actions (filing, assigning, reviewing) are for the pages: an operation
    for one would have to be added here on purpose."""
    office = {n for n, a in PROPOSAL_ACTIONS.items() if a.who in ("office", "leader")}
    assert not office & {key.split(".", 1)[1] for key in API_FOR if key.startswith("proposals.")}


def test_no_two_schemas_share_a_name():
    """ninja names a component after its class: two apps' `ReportIn` would be one in the
    schema, and a generated client would build the wrong one."""
    import collections

    from ninja import Schema

    def schemas(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from schemas(sub)

    names = collections.Counter(s.__name__ for s in schemas(Schema)
                                if s.__module__.startswith("lvzhi."))
    assert not [n for n, count in names.items() if count > 1]
