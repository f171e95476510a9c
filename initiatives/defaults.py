"""What every new initiative starts with, taken from Paul Born's "The First 12 Months".

The readiness matrix is the phase table ("While collective impact evolves based on local
context, these phases provide a guide…"): each cell's sentence, split into the checklist
items it names. The deliverables are the "12 month hard deliverables".
"""

from django.utils.translation import gettext_lazy as _

from .models import Component, Phase

READINESS_ITEMS: dict[tuple[str, str], list] = {
    (Phase.PRE_LAUNCH, Component.GOVERNANCE): [
        _("Core team of local cross-sector stakeholders is formed"),
        _("Core team determines the feasibility of collective impact"),
    ],
    (Phase.PRE_LAUNCH, Component.STRATEGIC_PLANNING): [
        _("Hold dialogues about the issue"),
        _("Hold dialogues about the community context"),
        _("Hold dialogues about available resources"),
    ],
    (Phase.PRE_LAUNCH, Component.COMMUNITY_INVOLVEMENT): [
        _("Community stakeholders give input on the appropriateness of collective impact"),
        _("Community stakeholders give input on the readiness for collective impact"),
    ],
    (Phase.PRE_LAUNCH, Component.EVALUATION): [
        _("Determine if there is consensus to move forward"),
        _("Determine if there is urgency to move forward"),
    ],
    (Phase.INITIATE_ACTION, Component.GOVERNANCE): [
        _("Identify champions"),
        _("Form a cross-sector steering committee"),
    ],
    (Phase.INITIATE_ACTION, Component.STRATEGIC_PLANNING): [
        _("Steering committee members share an understanding of the problem"),
        _("Steering committee members share a vision for change"),
        _("Preliminary common agenda is drafted"),
    ],
    (Phase.INITIATE_ACTION, Component.COMMUNITY_INVOLVEMENT): [
        _("Engage the community to help frame the common agenda"),
    ],
    (Phase.INITIATE_ACTION, Component.EVALUATION): [
        _("Key issues and gaps are identified by the steering committee using data"),
        _("Key issues and gaps are identified using stakeholder input"),
    ],
    (Phase.ORGANIZE_FOR_IMPACT, Component.GOVERNANCE): [
        _("Create the backbone infrastructure"),
        _("Form work groups"),
    ],
    (Phase.ORGANIZE_FOR_IMPACT, Component.STRATEGIC_PLANNING): [
        _("Finalize the full common agenda: common goals and strategic priorities"),
        _("Agree how the common agenda will be pursued"),
    ],
    (Phase.ORGANIZE_FOR_IMPACT, Component.COMMUNITY_INVOLVEMENT): [
        _("Engage the community and build public will around the common agenda"),
        _("Community helps identify and lead strategies"),
    ],
    (Phase.ORGANIZE_FOR_IMPACT, Component.EVALUATION): [
        _("Establish population-level goals"),
        _("Establish shared measures: indicators, measurement and approach"),
    ],
    (Phase.SUSTAINING_IMPACT, Component.GOVERNANCE): [
        _("Facilitate collaboration across groups"),
        _("Refine the structure as needed"),
    ],
    (Phase.SUSTAINING_IMPACT, Component.STRATEGIC_PLANNING): [
        _("Data is used to learn, improve and refine strategies and metrics"),
    ],
    (Phase.SUSTAINING_IMPACT, Component.COMMUNITY_INVOLVEMENT): [
        _("Community participates in decision-making and implementation"),
        _("Consistent external updates are shared"),
    ],
    (Phase.SUSTAINING_IMPACT, Component.EVALUATION): [
        _("Data is collected, tracked and reported"),
        _("Partners use the data to learn and improve"),
    ],
}

DELIVERABLES: list = [
    _("Build community will to address the issue"),
    _("Draft a plan: common agenda and shared measurement"),
    _(
        "Formalize the network that will adopt and implement the plan, and practice working together"
    ),
    _("Agree on a governance model that will make the plan live (the backbone role)"),
    _("Raise the funds (partners) to implement the strategy"),
]
