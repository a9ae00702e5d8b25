# spawn/lib/nginx.sh: the stack's NGINX: its configs rendered from nginx/,
# and the NGINX that reads them (sourced by spawn/lib.sh).

# nginx_keepalive WORKERS: idle upstream connections per NGINX worker.
# DESIGN.md's trap: all NGINX workers' idle connections together must pin
# fewer workers than the pool has, or new connections hang.  Measured here
# (README, "Performance"): a second trap below that bound.  A cached
# connection is always reused before a queued new one is accepted, so with
# a big cache the queued requests starve (p99 1.6 s at keepalive 4 x 2 for
# 16 workers).  One cached connection per 8 workers per NGINX worker keeps
# most of keepalive's gain and the tail short.
nginx_keepalive() {
	local k=$(($1 / (8 * NGINX_WORKERS)))
	[ "$k" -lt 1 ] && [ "$1" -gt "$NGINX_WORKERS" ] && k=1
	echo "$k"
}

# nginx_render: the stack's NGINX configs in CONF_DIR, with an upstream of
# its hosts' current pools.
nginx_render() {
	local tmpl=upstream-local.conf.in
	mkdir -p "$CONF_DIR" "$RUN_DIR" "$LOG_DIR"
	local cert= key=
	if [ "$(host_servers)" -gt 0 ]; then
		tmpl=upstream-lb.conf.in cert=$TLS_DIR/lb.crt key=$TLS_DIR/lb.key
	fi
	TLS_CERT=$cert TLS_KEY=$key SERVER_LINES=$(nginx_servers) MIN_POOL=$(host_min_workers) nginx_write "$tmpl"
}

# nginx_servers: the upstream's server lines, one per host's current pool.
# A server that fails is skipped for fail_timeout, then tried again: a host
# that comes back rejoins by itself.  The single local pool is listed twice
# and never marked failed: NGINX passes a failed read on only to another
# server line (a worker SIGKILLed mid-request would otherwise cost that
# read), and a 503 while the database is away must not take the only pool
# out ("no live upstreams").
nginx_servers() {
	local h a
	for h in $(host_list); do
		a=$(host_addr "$h" "$(host_slot "$h")")
		if [ "$h" = local ]; then
			printf '\tserver %s max_fails=0;\n' "$a" "$a"
		else
			printf '\tserver %s max_fails=1 fail_timeout=%s;\n' "$a" "${FAIL_TIMEOUT:-2s}"
		fi
	done
}

# nginx_write UPSTREAM_TEMPLATE: render every file of nginx/ into OUT_DIR
# (default CONF_DIR, where NGINX reads them) for NGINX_WORKERS workers in
# front of SERVER_LINES (upstream server lines), the smallest of which has
# MIN_POOL workers.  A real load balancer is rendered by the same function
# (spawn/lb).
nginx_write() {
	local tmpl=$1 out=${OUT_DIR:-$CONF_DIR} ka cors o f
	mkdir -p "$out"
	ka=$(nginx_keepalive "$MIN_POOL")
	if [ "$ka" -ge 1 ]; then
		R_KEEPALIVE_LINE="keepalive $ka;"
	else
		R_KEEPALIVE_LINE="# pool too small for kept-alive connections"
	fi
	if [ "${CORS_ORIGINS:-*}" = "*" ]; then
		cors='		default "*";'
	else
		cors='		default "";'
		for o in $CORS_ORIGINS; do
			cors+=$'\n'"		\"$o\" \$http_origin;"
		done
	fi
	# HTTPS beside HTTP when there is a certificate (TLS_CERT, TLS_KEY;
	# the namespace topology's from its test CA, spawn/lib/tls.sh).
	R_TLS_LINES="	# no HTTPS: no TLS_CERT"
	if [ -n "${TLS_CERT:-}" ]; then
		R_TLS_LINES="	listen ${HTTPS_LISTEN:-127.0.0.1:$HTTPS_PORT} ssl reuseport;
	ssl_certificate $TLS_CERT;
	ssl_certificate_key $TLS_KEY;
	ssl_protocols TLSv1.2 TLSv1.3;
	ssl_session_cache shared:tls:10m;"
	fi
	export R_TLS_LINES
	R_NGINX_USER=
	[ -n "$RUN_AS" ] && R_NGINX_USER="user $RUN_AS $(id -gn "$RUN_AS");"
	R_ACCESS_LOG="access_log off;"
	[ -n "${ACCESS_LOG:-}" ] && R_ACCESS_LOG="access_log $ACCESS_LOG upstream buffer=4k flush=100ms;"
	# METRICS_ALLOW: addresses or CIDRs that may read /metrics.
	local m metrics=
	for m in ${METRICS_ALLOW:-127.0.0.1 ::1}; do
		metrics+=$'\t\t'"$m"$'\t1;\n'
	done
	export R_METRICS_ALLOW=${metrics%$'\n'}
	export R_KEEPALIVE_LINE R_NGINX_USER R_ACCESS_LOG R_CORS_MAP=$cors \
		R_NGINX_WORKERS=$NGINX_WORKERS R_RUN_DIR=$RUN_DIR R_LOG_DIR=$LOG_DIR \
		R_CONF_DIR=$CONF_DIR R_LISTEN=${LISTEN:-127.0.0.1:$PORT} R_SERVERS=$SERVER_LINES \
		R_WRITE_RATE=${WRITE_RATE:-20r/s} R_WRITE_BURST=${WRITE_BURST:-40}
	for f in nginx.conf server.conf; do
		nginx_fill "$ROOT/nginx/$f.in" >"$out/$f"
	done
	nginx_fill "$ROOT/nginx/$tmpl" >"$out/upstream.conf"
	for f in fastcgi.conf errors.conf error-pages.conf headers.conf ui.conf; do
		nginx_fill "$ROOT/nginx/$f" >"$out/$f"
	done
	# The moderation page's files, served by NGINX itself (ui.conf): a
	# copy beside the configs, readable by NGINX's workers wherever the
	# checkout is.
	mkdir -p "$out/ui"
	install -m 0644 "$ROOT"/nginx/ui/index.html "$ROOT"/nginx/ui/moderation.js \
		"$ROOT"/nginx/ui/moderation.css "$out/ui/"
}

# nginx_fill FILE: fill each @NAME@ placeholder with $R_NAME; one that has
# no value is an error, never left in a config.
nginx_fill() {
	perl -pe 's/\@([A-Z_]+)\@/exists $ENV{"R_$1"} ? $ENV{"R_$1"} : die "$ARGV: no value for \@$1\@\n"/ge' "$1"
}

nginx_pid() {
	local pid
	[ -f "$RUN_DIR/nginx.pid" ] || return 1
	pid=$(cat "$RUN_DIR/nginx.pid")
	kill -0 "$pid" 2>/dev/null || return 1
	echo "$pid"
}

# nginx_up: start our NGINX (its own -c and -p), or reload it.
nginx_up() {
	nginx -t -q -p "$STACK_DIR" -c "$CONF_DIR/nginx.conf" 2>"$LOG_DIR/nginx-test.log" ||
		{ cat "$LOG_DIR/nginx-test.log" >&2; die "NGINX config does not load"; }
	# NGINX's own notices ("signal process started") go to a log.
	if nginx_pid >/dev/null; then
		nginx -p "$STACK_DIR" -c "$CONF_DIR/nginx.conf" -s reload 2>>"$LOG_DIR/nginx-signal.log" ||
			{ tail -3 "$LOG_DIR/nginx-signal.log" >&2; die "NGINX did not reload"; }
		# Old workers hand over their listening sockets within moments.
		sleep 0.5
		[ -n "${NGINX_QUIET:-}" ] || say "nginx: reloaded"
	else
		nginx -p "$STACK_DIR" -c "$CONF_DIR/nginx.conf" 2>>"$LOG_DIR/nginx-signal.log" ||
			die "NGINX did not start: see $LOG_DIR/nginx-error.log"
		[ -n "${NGINX_QUIET:-}" ] || say "nginx: started on 127.0.0.1:$PORT"
	fi
}

# nginx_settle: after a reload, wait (up to 30 s) until the old workers have
# finished their requests and exited; their kept-alive upstream connections
# close with them.
nginx_settle() {
	local pid i
	pid=$(nginx_pid) || return 0
	for i in $(seq 1 300); do
		pgrep -P "$pid" -f 'shutting down' >/dev/null || return 0
		sleep 0.1
	done
	say "old NGINX workers still finishing requests after 30 s"
}

nginx_down() {
	local pid i
	pid=$(nginx_pid) || return 0
	kill -QUIT "$pid"
	for i in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -TERM "$pid" 2>/dev/null || true
}

# nginx_wait_healthy SECONDS: until /healthz answers 200 through NGINX.
nginx_wait_healthy() {
	local i
	for i in $(seq 1 $(($1 * 10))); do
		curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
