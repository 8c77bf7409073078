"""Create (once) a private CA and a server certificate for this box, with `cryptography`.

The CA's key never leaves ``<data>/tls/`` (0600); IT installs ``ca.pem`` on ward tablets once, after which every
later server certificate (re-issued when the box's names or addresses change, or a month before expiry) is
trusted without warnings. A hospital CA can be used instead: point ``WARD_TLS_CERT``/``WARD_TLS_KEY`` at its files.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

import ifaddr
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650
SERVER_DAYS = 397  # what browsers accept for a server certificate
RENEW_BEFORE = dt.timedelta(days=30)


class TlsError(Exception):
    """Base class for TLS set-up errors."""


class TlsFilesInvalid(TlsError):
    """A provided certificate or key cannot be used."""


@dataclass(frozen=True)
class TlsFiles:
    """Where the server's certificate chain and key are, and the CA to install on tablets (None when IT's)."""

    cert: Path
    key: Path
    ca: Path | None


def local_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """This box's host names and IPv4/IPv6 addresses, for the certificate's subject alternative names."""
    host = socket.gethostname()
    names = {"localhost", host, f"{host}.local"}
    addresses = {"127.0.0.1", "::1"}
    try:
        for info in socket.getaddrinfo(host, None):
            addresses.add(str(info[4][0]))
    except OSError:
        pass
    for adapter in ifaddr.get_adapters():  # every interface's address (the ward LAN's among them)
        for ip in adapter.ips:
            addresses.add(ip.ip if isinstance(ip.ip, str) else str(ip.ip[0]))
    return tuple(sorted(names)), tuple(sorted(addresses))


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _load_or_make_ca(folder: Path, site: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert_path, key_path = folder / "ca.pem", folder / "ca.key"
    if cert_path.exists() and key_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        return x509.load_pem_x509_certificate(cert_path.read_bytes()), key
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Ward appliance CA ({site})"[:64])])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(key_path, _key_pem(key))
    _write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    os.chmod(cert_path, 0o644)
    return cert, key


def _san(names: tuple[str, ...], addresses: tuple[str, ...]) -> list[x509.GeneralName]:
    alt: list[x509.GeneralName] = [x509.DNSName(n) for n in names]
    for address in addresses:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(address.split("%")[0])))
        except ValueError:
            continue
    return alt


def _server_is_current(path: Path, names: tuple[str, ...], addresses: tuple[str, ...]) -> bool:
    if not path.exists():
        return False
    try:
        cert = x509.load_pem_x509_certificates(path.read_bytes())[0]
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, x509.ExtensionNotFound):
        return False
    wanted = set(map(str, _san(names, addresses)))
    fresh = cert.not_valid_after_utc - RENEW_BEFORE > dt.datetime.now(dt.UTC)
    return fresh and wanted <= set(map(str, san))


def ensure_tls(
    folder: Path,
    site: str,
    names: tuple[str, ...] | None = None,
    addresses: tuple[str, ...] | None = None,
    provided: tuple[Path, Path] | None = None,
) -> TlsFiles:
    """Return the TLS files to serve with, creating the CA and (re)issuing the server certificate as needed.

    :param provided: IT's certificate chain and key; used as they are (checked to belong together).
    :raises TlsFilesInvalid: the provided files cannot be used.
    """
    if provided is not None:
        return _check_provided(*provided)
    if names is None or addresses is None:
        names, addresses = local_names()
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    ca_cert, ca_key = _load_or_make_ca(folder, site)
    if _server_is_current(cert_path, names, addresses) and key_path.exists():
        return TlsFiles(cert_path, key_path, folder / "ca.pem")
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0] if names else "ward")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=SERVER_DAYS))
        .add_extension(x509.SubjectAlternativeName(_san(names, addresses)), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write_private(key_path, _key_pem(key))
    chain = cert.public_bytes(serialization.Encoding.PEM) + ca_cert.public_bytes(serialization.Encoding.PEM)
    _write_private(cert_path, chain)
    os.chmod(cert_path, 0o644)
    return TlsFiles(cert_path, key_path, folder / "ca.pem")


def _check_provided(cert_path: Path, key_path: Path) -> TlsFiles:
    try:
        cert = x509.load_pem_x509_certificates(cert_path.read_bytes())[0]
        key = serialization.load_pem_private_key(key_path.read_bytes(), None)
    except (OSError, ValueError, TypeError) as err:
        raise TlsFilesInvalid(f"Cannot read the TLS certificate or key: {err}") from err
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if cert.public_key().public_bytes(serialization.Encoding.PEM, public) != key.public_key().public_bytes(
        serialization.Encoding.PEM, public
    ):
        raise TlsFilesInvalid(f"{key_path} is not the key of the certificate in {cert_path}.")
    return TlsFiles(cert_path, key_path, None)


def fingerprint(path: Path) -> str:
    """The SHA-256 fingerprint of the first certificate in ``path`` (what IT compares on a tablet)."""
    cert = x509.load_pem_x509_certificates(path.read_bytes())[0]
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()
