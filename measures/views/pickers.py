"""The search behind the indicator picker (measures.pickers): the indicators the member
may read, narrowed to one initiative when the form sends its choice along."""

from django.utils.translation import gettext as _

from backbone.access import org_view
from backbone.ids import id_parse
from stakeholders.picker_views import picker_answer

from ..pickers import INDICATORS
from ..selectors import indicators_visible_to


@org_view("measures.view")
def pick_indicators(request):
    indicators = indicators_visible_to(request.membership)
    initiative_id = id_parse(request.GET.get("initiative"))
    if initiative_id is not None:  # another organization's initiative: no indicator
        indicators = indicators.filter(initiative_id=initiative_id)
    return picker_answer(request, indicators, INDICATORS, _("Find an indicator"))
