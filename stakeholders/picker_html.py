"""A checkbox list written in Python: the HTML Django's templates write for a
`CheckboxSelectMultiple` (django/forms/widgets/multiple_input.html, checkbox_option.html,
input_option.html, input.html, attrs.html), character for character. The templates include
four templates per option: the 200 partners an agreement's parties may be cost more than
the rest of its form."""

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

OPTION_TEMPLATE = "django/forms/widgets/checkbox_option.html"


def _attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"` (`stringformat:'s'`), ` name` for True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(f"{value}")}"'
        for name, value in attrs.items()
        if value is not False
    )


def _shown(value) -> str:
    """`{{ value }}`: localized as a template shows it, escaped unless safe."""
    return conditional_escape(localize(value))


def _option(option: dict) -> str:
    value = option["value"]
    html = (
        f'<input type="{_shown(option["type"])}" name="{_shown(option["name"])}"'
        + ("" if value is None else f' value="{conditional_escape(f"{value}")}"')
        + f"{_attrs(option['attrs'])}>\n"
    )
    if option["wrap_label"]:
        option_id = option["attrs"].get("id")
        label_for = f' for="{_shown(option_id)}"' if option_id else ""
        html = f"<label{label_for}>{html} {_shown(option['label'])}</label>"
    return html + "\n\n"  # the ends of input_option.html and checkbox_option.html


def checkbox_list_html(widget: dict) -> SafeString | None:
    """multiple_input.html for this widget context (stripped, as the form renderer strips
    it), or None when one of its options has a template of its own (left to Django)."""
    widget_id, css = widget["attrs"].get("id"), widget["attrs"].get("class")
    parts = [
        "<div"
        + (f' id="{_shown(widget_id)}"' if widget_id else "")
        + (f' class="{_shown(css)}"' if css else "")
        + ">"
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_shown(group)}</label>")
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(f"<div>\n    {_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped
