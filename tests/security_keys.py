"""A security key in software, for the tests of security keys and passkeys (decision 0044).

It answers WebAuthn's two calls as a real key does: `created(options, origin)` is what a browser's
navigator.credentials.create() returns (ES256 key, "none" attestation), `got(options, origin)` what
navigator.credentials.get() returns (a signature over the authenticator data and the client data). The server checks
them with py_webauthn exactly as it checks a real key's, so the tests exercise the real checks: signature, challenge,
origin, relying party and counter. The browser test uses Chromium's own virtual authenticator instead.
"""

import base64
import hashlib
import json
import os

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

# authenticatorData flags (WebAuthn Level 3, section 6.1): user present, user verified, attested credential data.
USER_PRESENT, USER_VERIFIED, ATTESTED = 0x01, 0x04, 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class SoftwareKey:
    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0

    def _cose_public_key(self) -> bytes:
        numbers = self.private_key.public_key().public_numbers()
        # COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y.
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def _authenticator_data(self, rp_id: str, flags: int, attested: bytes = b"") -> bytes:
        return hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + self.sign_count.to_bytes(4, "big") + attested

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}).encode()

    def created(self, options: dict, origin: str) -> dict:
        """The answer to navigator.credentials.create(options) on a page at `origin`."""
        attested = bytes(16) + len(self.credential_id).to_bytes(2, "big") + self.credential_id
        attested += self._cose_public_key()
        auth_data = self._authenticator_data(options["rp"]["id"], USER_PRESENT | USER_VERIFIED | ATTESTED, attested)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["usb"],
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "cross-platform",
        }

    def got(self, options: dict, origin: str) -> dict:
        """The answer to navigator.credentials.get(options) on a page at `origin`."""
        self.sign_count += 1
        auth_data = self._authenticator_data(options["rpId"], USER_PRESENT | USER_VERIFIED)
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.private_key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": None,
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "cross-platform",
        }


def stored_security_key(user, name: str = "Security key or passkey 1"):
    """A key already added to `user`'s account (for pages that list or remove one; it cannot sign anything)."""
    from django_otp_webauthn.models import WebAuthnCredential

    return WebAuthnCredential.objects.create(
        user=user, name=name, credential_id=os.urandom(32), public_key=b"not a key", confirmed=True
    )
