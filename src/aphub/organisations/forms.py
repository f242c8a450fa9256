from crispy_forms_gds.layout import Field, Fluid, Size, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from aphub.core.forms.fields import form_helper
from aphub.core.forms.validators import LimitField

from .services import TOKEN_NAME


class SignInForm(AuthenticationForm):
    username = forms.EmailField(label="Email address", max_length=254)
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been switched off. Ask your organisation's AP Hub admin.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.helper = form_helper(
            Field.text("username", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            Submit("submit", "Sign in"),
        )


class SwitchMembershipForm(forms.Form):
    membership = forms.ModelChoiceField(
        queryset=None,
        label="Which organisation are you working for?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the organisation you are working for",
            "invalid_choice": "Select one of your own organisations",
        },
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the user's own memberships: a posted id of someone else's is not a valid choice.
        self.fields["membership"].queryset = memberships
        self.fields["membership"].label_from_instance = lambda m: f"{m.get_role_display()} at {m.organisation}"
        self.helper = form_helper(
            Field.radios("membership", legend_size=Size.LARGE, legend_tag="h1"),
            Submit("submit", "Continue"),
        )


class ApiTokenForm(forms.Form):
    name = LimitField(
        limit=TOKEN_NAME,
        label="Name",
        max_length=100,
        error_messages={"required": "Enter a name for the token"},
        help_text="Say which system will use it, for example 'Oakfield Academy MIS'",
    )
    valid_days = forms.TypedChoiceField(
        label="How long should it work?",
        coerce=int,
        choices=[(30, "30 days"), (90, "90 days"), (365, "1 year")],
        initial=90,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how long the token should work",
            "invalid_choice": "Select one of the options",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.radios("valid_days", legend_size=Size.SMALL),
            Submit("submit", "Make token"),
        )
