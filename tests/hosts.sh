# tests/hosts.sh: the app hosts of a namespace stack, for the suites that
# ask each host directly (cluster.sh, replicas.sh; sourced after lib.sh,
# with ctl running tests/stackctl).  hosts: app1...; addr[HOST]: where its
# current pool listens.  Requests go over FastCGI (cgi-fcgi), with NGINX's
# METRICS_ALLOWED, as NGINX would pass them from loopback.
mapfile -t hosts < <(ctl host_list)
declare -A addr
for _h in "${hosts[@]}"; do
	addr[$_h]=$(ctl host_addr "$_h" "$(ctl host_slot "$_h")")
done
unset _h
fcgi() {	# fcgi HOST METHOD PATH [QUERY]: the body one host answers
	env -i REQUEST_METHOD="$2" REQUEST_PATH="$3" QUERY_STRING="${4:-}" METRICS_ALLOWED=1 \
		cgi-fcgi -bind -connect "${addr[$1]}" 2>/dev/null | sed 's/\r$//; 1,/^$/d'
}
metric_of() {	# metric_of HOST NAME: one host's summed metric
	fcgi "$1" GET /metrics | awk -v n="$2" '$1 == n {print $2}'
}
fcgi_head() {	# fcgi_head HOST PATH QUERY: the headers one host answers
	env -i REQUEST_METHOD=GET REQUEST_PATH="$2" QUERY_STRING="${3:-}" \
		cgi-fcgi -bind -connect "${addr[$1]}" 2>/dev/null | sed 's/\r$//; /^$/q'
}
list_of() {	# list_of HOST PRODUCT: its newest list, retried through a 503
	local b
	for _ in $(seq 1 100); do
		b=$(fcgi "$1" GET /reviews "product_id=$2&sort=newest&count=3")
		[[ "$b" == '{"product"'* ]] && { echo "$b"; return; }
		sleep 0.1
	done
}
# seed_products PRODUCT...: three reviews each (ratings 1, 2, 3, bodies
# "seed $RUN K ..."), through the load balancer.
seed_products() {
	local p k
	for p in "$@"; do
		for k in 1 2 3; do
			post "$(jq -cn --arg r "$RUN" --argjson p "$p" --argjson k "$k" '{product_id: $p, rating: $k, body: ("seed " + $r + " " + ($k|tostring) + " " + ("s" * 40)),
				summary: "seed", recommend: true, name: "s", email: "s@example.com"}')"
			[ "$STATUS" = 201 ] || bad "seeding product $p: $STATUS $BODY"
		done
	done
}
