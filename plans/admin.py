"""Admin for support staff. Adopted versions and their content are read-only here too;
the models refuse the change anyway (see plans.models)."""

from django.contrib import admin

from .models import (
    BudgetLine,
    Comment,
    EngagementActivity,
    Goal,
    PlanPdf,
    PlanSection,
    PlanVersion,
    ReportCard,
    ReportCardSchedule,
    Strategy,
)


class UnscopedAdmin(admin.ModelAdmin):
    # The admin works across organizations, outside any request scope.
    def get_queryset(self, request):
        return self.model.objects.with_scopes_disabled().all()


class FrozenAdmin(UnscopedAdmin):
    def version_of(self, obj) -> PlanVersion:
        return obj.goal.version if isinstance(obj, Strategy) else obj.version

    def _frozen(self, obj) -> bool:
        return obj is not None and self.version_of(obj).was_adopted()

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(PlanVersion)
class PlanVersionAdmin(FrozenAdmin):
    list_display = ["plan", "number", "status", "adopted_on", "adopted_by_body"]
    list_filter = ["status"]

    def version_of(self, obj):
        return obj


@admin.register(PlanSection)
class PlanSectionAdmin(FrozenAdmin):
    list_display = ["version", "key"]


@admin.register(Goal)
class GoalAdmin(FrozenAdmin):
    list_display = ["title", "version"]


@admin.register(Strategy)
class StrategyAdmin(FrozenAdmin):
    list_display = ["title", "goal"]


@admin.register(BudgetLine)
class BudgetLineAdmin(FrozenAdmin):
    list_display = ["item", "amount", "year", "source", "version"]


@admin.register(EngagementActivity)
class EngagementActivityAdmin(FrozenAdmin):
    list_display = ["title", "level", "version"]


@admin.register(Comment)
class CommentAdmin(UnscopedAdmin):
    list_display = ["version", "section_key", "author", "created_at"]


@admin.register(PlanPdf)
class PlanPdfAdmin(UnscopedAdmin):
    list_display = ["version", "status", "pages", "requested_at", "finished_at"]


@admin.register(ReportCard)
class ReportCardAdmin(UnscopedAdmin):
    list_display = ["initiative", "period", "status", "issued_at", "pdf_status"]
    list_filter = ["status"]
    readonly_fields = ["snapshot", "pdf_hash", "public_token", "published_at", "notified_at"]

    def has_change_permission(self, request, obj=None):
        frozen = obj is not None and obj.was_issued()
        return not frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        frozen = obj is not None and obj.was_issued()
        return not frozen and super().has_delete_permission(request, obj)


@admin.register(ReportCardSchedule)
class ReportCardScheduleAdmin(UnscopedAdmin):
    list_display = ["initiative", "cadence", "created_at"]
