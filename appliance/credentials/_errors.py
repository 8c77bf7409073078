"""The credentials package's errors; each verification failure names the check that failed."""

from __future__ import annotations


class CredentialError(Exception):
    """Base class of every error raised by :mod:`appliance.credentials`."""

    check = "credential"


class KeyFileError(CredentialError):
    """The site's signing key file is missing, unreadable or too widely readable."""

    check = "key"


class VerificationFailed(CredentialError):
    """A credential did not verify; :attr:`check` names the check that failed."""

    check = "verification"


class MalformedCredential(VerificationFailed):
    """The document is not JSON, or not a JSON object."""

    check = "json"


class ContextInvalid(VerificationFailed):
    """The ``@context`` is wrong, or names a context that is not bundled (nothing is fetched)."""

    check = "context"


class SchemaInvalid(VerificationFailed):
    """The document does not validate against the Open Badges 3.0 JSON Schema."""

    check = "schema"


class SignatureInvalid(VerificationFailed):
    """The Data Integrity proof is missing, malformed, by the wrong key, or does not match the document."""

    check = "signature"


class DatesInvalid(VerificationFailed):
    """The credential is outside its validity period."""

    check = "dates"


class NotYetValid(DatesInvalid):
    """``validFrom`` is in the future."""


class Expired(DatesInvalid):
    """``validUntil`` has passed."""


class StatusInvalid(VerificationFailed):
    """The credential's status could not be checked, or it is revoked."""

    check = "status"


class Revoked(StatusInvalid):
    """The issuer's status list marks the credential revoked."""


class StatusUnavailable(StatusInvalid):
    """No (valid) copy of the credential's status list is at hand."""


class EndorsementInvalid(VerificationFailed):
    """No valid endorsement of the issuer by a trusted hub."""

    check = "endorsement"
