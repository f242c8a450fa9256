from django import template

from aphub.core.forms.error_summary import ErrorLink, error_links

register = template.Library()


@register.simple_tag(takes_context=True)
def summary_links(context) -> list[ErrorLink]:
    """The error summary's links: the `errors` a view made with error_links, else those of the page's `form`."""
    errors = context.get("errors")
    if errors:
        return list(errors)
    form = context.get("form")
    return error_links(form) if form is not None else []
