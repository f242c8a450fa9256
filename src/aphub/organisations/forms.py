from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fluid, Size, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from aphub.core.forms.fields import form_helper
from aphub.core.forms.validators import LimitField

from .models import Role
from .services import (
    CHOOSE_ROLE,
    COLLEAGUE_NAME,
    COLLEAGUE_NAME_LENGTH,
    EMAIL_LENGTH,
    TEAM_ROLES,
    TOKEN_NAME,
    colleague_email,
)


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


# What each role does, beside its radio: the admin chooses what the colleague will see.
ROLE_HINTS = {
    Role.LA_ADMIN: "Everything an officer does, plus the LA's team, budget, routes, access log and API tokens",
    Role.LA_OFFICER: "Children's cases, referrals, the panel, placements, the directory and commissioning",
    Role.FINANCE_OFFICER: "The money and the placements behind it, but no child's case or sensitive details",
    Role.AUDITOR: "Reads the LA's records and the access log, and changes nothing",
}


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Role",
        choices=[Choice(role.value, role.label, hint=ROLE_HINTS[role]) for role in TEAM_ROLES],
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_ROLE, "invalid_choice": CHOOSE_ROLE},
    )


def _role_radios() -> Field:
    return Field.radios("role", legend_size=Size.MEDIUM)


class AddColleagueForm(forms.Form):
    """An LA admin gives a colleague a role (services.add_colleague asks the same limits)."""

    email = LimitField(
        limit=colleague_email,
        label="Email address",
        max_length=EMAIL_LENGTH,
        error_messages={"required": "Enter their email address"},
        help_text="Their work address: they sign in with it",
    )
    full_name = LimitField(
        limit=COLLEAGUE_NAME,
        label="Full name",
        max_length=COLLEAGUE_NAME_LENGTH,
        error_messages={"required": "Enter their full name"},
    )
    role = _role_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.helper = form_helper(
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            _role_radios(),
        )


class ChangeRoleForm(forms.Form):
    role = _role_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_role_radios())
