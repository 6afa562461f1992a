#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# certs.sh DIR: the TLS material of machnetd's multi-host tests (selftests/net_*).
#
#   ca.pem ca.key                 the test CA every host trusts
#   alpha|bravo|charlie.pem/.key  host certificates: CN and SAN DNS = the name
#   mallory.pem/.key              signed by the CA, but a name no host lists
#   rogue-ca.pem                  another CA
#   rogue-bravo.pem/.key          CN=bravo, signed by the other CA
#
# EC P-256 keys: cheap to make here and cheap to handshake with under TCG.
# The files are remade only when missing, so repeated builds are quick.
set -euo pipefail
dir=${1:?usage: $0 DIR}
mkdir -p "$dir"
cd "$dir"
command -v openssl >/dev/null || { echo "certs.sh: openssl is not installed (apt-get install openssl)" >&2; exit 1; }
[ -f done ] && exit 0

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() { # NAME CN
	key "$1.key"
	openssl req -x509 -new -key "$1.key" -subj "/CN=$2" -days 3650 -sha256 \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
		-out "$1.pem" 2>/dev/null
}
host() { # FILE CN CA
	key "$1.key"
	openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr" 2>/dev/null
	printf 'subjectAltName=DNS:%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n' "$2" >"$1.ext"
	openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial \
		-days 3650 -sha256 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
	rm -f "$1.csr" "$1.ext"
}
ca ca "Mach IPC test CA"
ca rogue-ca "Some other CA"
for h in alpha bravo charlie mallory; do host "$h" "$h" ca; done
host rogue-bravo bravo rogue-ca
rm -f ./*.srl rogue-ca.key
touch done
