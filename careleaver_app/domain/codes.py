"""Code lists of the DfE SSDA903 care-leaver (OC3) return and the product's own enumerations.

Codes are the values stored in the database and exported, so that a 903 export needs no mapping.
Labels are plain English; the UI translates them.
"""

from __future__ import annotations

from enum import StrEnum


class AccommodationType(StrEnum):
    """SSDA903 care-leaver accommodation type (the letter of the code)."""

    WITH_PARENTS_OR_RELATIVES = "B"
    COMMUNITY_HOME = "C"
    SEMI_INDEPENDENT = "D"
    SUPPORTED_LODGINGS = "E"
    GONE_ABROAD = "G"
    DEPORTED = "H"
    ORDINARY_LODGINGS = "K"
    RESIDENCE_NOT_KNOWN = "R"
    NO_FIXED_ABODE = "S"
    FOYER = "T"
    INDEPENDENT_LIVING = "U"
    EMERGENCY = "V"
    BED_AND_BREAKFAST = "W"
    CUSTODY = "X"
    OTHER = "Y"
    STAYING_PUT = "Z"

    @property
    def label(self) -> str:
        return ACCOMMODATION_LABELS[self]


ACCOMMODATION_LABELS: dict[AccommodationType, str] = {
    AccommodationType.WITH_PARENTS_OR_RELATIVES: "With parents or relatives",
    AccommodationType.COMMUNITY_HOME: "Community home / residential care",
    AccommodationType.SEMI_INDEPENDENT: "Semi-independent, transitional or supported",
    AccommodationType.SUPPORTED_LODGINGS: "Supported lodgings",
    AccommodationType.GONE_ABROAD: "Gone abroad",
    AccommodationType.DEPORTED: "Deported",
    AccommodationType.ORDINARY_LODGINGS: "Ordinary lodgings, no formal support",
    AccommodationType.RESIDENCE_NOT_KNOWN: "Residence not known",
    AccommodationType.NO_FIXED_ABODE: "No fixed abode / homeless",
    AccommodationType.FOYER: "Foyer or similar",
    AccommodationType.INDEPENDENT_LIVING: "Independent living (tenancy, flat share, halls)",
    AccommodationType.EMERGENCY: "Emergency accommodation (night shelter, direct access hostel)",
    AccommodationType.BED_AND_BREAKFAST: "Bed and breakfast",
    AccommodationType.CUSTODY: "In custody",
    AccommodationType.OTHER: "Other",
    AccommodationType.STAYING_PUT: "With former foster carers (staying put)",
}

# Types that open an escalation whatever the suitability judgement (DESIGN 3.3).
ESCALATING_TYPES: frozenset[AccommodationType] = frozenset(
    {
        AccommodationType.BED_AND_BREAKFAST,
        AccommodationType.EMERGENCY,
        AccommodationType.NO_FIXED_ABODE,
    }
)

# Types the 903 return accepts only with suitability digit 2 (DESIGN 3.2).
NEVER_SUITABLE_TYPES: frozenset[AccommodationType] = frozenset(
    {AccommodationType.NO_FIXED_ABODE, AccommodationType.CUSTODY}
)


class Suitability(StrEnum):
    """The 903 suitability digit: 1 suitable, 2 unsuitable."""

    SUITABLE = "1"
    UNSUITABLE = "2"

    @property
    def label(self) -> str:
        return "Suitable" if self is Suitability.SUITABLE else "Unsuitable"


class SuitabilityFactor(StrEnum):
    """Care Leavers (England) Regulations 2010 Schedule 2 matters for judging suitability."""

    FACILITIES = "facilities"
    STATE_OF_REPAIR = "repair"
    SAFETY = "safety"
    LOCATION = "location"
    SUPPORT = "support"
    TENANCY_STATUS = "tenancy"
    AFFORDABILITY = "affordability"
    YOUNG_PERSONS_VIEWS = "views"

    @property
    def label(self) -> str:
        return FACTOR_LABELS[self]


FACTOR_LABELS: dict[SuitabilityFactor, str] = {
    SuitabilityFactor.FACILITIES: "Facilities and services",
    SuitabilityFactor.STATE_OF_REPAIR: "State of repair",
    SuitabilityFactor.SAFETY: "Safety",
    SuitabilityFactor.LOCATION: "Location",
    SuitabilityFactor.SUPPORT: "Support",
    SuitabilityFactor.TENANCY_STATUS: "Tenancy status",
    SuitabilityFactor.AFFORDABILITY: "Financial commitments and affordability",
    SuitabilityFactor.YOUNG_PERSONS_VIEWS: "The young person's views",
}


class Activity(StrEnum):
    """SSDA903 care-leaver main activity (education, employment or training)."""

    FULL_TIME_HIGHER_EDUCATION = "F1"
    PART_TIME_HIGHER_EDUCATION = "P1"
    FULL_TIME_OTHER_EDUCATION = "F2"
    PART_TIME_OTHER_EDUCATION = "P2"
    FULL_TIME_TRAINING_OR_EMPLOYMENT = "F4"
    PART_TIME_TRAINING_OR_EMPLOYMENT = "P4"
    NEET_ILLNESS_OR_DISABILITY = "G4"
    NEET_OTHER = "G5"
    NEET_PREGNANCY_OR_PARENTING = "G6"
    NOT_KNOWN = "0"

    @property
    def label(self) -> str:
        return ACTIVITY_LABELS[self]

    @property
    def is_neet(self) -> bool:
        return self in NEET_ACTIVITIES

    @property
    def is_education_or_training(self) -> bool:
        return self in EDUCATION_OR_TRAINING_ACTIVITIES


ACTIVITY_LABELS: dict[Activity, str] = {
    Activity.FULL_TIME_HIGHER_EDUCATION: "Full-time higher education",
    Activity.PART_TIME_HIGHER_EDUCATION: "Part-time higher education",
    Activity.FULL_TIME_OTHER_EDUCATION: "Full-time education other than higher education",
    Activity.PART_TIME_OTHER_EDUCATION: "Part-time education other than higher education",
    Activity.FULL_TIME_TRAINING_OR_EMPLOYMENT: "Full-time training or employment",
    Activity.PART_TIME_TRAINING_OR_EMPLOYMENT: "Part-time training or employment",
    Activity.NEET_ILLNESS_OR_DISABILITY: "NEET: illness or disability",
    Activity.NEET_OTHER: "NEET: other reasons",
    Activity.NEET_PREGNANCY_OR_PARENTING: "NEET: pregnancy or parenting",
    Activity.NOT_KNOWN: "Not known",
}

NEET_ACTIVITIES: frozenset[Activity] = frozenset(
    {
        Activity.NEET_ILLNESS_OR_DISABILITY,
        Activity.NEET_OTHER,
        Activity.NEET_PREGNANCY_OR_PARENTING,
    }
)

EDUCATION_OR_TRAINING_ACTIVITIES: frozenset[Activity] = frozenset(
    {
        Activity.FULL_TIME_HIGHER_EDUCATION,
        Activity.PART_TIME_HIGHER_EDUCATION,
        Activity.FULL_TIME_OTHER_EDUCATION,
        Activity.PART_TIME_OTHER_EDUCATION,
        Activity.FULL_TIME_TRAINING_OR_EMPLOYMENT,
        Activity.PART_TIME_TRAINING_OR_EMPLOYMENT,
    }
)


class InTouch(StrEnum):
    """SSDA903 care-leaver 'in touch' codes."""

    YES = "YES"
    NO = "NO"
    DIED = "DIED"
    REFUSED = "REFU"
    NO_LONGER_REQUIRES_SERVICES = "NREQ"
    RETURNED_HOME = "RHOM"

    @property
    def label(self) -> str:
        return IN_TOUCH_LABELS[self]


IN_TOUCH_LABELS: dict[InTouch, str] = {
    InTouch.YES: "In touch",
    InTouch.NO: "Not in touch",
    InTouch.DIED: "Died",
    InTouch.REFUSED: "Refuses contact",
    InTouch.NO_LONGER_REQUIRES_SERVICES: "No longer requires services",
    InTouch.RETURNED_HOME: "Returned home to parents for six months or more",
}


class ContactKind(StrEnum):
    VISIT = "visit"
    PHONE = "phone"
    MESSAGE = "message"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"visit": "Visit", "phone": "Phone call", "message": "Message", "other": "Other"}[
            self.value
        ]


class Role(StrEnum):
    PERSONAL_ADVISER = "personal_adviser"
    TEAM_MANAGER = "team_manager"
    HOUSING_LIAISON = "housing_liaison"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return {
            "personal_adviser": "Personal adviser",
            "team_manager": "Team manager",
            "housing_liaison": "Housing liaison",
            "administrator": "Administrator",
        }[self.value]


class CareKind(StrEnum):
    """What kind of period a care-history entry is (DESIGN 3.1)."""

    LOOKED_AFTER = "looked_after"
    # Accommodated or privately fostered without being looked after; counts towards 'qualifying'.
    ACCOMMODATED = "accommodated"
    SPECIAL_GUARDIANSHIP = "special_guardianship"


class LeaverCategory(StrEnum):
    ELIGIBLE = "eligible"
    RELEVANT = "relevant"
    FORMER_RELEVANT = "former_relevant"
    QUALIFYING = "qualifying"
    NOT_A_CARE_LEAVER = "none"

    @property
    def label(self) -> str:
        return {
            "eligible": "Eligible",
            "relevant": "Relevant",
            "former_relevant": "Former relevant",
            "qualifying": "Qualifying",
            "none": "Not a care leaver",
        }[self.value]
