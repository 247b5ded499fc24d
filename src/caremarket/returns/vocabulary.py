"""DHSC Client Level Data, Release 2: the field names and allowed values the return uses.

Copied exactly from ../shared/reference/domain-facts.md (section 2). Where that report says
NOT FOUND (Gender, Has_Unpaid_Carer, Request_Route_of_Access, Method_of_Assessment,
Method_of_Review, Eligible_Needs_Identified, Dementia, Autism_Spectrum_Disorder_ASD, the full
Service_Component and Review_Reason lists) no list is given here, so the check does not refuse
values it cannot know; a council adds them from its own copy of the specification.
Pure Python: no Django, so the check is tested without a database.
"""

from __future__ import annotations

# The columns, in the order of the DHSC dashboard's data-quality procedure (one row per event).
FIELDS: tuple[str, ...] = (
    "LA_Code",
    "Reporting_Period_Start_Date",
    "Reporting_Period_End_Date",
    "NHS_Number",
    "LA_Person_Unique_Identifier",
    "GP_Practice_Code",
    "Gender",
    "Ethnicity",
    "Date_of_Birth",
    "Date_of_Death",
    "Client_Type",
    "Primary_Support_Reason",
    "Postcode",
    "Accommodation_Status",
    "Employment_Status",
    "Has_Unpaid_Carer",
    "Autism_Spectrum_Disorder_ASD",
    "Visual_Impairment",
    "Hearing_Impairment",
    "Dementia",
    "Client_Funding_Status",
    "Event_Type",
    "Event_Reference",
    "Event_Start_Date",
    "Event_End_Date",
    "Event_Description",
    "Event_Outcome",
    "Request_Route_of_Access",
    "Assessment_Type",
    "Eligible_Needs_Identified",
    "Method_of_Assessment",
    "Total_Hrs_Caring_per_week",
    "No_of_adults_being_cared_for",
    "Adult_1_Linked_Person_ID",
    "Adult_2_Linked_Person_ID",
    "Adult_3_Linked_Person_ID",
    "Service_Type",
    "Service_Component",
    "Delivery_Mechanism",
    "Provider_CQC_Location_ID",
    "Review_Reason",
    "Review_Outcomes_Achieved",
    "Method_of_Review",
    "Unit_Cost",
    "Cost_Frequency_Unit_Type",
    "Planned_units_per_week",
)

EVENT_TYPES = frozenset({"Request", "Assessment", "Service", "Review"})

EVENT_OUTCOMES = frozenset(
    {
        "Admitted to hospital",
        "Continuation of support or services",
        "NFA: Deceased",
        "NFA: Information and advice or signposting",
        "NFA: No services offered for other reason",
        "NFA: Other",
        "NFA: Referral to NHS services or NHS funded social care",
        "NFA: Referral to other service within the local authority",
        "NFA: Responsibility moved to another local authority",
        "NFA: Self-funded client or under 12wk disregard",
        "NFA: Support declined",
        "NFA: Support ended as planned",
        "NFA: Support ended for other reason",
        "Progress to assessment, review or reassessment",
        "Progress to reablement/ST-Max",
        "Progress to support planning or services",
    }
)

SERVICE_TYPES = frozenset(
    {
        "Long term support: Community",
        "Long term support: Nursing care",
        "Long term support: Prison",
        "Long term support: Residential care",
        "Short term support: Ongoing low level",
        "Short term support: Other short term",
        "Short term support: ST-Max",
        "Unpaid carer support: Direct to unpaid carer",
        "Unpaid carer support: Support involving the person cared-for",
    }
)

DELIVERY_MECHANISMS = frozenset(
    {"Direct payment", "CASSR managed personal budget", "CASSR commissioned support"}
)

PRIMARY_SUPPORT_REASONS = frozenset(
    {
        "Physical support: Access and mobility only",
        "Physical Support: Personal care support",
        "Sensory Support: Support for visual impairment",
        "Sensory Support: Support for hearing impairment",
        "Sensory Support: Support for dual impairment",
        "Support with memory and cognition",
        "Learning disability support",
        "Mental health support",
        "Social support: Substance misuse support",
        "Social Support: Asylum seeker support",
        "Social support: Support for social isolation or other reason",
        "Social support: Support to unpaid carer",
        "Unknown",
    }
)

COST_FREQUENCIES = frozenset(
    {
        "No charge to client",
        "Per session",
        "Hourly",
        "Daily",
        "Weekly",
        "Fortnightly",
        "4-weekly",
        "Monthly",
        "Quarterly",
        "Annually",
        "One-off",
    }
)

CLIENT_TYPES = frozenset({"Service user", "Unpaid carer", "Unpaid carer known by association"})

CLIENT_FUNDING_STATUSES = frozenset(
    {
        "Fully client funded",
        "Joint client and social care funded",
        "Fully social care funded",
        "Unknown",
    }
)

ASSESSMENT_TYPES = frozenset({"Short term assessment", "Long term assessment"})

REVIEW_OUTCOMES_ACHIEVED = frozenset({"Fully Met", "Partially Met", "Not Met"})

EMPLOYMENT_STATUSES = frozenset(
    {
        "Paid: Less than 16 hours a week",
        "Paid: 16 or more hours a week",
        "Paid: Hours per week unknown",
        "Not in paid employment: Seeking work",
        "Not in paid employment: Not actively seeking work or retired",
        "Not in paid employment: Voluntary work only",
        "Unknown",
    }
)

# Field -> the values it may take. Ethnicity and Accommodation_Status are left out: the
# report says their strings were expanded or truncated, so they are not safe to refuse by.
ALLOWED: dict[str, frozenset[str]] = {
    "Event_Type": EVENT_TYPES,
    "Event_Outcome": EVENT_OUTCOMES,
    "Service_Type": SERVICE_TYPES,
    "Delivery_Mechanism": DELIVERY_MECHANISMS,
    "Primary_Support_Reason": PRIMARY_SUPPORT_REASONS,
    "Cost_Frequency_Unit_Type": COST_FREQUENCIES,
    "Client_Type": CLIENT_TYPES,
    "Client_Funding_Status": CLIENT_FUNDING_STATUSES,
    "Assessment_Type": ASSESSMENT_TYPES,
    "Review_Outcomes_Achieved": REVIEW_OUTCOMES_ACHIEVED,
    "Employment_Status": EMPLOYMENT_STATUSES,
}

# Units per week by frequency, as DHSC derives weekly cost (6.Costs_fact.sql); frequencies
# not listed (Hourly, Daily, Per session) use Planned_units_per_week.
UNITS_PER_WEEK_BY_FREQUENCY: dict[str, tuple[int, int]] = {
    "Weekly": (1, 1),
    "Fortnightly": (1, 2),
    "4-weekly": (1, 4),
    "Monthly": (12, 52),
    "Quarterly": (4, 52),
    "Annually": (1, 52),
}
PLANNED_UNITS_FREQUENCIES = frozenset({"Hourly", "Daily", "Per session"})
