#!/usr/bin/env bash
# Create DEVELOPMENT update keys in DIR: a CA (its certificate is the box's keyring) and a signing key/certificate
# issued by it. Production keys are made the same way on an offline machine that IT keeps; only ca.cert.pem goes
# into images, and only the signing key ever signs bundles.   usage: make-keys.sh DIR [NAME]
set -euo pipefail
dir=$1 name=${2:-dev}
mkdir -p "$dir" && chmod 700 "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=Ward update CA ($name)" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
  -keyout "$dir/ca.key.pem" -out "$dir/ca.cert.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=Ward update signing ($name)" \
  -keyout "$dir/signing.key.pem" -out "$dir/signing.csr" 2>/dev/null
openssl x509 -req -in "$dir/signing.csr" -CA "$dir/ca.cert.pem" -CAkey "$dir/ca.key.pem" -CAcreateserial \
  -days 1825 -extfile <(printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n') \
  -out "$dir/signing.cert.pem" 2>/dev/null
rm -f "$dir/signing.csr"
