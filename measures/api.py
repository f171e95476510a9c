"""The API of shared measurement: indicators and their definitions, reporting periods, data
requests and approved series (read); data values, which partner users save as drafts and
submit, and staff approve or return — through the same services, validation, versioning and
workflow as the entry form and the approval queue (`measures.services`)."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from backbone.access import access
from backbone.api.base import OrganizationViewSet, read_input
from backbone.api.errors import Conflict
from backbone.models import Role
from stakeholders.selectors import partner_of

from . import services
from .models import DataPoint, DataRequest, Indicator, Target
from .periods import periods_between
from .selectors import approved_series, data_points_visible_to, indicators_visible_to

# Indicators ------------------------------------------------------------------


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["value", "date"]


class IndicatorSerializer(serializers.ModelSerializer):
    cells = serializers.ListField(child=serializers.CharField(), read_only=True)
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "initiative",
            "name",
            "definition",
            "unit",
            "decimal_places",
            "direction",
            "level",
            "frequency",
            "data_source",
            "baseline_value",
            "baseline_date",
            "baseline_source",
            "minimum",
            "maximum",
            "disaggregation",
            "cells",
            "aggregation",
            "is_active",
            "targets",
        ]
        read_only_fields = fields


class SeriesPointSerializer(serializers.Serializer):
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4)


class SeriesSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    points = SeriesPointSerializer(many=True)


class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationViewSet):
    """Indicators of the initiatives the member sees, with their definitions and targets;
    `series`: the approved values per period (conflicts settled), as the charts show them."""

    model = Indicator
    serializer_class = IndicatorSerializer
    permissions = {"list": "measures.view", "retrieve": "measures.view", "series": "measures.view"}
    filters = {
        "initiative": ("initiative_id", int, "Only the indicators of this initiative."),
        "level": ("level", str, "population or performance."),
    }

    def visible(self, membership):
        return (
            indicators_visible_to(membership)
            .prefetch_related("targets")
            .order_by("initiative_id", "name", "pk")
        )

    @extend_schema(responses=SeriesSerializer)
    @action(detail=True)
    def series(self, request, pk=None):
        indicator = self.get_object()
        points = [
            {"period": p.key, "start": p.start, "end": p.end, "value": value}
            for p, value in approved_series(indicator)
        ]
        return Response(SeriesSerializer({"indicator": indicator.pk, "points": points}).data)


# Reporting periods and data requests -----------------------------------------


class PeriodSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class PeriodViewSet(OrganizationViewSet):
    """The reporting periods of each indicator, from its initiative's start to today (the
    organization's day); a partner user sees those of the indicators asked of its partner."""

    model = Indicator
    serializer_class = PeriodSerializer
    permissions = {"list": "measures.view"}
    filters = {"indicator": ("pk", int, "Only the periods of this indicator.")}

    def visible(self, membership):
        indicators = indicators_visible_to(membership).filter(is_active=True)
        if membership.role == Role.PARTNER:
            indicators = indicators.filter(requests__partner=partner_of(membership)).distinct()
        return indicators.order_by("initiative_id", "name", "pk")

    def list(self, request):
        today = timezone.localdate()
        rows = [
            {"indicator": indicator.pk, "period": p.key, "start": p.start, "end": p.end}
            for indicator in self.filter_queryset(self.get_queryset())
            for p in periods_between(indicator.initiative.start_date, today, indicator.frequency)
        ]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class DataRequestSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = DataRequest
        fields = ["id", "indicator", "partner", "partner_name", "period", "due_days", "excluded"]
        read_only_fields = fields


class DataRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationViewSet):
    """Who must report which indicator (`period` blank: every period), due `due_days` after
    the period ends; a partner user sees only its partner's."""

    model = DataRequest
    serializer_class = DataRequestSerializer
    permissions = {"list": "measures.view", "retrieve": "measures.view"}
    filters = {
        "indicator": ("indicator_id", int, "Only the requests of this indicator."),
        "partner": ("partner_id", int, "Only the requests of this partner."),
        "period": ("period", str, "Only the requests of this period (e.g. 2026-Q1)."),
    }

    def visible(self, membership):
        requests = DataRequest.objects.filter(
            organization_id=membership.organization_id,
            indicator__in=indicators_visible_to(membership),
        ).select_related("partner")
        if membership.role == Role.PARTNER:
            requests = requests.filter(partner=partner_of(membership))
        return requests.order_by("indicator_id", "partner__name", "period", "pk")


# Data values -----------------------------------------------------------------


class DataValueSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = DataPoint
        fields = [
            "id",
            "indicator",
            "period",
            "partner",
            "partner_name",
            "cell",
            "value",
            "status",
            "comment",
            "return_reason",
            "entered_by_staff",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class ValueInput(serializers.Serializer):
    """What a partner sends: the value as the entry form takes it, and whether to submit."""

    value = serializers.CharField(max_length=40)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Confirms a value far from the previous one (needs a comment)."),
    )
    submit = serializers.BooleanField(
        required=False, default=False, help_text=_("Submit for approval (else a draft).")
    )


class DataValueCreate(ValueInput):
    indicator = serializers.IntegerField(min_value=1)
    period = serializers.CharField(max_length=10)
    cell = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class DataValueUpdate(ValueInput):
    version = serializers.IntegerField(
        min_value=1, help_text=_("The version you read: a newer one is a 409.")
    )


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text=_("The version you read: a newer one is a 409.")
    )


class ApproveInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False)
    reason = serializers.CharField()


def _same_version(point: DataPoint, version: int | None) -> None:
    if version is not None and point.version != version:
        raise Conflict()


class DataValueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationViewSet):
    """Values as the member may see them (a partner user: its partner's). A partner user
    creates a value (`POST`), changes it (`PATCH` with the `version` it read) and submits it
    (`submit`), as on the entry form: the same checks, and an approved value is locked.
    Staff approve or return a submitted value, as in the approval queue."""

    model = DataPoint
    serializer_class = DataValueSerializer
    permissions = {
        "list": "measures.view",
        "retrieve": "measures.view",
        "create": "measures.submit",
        "partial_update": "measures.submit",
        "submit": "measures.submit",
        "approve": "measures.approve",
        "return_value": "measures.approve",
    }
    filters = {
        "indicator": ("indicator_id", int, "Only the values of this indicator."),
        "initiative": ("indicator__initiative_id", int, "Only the values of this initiative."),
        "partner": ("partner_id", int, "Only the values of this partner."),
        "period": ("period", str, "Only the values of this period (e.g. 2026-Q1)."),
        "status": ("status", str, "draft, submitted, approved or returned."),
    }

    def visible(self, membership):
        return (
            data_points_visible_to(membership)
            .select_related("partner", "indicator__initiative")
            .order_by("indicator_id", "period", "partner__name", "cell", "pk")
        )

    def _partner(self):
        """The partner a partner user reports for. The backbone enters values on the entry
        form, where they are approved at once; through the API it approves and returns."""
        if self.membership.role != Role.PARTNER:
            raise exceptions.PermissionDenied(
                _("Only partner users report values through the API; staff approve and return.")
            )
        partner = partner_of(self.membership)
        if partner is None:
            raise Http404
        return partner

    def _save(self, *, indicator, period, partner, cell, data, version):
        return services.data_point_save(
            indicator=indicator,
            period=period,
            partner=partner,
            cell=cell,
            value=data["value"],
            user=self.request.user,
            submit=data["submit"],
            comment=data["comment"],
            expected_version=version,
            confirmed=data["confirmed"],
        )

    @extend_schema(request=DataValueCreate, responses={201: DataValueSerializer})
    def create(self, request):
        """A new value (a draft, or submitted with `"submit": true`). A value that exists
        already is a 409: change it with `PATCH` and the version you read."""
        partner = self._partner()
        data = read_input(DataValueCreate, request)
        visible = indicators_visible_to(self.membership)
        indicator = access(request, visible, pk=data["indicator"], write=True)
        point = self._save(
            indicator=indicator,
            period=data["period"].strip(),
            partner=partner,
            cell=data["cell"],
            data=data,
            version=0,  # "there was no value yet": an existing one is a conflict
        )
        return Response(DataValueSerializer(point).data, status=status.HTTP_201_CREATED)

    def _change(self, partner, version: int, data_of) -> Response:
        """Save over the partner's value of this id, by the entry form's rules;
        `data_of(point)` says what to save."""
        point = self.get_object(write=True)
        point = self._save(
            indicator=point.indicator,
            period=point.period,
            partner=partner,
            cell=point.cell,
            data=data_of(point),
            version=version,
        )
        return Response(DataValueSerializer(point).data)

    @extend_schema(request=DataValueUpdate, responses=DataValueSerializer)
    def partial_update(self, request, pk=None):
        """Change a draft or returned value (and submit it with `"submit": true`)."""
        partner = self._partner()
        data = read_input(DataValueUpdate, request)
        return self._change(partner, data["version"], lambda point: data)

    @extend_schema(request=VersionInput, responses=DataValueSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft or returned value for approval, as it is (with its comment)."""
        partner = self._partner()
        version = read_input(VersionInput, request)["version"]
        return self._change(
            partner,
            version,
            lambda point: {
                "value": str(point.value),
                "submit": True,
                "comment": point.comment,
                "confirmed": True,
            },
        )

    def _decide(self, input_class, decide, **names) -> Response:
        """Approve or return a submitted value through the approval queue's service."""
        data = read_input(input_class, self.request)
        point = self.get_object(write=True)
        _same_version(point, data.get("version"))
        decision = {name: data[key] for name, key in names.items()}
        point = decide(data_point=point, user=self.request.user, **decision)
        return Response(DataValueSerializer(point).data)

    @extend_schema(request=ApproveInput, responses=DataValueSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a submitted value (staff)."""
        return self._decide(ApproveInput, services.data_point_approve, comment="comment")

    @extend_schema(request=ReturnInput, responses=DataValueSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_value(self, request, pk=None):
        """Return a submitted value to its partner with the reason (staff)."""
        return self._decide(ReturnInput, services.data_point_return, reason="reason")
