"""Two-factor sign-in (issue 15, docs/decisions/0042): every staff account proves a second factor after its password.

- services.py: devices (a TOTP authenticator app and ten single-use recovery codes, django-otp's), checking a code,
  the lockout, an LA admin's reset. Security events go out on `organisations.signals.second_factor_event`, which the
  audit app writes to the security log (audit sits above organisations, so it listens rather than being called).
- middleware.py: deny by default. A signed-in session without a second factor reaches only the allow-list.
- views.py, forms.py, urls.py: the set-up, code, recovery-code and reset pages.
"""
