# spawn/lib/host.sh: the app hosts of a stack (sourced by spawn/lib.sh).
#
# A stack has one app host "local" (its pool on a Unix socket beside
# NGINX) or app hosts app1..appN (network namespaces, pools on TCP; see
# spawn/lib/netns.sh).  $RUN_DIR/hosts/HOST records a host's pool as
# "SLOT WORKERS".  Each host has two pool addresses, slots a and b: to
# change a worker count the new pool starts in the free slot, NGINX moves
# to it by a graceful reload, and only then the old pool stops
# (pool_scale in spawn/lib/pool.sh).

APP_PORT=${APP_PORT:-9000}	# slot a; slot b listens on APP_PORT + 1

# host_list: the hosts this stack runs, in order (none before `up`).
host_list() {
	[ -d "$RUN_DIR/hosts" ] && ls "$RUN_DIR/hosts" | sort -V
}

# host_servers: how many app hosts in namespaces (0: the local host).
host_servers() {
	host_list | grep -c '^app' || true
}

# host_slot HOST / host_workers HOST: from the host's record.
host_slot() { cut -d' ' -f1 "$RUN_DIR/hosts/$1"; }
host_workers() { cut -d' ' -f2 "$RUN_DIR/hosts/$1"; }

# host_addr HOST SLOT: where that pool listens, as NGINX's server names it.
host_addr() {
	local port=$APP_PORT sock=$RUN_DIR/reviews.sock
	[ "$2" = b ] && port=$((APP_PORT + 1)) sock=$RUN_DIR/reviews-b.sock
	if [ "$1" = local ]; then
		echo "unix:$sock"
	else
		echo "$(netns_ip "$1"):$port"
	fi
}

# host_min_workers: the fewest workers any host has (keepalive sizing).
host_min_workers() {
	local h m=
	for h in $(host_list); do
		[ -z "$m" ] || [ "$(host_workers "$h")" -lt "$m" ] && m=$(host_workers "$h")
	done
	echo "${m:-$WORKERS}"
}
