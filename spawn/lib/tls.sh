# spawn/lib/tls.sh: the namespace topology's certificates (sourced by
# spawn/lib.sh).  Between hosts every connection is encrypted and checked
# as it would be between real machines: PostgreSQL's (the workers', the
# listeners' and the standbys' replication) with sslmode=verify-full and a
# client certificate, the load balancer's HTTPS.  The stack makes its own
# test certificate authority in TLS_DIR; on real hosts the same files come
# from the organisation's CA (README, "On real hosts").
#
#   ca.crt ca.key          the test CA (ten years; its key never leaves here)
#   db.crt db.key ...      each database host: DNS name HOST.reviews.test
#                          and its address; keys owned by postgres
#   reviews.crt .key       the service's client certificate (CN reviews,
#                          PostgreSQL's cert authentication maps it to the
#                          role): workers and listeners, owned by RUN_AS
#   replicator.crt .key    the standbys' (CN replicator), owned by postgres
#   lb.crt lb.key          NGINX's HTTPS: localhost and 127.0.0.1

TLS_DOMAIN=reviews.test

# tls_name HOST: a database host's DNS name (the certificate's, and the
# host= of every connection string; hostaddr= gives its address).
tls_name() { echo "$1.$TLS_DOMAIN"; }

# tls_issue NAME OWNER SUBJECT_CN SAN: a key and a certificate the CA
# signed, unless both exist.  OWNER reads the key (mode 0600, as libpq
# and PostgreSQL require).
tls_issue() {
	local name=$1 owner=$2 cn=$3 san=$4 d=$TLS_DIR
	if [ ! -f "$d/$name.crt" ] || [ ! -f "$d/$name.key" ]; then
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
			-nodes -keyout "$d/$name.key" -subj "/CN=$cn" -out "$d/$name.csr" \
			2>>"$LOG_DIR/tls.log" &&
		openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
			-CAcreateserial -days 825 -sha256 -out "$d/$name.crt" \
			-extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$san") \
			2>>"$LOG_DIR/tls.log" ||
			die "cannot issue $name's certificate: see $LOG_DIR/tls.log"
		rm -f "$d/$name.csr"
	fi
	chmod 0600 "$d/$name.key"
	chmod 0644 "$d/$name.crt"
	[ "$(id -u)" != 0 ] || [ -z "$owner" ] || chown "$owner" "$d/$name.key"
}

# tls_up DBHOSTS...: the CA and every certificate the topology needs.
tls_up() {
	local h
	command -v openssl >/dev/null || die "the namespace topology needs openssl"
	mkdir -p "$TLS_DIR" "$LOG_DIR"
	chmod 0755 "$TLS_DIR"
	if [ ! -f "$TLS_DIR/ca.crt" ] || [ ! -f "$TLS_DIR/ca.key" ]; then
		(umask 077; openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
			-nodes -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.crt" -days 3650 \
			-subj "/CN=reviews stack test CA" 2>>"$LOG_DIR/tls.log") ||
			die "cannot make the test CA: see $LOG_DIR/tls.log"
		chmod 0644 "$TLS_DIR/ca.crt"
	fi
	for h in "$@"; do
		tls_issue "$h" "$PG_USER" "$(tls_name "$h")" \
			"DNS:$(tls_name "$h"),IP:$(netns_ip "$h")"
	done
	tls_issue reviews "$RUN_AS" reviews "DNS:reviews"
	tls_issue replicator "$PG_USER" replicator "DNS:replicator"
	tls_issue lb "" localhost "DNS:localhost,IP:127.0.0.1,IP:$LB_IP"
}

# tls_conninfo USER: the libpq settings a client of USER's certificate adds.
tls_conninfo() {
	echo "sslmode=verify-full sslrootcert=$TLS_DIR/ca.crt sslcert=$TLS_DIR/$1.crt sslkey=$TLS_DIR/$1.key"
}

# tls_pg_opts HOST: the server settings of database host HOST.
tls_pg_opts() {
	echo "-c ssl=on -c ssl_cert_file=$TLS_DIR/$1.crt -c ssl_key_file=$TLS_DIR/$1.key -c ssl_ca_file=$TLS_DIR/ca.crt"
}
