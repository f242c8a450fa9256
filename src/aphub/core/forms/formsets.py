"""A formset that survives a missing or broken management form: one clear error, and its rows shown again.

Django's formset reads how many rows were sent from hidden "management form" fields. When they are missing, not
numbers or negative (a page saved and edited by hand, a client that never loaded the page, a probe), Django builds
no rows at all: the page then shows a form with nothing to fill in, and any view or error summary that reaches for
the first row fails with an IndexError. Every formset of AP Hub is built on `RowsFormSet` instead
(`formset_factory(..., formset=RowsFormSet)`), so that case is an ordinary form error with the rows the page offers.
"""

from django import forms
from django.core.validators import MinValueValidator
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT, ManagementForm
from django.forms.renderers import BaseRenderer
from django.utils.functional import cached_property

BROKEN_ROWS = "The rows of this form were not sent as the page gave them. Check the rows below and send the form again"


class _CheckedManagementForm(ManagementForm):
    """Row counts that are whole numbers of zero or more: a negative count would build no rows, like a missing one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (TOTAL_FORM_COUNT, INITIAL_FORM_COUNT):
            self.fields[name].validators.append(MinValueValidator(0))


class RowsFormSet(forms.BaseFormSet):
    renderer: BaseRenderer  # set by formset_factory; django-stubs does not declare it
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "missing_management_form": BROKEN_ROWS,
    }

    @cached_property
    def management_form(self):
        if not self.is_bound:
            return super().management_form
        form = _CheckedManagementForm(self.data, auto_id=self.auto_id, prefix=self.prefix, renderer=self.renderer)
        form.full_clean()
        return form

    @property
    def rows_were_broken(self) -> bool:
        return self.is_bound and not self.management_form.is_valid()

    def initial_form_count(self) -> int:
        if self.rows_were_broken:
            return len(self.initial) if self.initial else 0
        return super().initial_form_count()

    def total_form_count(self) -> int:
        if not self.rows_were_broken:
            return super().total_form_count()
        # The rows an unbound formset would show (BaseFormSet.total_form_count), so the person can fill them in.
        initial = self.initial_form_count()
        total = max(initial, self.min_num) + self.extra
        if initial > self.max_num >= 0:
            return initial
        return min(total, self.max_num) if self.max_num >= 0 else total
