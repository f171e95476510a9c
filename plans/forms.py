from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.forms import NumberField, number_formfield, single_line
from backbone.ids import IdMultipleChoiceField
from backbone.models import Membership, Organization, Role
from backbone.stale import SeenForm, seen_field
from initiatives.models import ActionItem, Initiative, ReflectionQuestion
from measures.models import Indicator
from stakeholders.models import Contact, Partner, Sector
from stakeholders.pickers import ContactChoiceField, PartnerChoiceField

from .models import (
    PLANNED_ENGAGEMENT_LEVELS,
    RATINGS,
    BackboneFunction,
    BudgetLine,
    Cadence,
    EngagementActivity,
    Goal,
    Newsletter,
    NewsletterItem,
    PlanSection,
    ReportCard,
    Review,
    Scorecard,
    Strategy,
)
from .models.newsletter import EDITED_ITEM_FIELDS


class PlanSearchForm(forms.Form):
    """The plans list's filter: the initiatives whose name or issue holds it."""

    q = forms.CharField(label=_("Initiative"), required=False, max_length=200)


class SectionForm(SeenForm):
    class Meta:
        model = PlanSection
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18, "class": "plan-editor__text"})}


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(
        label=_("Adopted on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    adopted_by_body = forms.CharField(
        label=_("Adopted by"),
        max_length=200,
        initial=_("Leadership roundtable"),
        help_text=_("The body that adopted the plan, e.g. “Leadership roundtable”."),
    )
    seen = seen_field()  # when the draft last changed, as the page opened

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adopted_on"].initial = timezone.localdate()

    def clean_adopted_on(self):
        adopted_on = self.cleaned_data["adopted_on"]
        if adopted_on > timezone.localdate():
            raise forms.ValidationError(
                _("A plan is adopted on the day the body decides: not in the future.")
            )
        return adopted_on


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


def lead_fields():
    # Declared (not generated from the model): a generated field would query the
    # registry at import time, outside any organization's scope.
    return (
        ContactChoiceField(
            queryset=Contact.objects.none(), required=False, label=_("Lead (person)")
        ),
        PartnerChoiceField(
            queryset=Partner.objects.none(), required=False, label=_("Lead (organization)")
        ),
    )


class LeadFormMixin:
    """Lead choices come from this organization's registry only."""

    def limit_leads(self, organization: Organization) -> None:
        self.fields["lead_contact"].queryset = Contact.objects.filter(organization=organization)
        self.fields["lead_partner"].queryset = Partner.objects.filter(organization=organization)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("lead_contact") and cleaned.get("lead_partner"):
            self.add_error(
                "lead_partner", _("Choose one lead: a person or an organization, not both.")
            )
        return cleaned


class StrategyForm(LeadFormMixin, forms.ModelForm):
    goal = forms.ModelChoiceField(queryset=Goal.objects.none(), label=_("Goal"))
    lead_contact, lead_partner = lead_fields()

    field_order = ["goal", "title", "description", "target", "lead_contact", "lead_partner"]

    class Meta:
        model = Strategy
        fields = ["title", "description", "target"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, organization: Organization, goals: list[Goal], **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_leads(organization)
        self.fields["goal"].queryset = Goal.objects.filter(
            organization=organization, pk__in=[goal.pk for goal in goals]
        )


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        formfield_callback = number_formfield
        fields = ["item", "amount", "year", "source"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 1900 <= year <= 2200:
            raise forms.ValidationError(_("Enter a year like 2027."))
        return year

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount < 0:
            raise forms.ValidationError(_("Enter an amount of zero or more."))
        return amount


class EngagementActivityForm(LeadFormMixin, forms.ModelForm):
    lead_contact, lead_partner = lead_fields()

    class Meta:
        model = EngagementActivity
        formfield_callback = number_formfield
        fields = ["level", "title", "target_number", "target", "budget"]

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_leads(organization)
        self.fields["level"].choices = PLANNED_ENGAGEMENT_LEVELS


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class StrategyPartForm(forms.Form):
    """Something added to a strategy of this version, tied to something of the plan's
    initiative (`initiative_field`, whose choices are limited to that initiative)."""

    initiative_field = ""

    strategy = forms.ModelChoiceField(queryset=Strategy.objects.none(), label=_("Strategy"))

    def __init__(self, *args, organization: Organization, goals: list[Goal], initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = Strategy.objects.filter(
            organization=organization, goal__in=[goal.pk for goal in goals]
        )
        field = self.fields[self.initiative_field]
        field.queryset = field.queryset.model.objects.filter(
            organization=organization, initiative=initiative
        )


class StrategyTargetForm(StrategyPartForm):
    """A strategy's target tied to an indicator; the date is required (a target has a "by")."""

    initiative_field = "indicator"

    indicator = forms.ModelChoiceField(queryset=Indicator.objects.none(), label=_("Indicator"))
    value = NumberField(label=_("Target value"), max_digits=18, decimal_places=4)
    date = forms.DateField(
        label=_("By"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date by which the target is reached."),
        error_messages={"required": _("A target needs a date: say by when it is reached.")},
    )


class StrategyActionForm(StrategyPartForm):
    """Which action item of the joint plan of action serves which strategy."""

    initiative_field = "action_item"

    action_item = forms.ModelChoiceField(queryset=ActionItem.objects.none(), label=_("Action item"))


class ReportCardForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("Six months (“2027-H1”, “2027-H2”) or a year (“2027”)."),
    )


class NarrativeForm(SeenForm):
    class Meta:
        model = ReportCard
        fields = ["narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 8, "class": "plan-editor__text"})}


class ReportCardScheduleForm(forms.Form):
    cadence = forms.ChoiceField(
        label=_("Draft report cards automatically"),
        required=False,
        choices=[("", _("No, I draft them myself")), *Cadence.choices],
        help_text=_(
            "When a period closes, its report card is drafted and the coordinators are "
            "e-mailed to review and issue it."
        ),
    )


class NewsletterForm(SeenForm):
    # Declared with queryset=None: the default would query a scoped model at import.
    audience_initiative = forms.ModelChoiceField(
        label=_("Only people of initiative"), queryset=None, required=False
    )
    audience_sector = forms.ChoiceField(
        label=_("Only sector"), choices=[("", _("All sectors")), *Sector.choices], required=False
    )

    class Meta:
        model = Newsletter
        fields = [
            "subject",
            "introduction",
            "audience_initiative",
            "audience_sector",
            "audience_tag",
        ]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["audience_initiative"]
        # Its options show names only: the rest of each row is not read.
        field.queryset = Initiative.objects.filter(
            organization=organization, archived_at__isnull=True
        ).only("id", "name")
        field.empty_label = _("Everyone in the organization")
        # The subject is a mail header.
        self.fields["subject"].validators.append(single_line)


def link_field() -> forms.URLField:
    return forms.URLField(label=_("Link"), required=False, assume_scheme="https")


class NewsletterItemForm(SeenForm):
    url = link_field()

    class Meta:
        model = NewsletterItem
        fields = list(EDITED_ITEM_FIELDS)
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class NewsletterNoteForm(forms.ModelForm):
    url = link_field()

    class Meta:
        model = NewsletterItem
        fields = ["title", "body", "url"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class NewsletterScheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(
        label=_("Send at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In the organization's time zone."),
    )


class ScorecardForm(SeenForm):
    """The public scorecard's own text: the common agenda in brief."""

    class Meta:
        model = Scorecard
        fields = ["summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}


# Backbone effectiveness reviews ------------------------------------------------------


class ReviewForm(forms.ModelForm):
    # Declared: a generated field would query initiatives at import, outside any scope.
    initiative = forms.ModelChoiceField(
        label=_("Initiative"),
        queryset=Initiative.objects.none(),
        required=False,
        help_text=_("Leave empty to review the backbone across the whole organization."),
    )

    class Meta:
        model = Review
        fields = ["initiative", "year", "anonymous", "closes_on", "asked_by", "message"]
        formfield_callback = number_formfield
        widgets = {
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "message": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organization: Organization, **kwargs):
        kwargs.setdefault("auto_id", "review_%s")
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = Initiative.objects.filter(
            organization=organization, archived_at__isnull=True
        ).order_by("name")
        self.fields["initiative"].empty_label = _("Whole organization")
        self.fields["year"].initial = timezone.localdate().year

    def clean_asked_by(self):
        value = self.cleaned_data["asked_by"]
        single_line(value)
        return value


def review_member_label(membership) -> str:
    link = getattr(membership, "partner_link", None)
    where = link.partner.name if link else membership.get_role_display()
    return f"{membership.user.display_name} ({where})"


class MemberChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return review_member_label(obj)


class ReviewRespondentsForm(forms.Form):
    members = MemberChoiceField(
        label=_("Partner users and roundtable members"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact = ContactChoiceField(
        label=_("A contact of the registry"),
        queryset=Contact.objects.none(),
        required=False,
        help_text=_("Funders, community members… one at a time; they need an e-mail address."),
    )

    def __init__(self, *args, organization: Organization, asked: set[str], **kwargs):
        kwargs.setdefault("auto_id", "respondents_%s")
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = (
            Membership.objects.filter(
                organization=organization, role__in=[Role.PARTNER, Role.ROUNDTABLE]
            )
            .exclude(user__email__in=asked)
            .select_related("user", "partner_link__partner")
            .order_by("role", "user__first_name", "user__last_name", "id")
        )
        self.fields["contact"].queryset = Contact.objects.filter(organization=organization).exclude(
            email=""
        )


def _rating_choices():
    return [(str(r), str(r)) for r in RATINGS] + [("unknown", _("Don't know"))]


class ReviewQuestionnaireForm(forms.Form):
    """For each of the six functions a rating (1 to 5, or don't know) and a comment; then the
    workshop's three questions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for function in BackboneFunction:
            self.fields[f"rating_{function.value}"] = forms.ChoiceField(
                label=function.label,
                choices=_rating_choices(),
                widget=forms.RadioSelect,
                help_text=_("1: poorly · 5: very well"),
            )
            self.fields[f"comment_{function.value}"] = forms.CharField(
                label=_("Comment on “%(function)s”") % {"function": function.label},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for question in ReflectionQuestion:
            self.fields[question.value] = forms.CharField(
                label=question.label,
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def function_rows(self):
        """(rating field, comment field) per function, for the template."""
        return [(self[f"rating_{f.value}"], self[f"comment_{f.value}"]) for f in BackboneFunction]

    def question_fields(self):
        return [self[q] for q in ReflectionQuestion.values]


class ReviewResponseForm(SeenForm):
    class Meta:
        model = Review
        fields = ["response"]
        widgets = {"response": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "response_%s")
        super().__init__(*args, **kwargs)
