"""Every table, imported in one place so Alembic and create_all see them all."""

from __future__ import annotations

from app.attachments.models import ZAttachment, ZReport
from app.audit.models import AuditEvent
from app.auth.models import Membership, MembershipStore, PasswordReset, User
from app.bank.fees_models import PayoutFee
from app.bank.models import (
    BankEntry,
    BankStatement,
    BankStatementFile,
    SettlementFile,
    SettlementLine,
    SettlementProfile,
)
from app.clearing.models import (
    ClearingAlias,
    ClearingDay,
    ClearingDecision,
    ClearingPayout,
    ClearingSetting,
)
from app.closures.models import Closure, RejectedPayload
from app.companies.models import ApiToken, Company, Store
from app.digest.models import DigestPreference, DigestSent
from app.evidence.models import ChainExplanation, VatTieout
from app.fortnox.models import AuthLink, FortnoxConnection
from app.mapping.models import MappingVersion
from app.posting.models import PostedDocument
from app.reconcile.models import (  # noqa: F401, E501
    ClosureCheck,
    FortnoxDocument,
    FortnoxVoucher,
    FortnoxVoucherRow,
    Review,
    StoreDayCheck,
    SyncCursor,
)
from app.reports.models import Report

__all__ = [
    "ApiToken",
    "AuditEvent",
    "AuthLink",
    "BankEntry",
    "BankStatement",
    "BankStatementFile",
    "ChainExplanation",
    "ClearingAlias",
    "ClearingDay",
    "ClearingDecision",
    "ClearingPayout",
    "ClearingSetting",
    "Closure",
    "Company",
    "DigestPreference",
    "DigestSent",
    "FortnoxConnection",
    "MappingVersion",
    "Membership",
    "MembershipStore",
    "PasswordReset",
    "PayoutFee",
    "PostedDocument",
    "RejectedPayload",
    "Report",
    "SettlementFile",
    "SettlementLine",
    "SettlementProfile",
    "Store",
    "User",
    "VatTieout",
    "ZAttachment",
    "ZReport",
]
