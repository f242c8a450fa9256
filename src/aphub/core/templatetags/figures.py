"""`{% figure_svg figure %}`: a core.figures.Figure's SVG, its style sheet given the page's CSP nonce (django-csp), so
the chart is styled under a policy that allows no inline style otherwise."""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def figure_svg(context, figure) -> SafeString:
    request = context.get("request")
    # str(), not truth: django-csp's lazy nonce is falsy until it is first read.
    nonce = str(request.csp_nonce) if request is not None and hasattr(request, "csp_nonce") else ""
    # The SVG is pygal's, from our own numbers and escaped labels (core.figures), never from a user's markup.
    return mark_safe(figure.svg_with_nonce(nonce))  # noqa: S308
