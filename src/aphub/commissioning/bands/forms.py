"""The band form: it parses and gives GOV.UK error messages; the limits are bands.limits', the rules services'."""

from crispy_forms_gds.layout import Field, Fixed
from django import forms

from aphub.commissioning.bands import limits
from aphub.commissioning.models import Lot, TopUpBand
from aphub.core.forms.fields import form_helper
from aphub.core.forms.validators import LimitField
from aphub.directory.models import Provision

EVERY_PROVISION = ""


class BandForm(forms.Form):
    code = LimitField(
        limit=limits.code,
        label="Code",
        help_text="A letter or a short code, like A. Officers choose the band by it on an offer.",
        max_length=limits.CODE_LENGTH,
        error_messages={"required": "Enter the band's code"},
    )
    label = LimitField(
        limit=limits.label,
        label="Name",
        help_text="What the band is for, like “Enhanced: small group, 1:3”.",
        max_length=limits.LABEL_LENGTH,
        error_messages={"required": "Enter the band's name"},
    )
    annual_amount = LimitField(
        limit=limits.annual_amount,
        label="Annual top-up, in pounds",
        help_text="On top of place funding where the route pays it. Paid pro rata to the days of each placement.",
        max_length=14,
        error_messages={"required": "Enter the band's annual top-up"},
    )
    # One choice, so a band is for a provision, a lot, or every provision, never two (the service checks it again).
    scope = forms.ChoiceField(
        label="What is the band for?",
        help_text="A band for a lot is for every provision of the providers admitted to it.",
        required=False,
        error_messages={"invalid_choice": "Choose what the band is for from the list"},
    )

    def __init__(self, *args, provisions, lots, **kwargs):
        super().__init__(*args, **kwargs)
        self._provisions = {f"provision-{p.pk}": p for p in provisions}
        self._lots = {f"lot-{lot.pk}": lot for lot in lots}
        self.fields["scope"].choices = (
            [(EVERY_PROVISION, "Every provision of the council")]
            + [(key, f"{p.name} ({p.provider.display_name})") for key, p in self._provisions.items()]
            + [(key, f"{lot.arrangement.title}: {lot}") for key, lot in self._lots.items()]
        )
        self.helper = form_helper(
            Field.text("code", field_width=Fixed.FIVE),
            Field.text("label"),
            Field.text("annual_amount", field_width=Fixed.TEN),
            Field.select("scope"),
        )

    def scope_of(self) -> tuple[Provision | None, Lot | None]:
        key = self.cleaned_data.get("scope", EVERY_PROVISION)
        return self._provisions.get(key), self._lots.get(key)

    @staticmethod
    def initial_for(band: TopUpBand) -> dict:
        scope = (
            f"provision-{band.provision_id}"
            if band.provision_id
            else f"lot-{band.lot_id}"
            if band.lot_id
            else EVERY_PROVISION
        )
        return {"code": band.code, "label": band.label, "annual_amount": band.annual_amount, "scope": scope}
