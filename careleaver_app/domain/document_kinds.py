"""Which printable documents there are: apart from the documents' data types, so that menus
can name them without loading every document's definition at start-up."""

from __future__ import annotations

from enum import StrEnum


class DocumentKind(StrEnum):
    PERSON_SUMMARY = "person-summary"
    HOUSING_SUMMARY = "housing-summary"
    ESCALATIONS = "escalations"
    CASELOAD = "caseload"
    REVIEW_SCHEDULE = "review-schedule"
    OFFER_STATEMENT = "offer-statement"

    @property
    def label(self) -> str:
        return {
            "person-summary": "Young person summary",
            "housing-summary": "Housing liaison summary",
            "escalations": "Escalation report",
            "caseload": "Caseload report",
            "review-schedule": "Pathway review schedule",
            "offer-statement": "Local offer statement",
        }[self.value]

    @property
    def needs_person(self) -> bool:
        """Documents about one young person: the request must name them."""
        return self in PERSON_DOCUMENTS


PERSON_DOCUMENTS = frozenset(
    {DocumentKind.PERSON_SUMMARY, DocumentKind.HOUSING_SUMMARY, DocumentKind.OFFER_STATEMENT}
)
