"""The API of the registry's people (staff only: personal data). Creating and changing a
contact goes through the same services as the contact form (one e-mail address per contact,
a partner of this organization, no save over a change made meanwhile); consent is recorded
as on the contact's page (an agreement needs an address and says how the person agreed)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from backbone.api.base import OrganizationViewSet, read_input
from backbone.stale import fingerprint

from . import services
from .models import ConsentSource, Contact, Partner, Sector
from .selectors import contacts_visible_to

# The fields the API (like the contact form) edits; `version` is their fingerprint.
FIELDS = ["first_name", "last_name", "email", "phone", "partner", "sector", "lived_experience"]
FIELDS += ["notes"]


class ContactSerializer(serializers.ModelSerializer):
    tags = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField(
        help_text=_("Send it back with a change: if the contact changed meanwhile, a 409.")
    )

    class Meta:
        model = Contact
        fields = ["id", *FIELDS, "tags", "consent", "consent_changed_at", "created_at"]
        fields += ["version"]
        read_only_fields = fields

    def get_tags(self, contact) -> list[str]:
        return [tag.name for tag in contact.tags.all()]

    def get_version(self, contact) -> str:
        return fingerprint(contact, FIELDS)


class ContactInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    partner = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    sector = serializers.ChoiceField(choices=Sector.choices)
    lived_experience = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=50
    )


class ContactChange(ContactInput):
    version = serializers.CharField(max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = name == "version"


class ConsentInput(serializers.Serializer):
    given = serializers.BooleanField(help_text=_("true: agreed to e-mail; false: unsubscribed."))
    basis = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


def _partner(organization, fields: dict) -> dict:
    """The partner id sent, as a partner of this organization (else a field error)."""
    if fields.get("partner") is None:
        return fields
    partner = Partner.objects.filter(organization=organization, pk=fields["partner"]).first()
    if partner is None:
        raise serializers.ValidationError(
            {"partner": [_("Choose a partner of this organization.")]}
        )
    return {**fields, "partner": partner}


class ContactViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationViewSet):
    """Contacts of the registry (staff). `POST` creates one, `PATCH` changes the fields sent
    (with the `version` read), `consent` records an agreement or an unsubscribe."""

    model = Contact
    serializer_class = ContactSerializer
    permissions = dict.fromkeys(
        ("list", "retrieve", "create", "partial_update", "consent"), "stakeholders.edit"
    )
    filters = {
        "partner": ("partner_id", int, "Only the people who work at this partner."),
        "sector": ("sector", str, "Only the people of this sector."),
        "email": ("email__iexact", str, "The contact with this e-mail address."),
    }

    def visible(self, membership):
        return (
            contacts_visible_to(membership)
            .prefetch_related("tags")
            .order_by(*Contact._meta.ordering)
        )

    def _answer(self, contact, status_code=status.HTTP_200_OK):
        contact = self.get_queryset().get(pk=contact.pk)
        return Response(ContactSerializer(contact).data, status=status_code)

    @extend_schema(request=ContactInput, responses={201: ContactSerializer})
    def create(self, request):
        fields = _partner(request.organization, read_input(ContactInput, request))
        tags = fields.pop("tags", None)
        contact = services.contact_create(organization=request.organization, tags=tags, **fields)
        return self._answer(contact, status.HTTP_201_CREATED)

    @extend_schema(request=ContactChange, responses=ContactSerializer)
    def partial_update(self, request, pk=None):
        contact = self.get_object(write=True)
        fields = _partner(request.organization, read_input(ContactChange, request))
        seen = fields.pop("version")
        tags = fields.pop("tags", None)
        # The fingerprint covers every field the API edits, so all of them are compared.
        current = {name: getattr(contact, name) for name in FIELDS}
        contact = services.contact_update(
            contact=contact, tags=tags, seen=seen, by=request.user, **{**current, **fields}
        )
        return self._answer(contact)

    @extend_schema(request=ConsentInput, responses=ContactSerializer)
    @action(detail=True, methods=["post"])
    @transaction.atomic
    def consent(self, request, pk=None):
        contact = self.get_object(write=True)
        data = read_input(ConsentInput, request)
        services.consent_record(
            contact=contact,
            given=data["given"],
            source=ConsentSource.STAFF,
            basis=data["basis"],
            recorded_by=request.user,
        )
        return self._answer(contact)
