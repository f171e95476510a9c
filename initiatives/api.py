"""The API of initiatives (read): what the member may see, as on the initiatives pages."""

from rest_framework import mixins, serializers

from backbone.api.base import OrganizationViewSet

from .models import Initiative
from .selectors import initiatives_readable_by


class InitiativeSerializer(serializers.ModelSerializer):
    archived = serializers.BooleanField(source="is_archived", read_only=True)

    class Meta:
        model = Initiative
        fields = [
            "id",
            "name",
            "issue",
            "geography",
            "description",
            "start_date",
            "phase",
            "archived",
            "archived_at",
        ]
        read_only_fields = fields


class InitiativeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationViewSet):
    """Initiatives of the organization (a partner user: those its partner takes part in),
    archived ones included (they stay readable; `archived` says so)."""

    model = Initiative
    serializer_class = InitiativeSerializer
    permissions = {"list": "initiatives.view", "retrieve": "initiatives.view"}
    filters = {"phase": ("phase", str, "Only initiatives in this phase.")}

    def visible(self, membership):
        return initiatives_readable_by(membership).order_by("name", "pk")
