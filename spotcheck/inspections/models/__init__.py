from .followups import (
    AbnormalListProposal,
    AbnormalProposalStatus,
    FollowUp,
    FollowUpDocument,
    FollowUpKind,
    Lead,
    LeadSource,
    LeadStatus,
)
from .merging import MergeAnswer, MergeDecision, MergeOffer, MergeOfferStatus
from .results import (
    AmendmentStatus,
    Evidence,
    FieldVisit,
    ItemResult,
    ResultAmendment,
    ResultCategory,
    ResultStatus,
)

__all__ = [
    "AbnormalListProposal",
    "AbnormalProposalStatus",
    "AmendmentStatus",
    "Evidence",
    "FieldVisit",
    "FollowUp",
    "FollowUpDocument",
    "FollowUpKind",
    "ItemResult",
    "Lead",
    "LeadSource",
    "LeadStatus",
    "MergeAnswer",
    "MergeDecision",
    "MergeOffer",
    "MergeOfferStatus",
    "ResultAmendment",
    "ResultCategory",
    "ResultStatus",
]
