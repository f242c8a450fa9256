"""The GOV.UK error summary's links, decided once for every form page.

GOV.UK Design System, Error summary: "link to the answer the error relates to": the first input of the field. For a
date input that is the day box, or the first part that is missing when only some were given; for radios and
checkboxes it is the first option (crispy-forms-gds numbers options from 1); for a formset row, that row's field (a
row's fields carry the row's prefix, so the same rule finds them). A message about the whole form, or a whole
formset, links to the first field it covers. Pages render the links with the one include,
`components/error_summary.html`.
"""

from collections.abc import Iterable

from django import forms
from django.forms.boundfield import BoundField
from django.forms.formsets import BaseFormSet

ErrorLink = dict[str, str]


def error_links(*forms_in_order: forms.BaseForm | BaseFormSet | None) -> list[ErrorLink]:
    """One link per message of the forms and formsets given, in the page's order (None is skipped)."""
    links: list[ErrorLink] = []
    for each in forms_in_order:
        if each is None or not each.is_bound:
            continue
        if isinstance(each, BaseFormSet):
            links += _formset_links(each)
        else:
            links += _links_of_form(each)
    return links


def field_anchor(field: BoundField) -> str:
    """The id of the input a message about this field links to."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{field.html_name}_1"  # the first option: crispy-forms-gds numbers options from 1
    if isinstance(widget, forms.MultiWidget):
        return f"{field.auto_id}_{_first_missing_part(field)}"
    return field.id_for_label


def _first_missing_part(field: BoundField) -> int:
    """The day box (0), unless some parts were given and a later one is missing: then that part (GOV.UK date input:
    "if the error relates to one part, link to that part")."""
    if not field.form.is_bound:
        return 0
    parts = field.field.widget.value_from_datadict(field.form.data, field.form.files, field.html_name) or []
    given = [bool(str(part).strip()) if part is not None else False for part in parts]
    if any(given) and not all(given):
        return given.index(False)
    return 0


def _first_anchor(fields: Iterable[BoundField]) -> str:
    return next((field_anchor(field) for field in fields), "")


def _links_of_form(form: forms.BaseForm) -> list[ErrorLink]:
    links = []
    top = _first_anchor(form.visible_fields())
    for error in form.non_field_errors():
        links.append({"href": f"#{top}", "text": str(error)})
    for field in form:
        if field.is_hidden:
            # A hidden field has no input a person can reach: its message goes to the form's first field.
            links += [{"href": f"#{top}", "text": str(error)} for error in field.errors]
            continue
        anchor = field_anchor(field)
        links += [{"href": f"#{anchor}", "text": str(error)} for error in field.errors]
    return links


def _formset_links(formset: BaseFormSet) -> list[ErrorLink]:
    links = []
    rows = list(formset)
    top = next((_first_anchor(row.visible_fields()) for row in rows), "")
    for error in formset.non_form_errors():
        links.append({"href": f"#{top}", "text": str(error)})
    for row in rows:
        links += _links_of_form(row)
    return links
