"""Who may do what, in one readable table.

A permission is granted by a role in a body. City staff with the oversight role read
(never edit) what the same roles read in the city's child bodies. Members see the people
directory only as far as their body allows (Body.member_directory).
Apps add their own rows to PERMISSIONS as they land.
"""

from __future__ import annotations

from lvzhi.core.models import Body, RoleKind

R = RoleKind

PERMISSIONS: dict[str, frozenset[str]] = {
    # people directory and roster
    "people.view": frozenset({R.STAFF, R.LEADER, R.BODY_ADMIN}),
    "people.view_contacts": frozenset({R.STAFF, R.LEADER, R.BODY_ADMIN}),
    "people.export": frozenset({R.STAFF, R.LEADER, R.BODY_ADMIN}),
    "people.import": frozenset({R.STAFF, R.BODY_ADMIN}),
    # accounts (三员分立: the security administrator's side)
    "people.activate": frozenset({R.STAFF, R.SECURITY_ADMIN}),
    "accounts.manage": frozenset({R.SECURITY_ADMIN}),
    # the security audit log: its auditor reads it, no one else
    "audit.read": frozenset({R.AUDITOR}),
    # configuration through the admin site
    "body.configure": frozenset({R.BODY_ADMIN}),
    # proposals (提案); the office may be narrowed to one department by ProposalRules.office
    "proposals.submit": frozenset({R.MEMBER}),
    "proposals.read_all": frozenset({R.STAFF, R.LEADER}),
    "proposals.review": frozenset({R.STAFF}),
    "proposals.supervise": frozenset({R.LEADER}),
    # public-opinion reports (社情民意); the office may be narrowed by OpinionRules.office
    "opinions.submit": frozenset({R.MEMBER, R.INFO_OFFICER}),
    "opinions.read_all": frozenset({R.STAFF, R.LEADER}),
    "opinions.process": frozenset({R.STAFF}),
    # activities (协商议政); leave approval follows the approver rule in activities.access
    "activities.manage": frozenset({R.STAFF}),
    "activities.read_all": frozenset({R.STAFF, R.LEADER}),
    # the duty record and yearly evaluation (履职考核); members see their own
    "duties.manage": frozenset({R.STAFF}),
    "duties.read_all": frozenset({R.STAFF, R.LEADER}),
    # task ledgers (工作台账); the reviewing office may be narrowed by LedgerRules.office
    "ledgers.read_all": frozenset({R.STAFF, R.LEADER}),
    # democratic supervision (民主监督); members report problems, units answer their items
    "supervision.manage": frozenset({R.STAFF}),
    "supervision.read_all": frozenset({R.STAFF, R.LEADER}),
}

# Permissions the oversight role carries down into child bodies: reading only.
OVERSIGHT_READS = frozenset({"people.view", "people.view_contacts", "people.export",
                             "proposals.read_all", "opinions.read_all",
                             "activities.read_all", "duties.read_all",
                             "supervision.read_all",
                             "ledgers.read_all"})

# What a body's member_directory setting lets members (and information officers) see.
DIRECTORY_GRANTS: dict[str, frozenset[str]] = {
    Body.Directory.HIDDEN: frozenset(),
    Body.Directory.NAMES: frozenset({"people.view"}),
    Body.Directory.CONTACTS: frozenset({"people.view", "people.view_contacts"}),
}


def roles_granting(perm: str) -> frozenset[str]:
    try:
        return PERMISSIONS[perm]
    except KeyError:
        raise KeyError(f"unknown permission {perm!r}: add it to PERMISSIONS") from None
