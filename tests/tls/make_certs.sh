#!/usr/bin/env bash
# tests/tls/make_certs.sh DIR: throwaway TLS material for one run, made with the openssl
# command and never committed: a CA (ca.crt), a server certificate for 127.0.0.1 and localhost
# signed by it (server.crt/.key), a client certificate signed by it (client.crt/.key), and a
# second CA the server does not trust (other-ca.crt/.key) with a client certificate it signed
# (other-client.crt/.key), for the refusals.
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
quiet() { "$@" >/dev/null 2>&1 || { echo "make_certs.sh: $* failed" >&2; "$@"; exit 1; }; }
quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=cachet test CA"
quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.crt -days 2 -subj "/CN=cachet other CA"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > server.ext
quiet openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost"
quiet openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile server.ext
quiet openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=cachet test client"
quiet openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 2
quiet openssl req -newkey rsa:2048 -nodes -keyout other-client.key -out other-client.csr -subj "/CN=cachet stranger"
quiet openssl x509 -req -in other-client.csr -CA other-ca.crt -CAkey other-ca.key -CAcreateserial -out other-client.crt -days 2
chmod 600 ./*.key
