"""The box's own TLS: a local CA and a server certificate made at first run, or files IT provides.

TlsError
└── TlsFilesInvalid   a provided certificate or key cannot be read, or they do not belong together
"""

from appliance.tls._certs import TlsError, TlsFiles, TlsFilesInvalid, ensure_tls, fingerprint, local_names

__all__ = ["TlsError", "TlsFiles", "TlsFilesInvalid", "ensure_tls", "fingerprint", "local_names"]
