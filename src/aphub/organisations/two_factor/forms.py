from crispy_forms_gds.layout import Field, Fluid
from django import forms

from aphub.core.forms.fields import form_helper

WRONG_CODE = "Enter the code your authenticator app shows now"
WRONG_RECOVERY_CODE = "Enter one of your recovery codes that you have not used"


class AuthenticatorCodeForm(forms.Form):
    """The 6-digit code of an authenticator app (GOV.UK "security code" pattern: numeric input, one-time-code)."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code changes every 30 seconds.",
        max_length=20,
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        )
        self.helper = form_helper(Field.text("code", field_width=5))

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app")
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="Recovery code",
        help_text="One of the 10 codes you were shown when you set up two-factor sign-in. Each works once.",
        max_length=40,
        error_messages={"required": "Enter one of your recovery codes"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "one-time-code", "spellcheck": "false"})
        self.helper = form_helper(Field.text("code", field_width=Fluid.ONE_THIRD))
