# spawn/lib/netns.sh: the multi-host topology on one machine (sourced by
# spawn/lib.sh).  The app hosts app1..appN, the database host db and its
# standbys db2..dbM+1 are network namespaces, each with one veth link to a
# bridge; the load balancer is this machine itself, on the bridge's
# address.  Nothing but addresses differs from real hosts: the pools
# listen on TCP, the workers reach PostgreSQL over TCP (TLS: tls.sh), the
# standbys stream from the primary over TCP, NGINX reaches the pools over
# TCP.
#
# Names and addresses come from PORT, so two stacks (the test stack, say)
# never share them: namespaces rv$PORT-app1 ..., bridge rv$PORT-br, subnet
# 10.(PORT/256).(PORT%256).0/24 with the load balancer on .1, app host i on
# .10+i, the database host on .20 and database host dbK on .19+K.

netns_init() {
	NET_TAG=rv$PORT
	NET_PREFIX=10.$(((PORT >> 8) & 255)).$((PORT & 255))
	NET_BRIDGE=$NET_TAG-br
	LB_IP=$NET_PREFIX.1
	DB_IP=$NET_PREFIX.20
}

netns_of() { echo "$NET_TAG-$1"; }		# netns_of HOST
netns_ip() {					# netns_ip HOST (appN or db)
	case $1 in
	db) echo "$NET_PREFIX.20" ;;
	db[0-9]*) echo "$NET_PREFIX.$((19 + ${1#db}))" ;;
	app*) echo "$NET_PREFIX.$((10 + ${1#app}))" ;;
	*) return 1 ;;
	esac
}

# netns_up N [S]: the bridge, the database host, S standby hosts and N
# app hosts (kept when they exist).  Fails, saying why, where namespaces cannot be made: there
# is no fallback to a single host.
netns_up() {
	local n=$1 h ns hosts
	hosts="db $(seq -f 'db%g' 2 $((${2:-0} + 1))) $(seq -f 'app%g' 1 "$n")"
	mkdir -p "$LOG_DIR"
	command -v ip >/dev/null || die "--servers needs the ip command (package iproute2)"
	if ! ip link show "$NET_BRIDGE" >/dev/null 2>&1; then
		if ip route show | grep -q "^$NET_PREFIX\.0/24 "; then
			die "subnet $NET_PREFIX.0/24 is already routed on this machine: pick another PORT"
		fi
		ip link add "$NET_BRIDGE" type bridge forward_delay 0 2>"$LOG_DIR/netns.log" ||
			die "cannot create a bridge: $(cat "$LOG_DIR/netns.log") (needs root, CAP_NET_ADMIN)"
		ip addr add "$LB_IP/24" dev "$NET_BRIDGE"
		ip link set "$NET_BRIDGE" up
	fi
	for h in $hosts; do
		ns=$(netns_of "$h")
		[ -e "/run/netns/$ns" ] && continue
		ip netns add "$ns" 2>"$LOG_DIR/netns.log" ||
			die "cannot create network namespace $ns: $(cat "$LOG_DIR/netns.log")"
		ip link add "$ns" type veth peer name eth0 netns "$ns"
		ip link set "$ns" master "$NET_BRIDGE" up
		ip -n "$ns" addr add "$(netns_ip "$h")/24" dev eth0
		ip -n "$ns" link set eth0 up
		ip -n "$ns" link set lo up
	done
	# The bridge forwards between its ports only once they are up.
	for h in $hosts; do
		netns_ping "$h" "$LB_IP" || die "host $h cannot reach $LB_IP: see 'ip -n $(netns_of "$h") addr'"
	done
}

# netns_ping HOST IP: one host reaches an address (up to 3 s).
netns_ping() {
	local i out
	for i in $(seq 1 30); do
		# Nothing listens on port 1: "refused" means the address answered.
		out=$(timeout 1 ip netns exec "$(netns_of "$1")" bash -c "exec 3<>/dev/tcp/$2/1" 2>&1)
		[[ $out == *refused* ]] && return 0
		sleep 0.1
	done
	return 1
}

# netns_down: every namespace and link of this stack (their processes must
# be stopped first: a namespace outlives its name while they run).
netns_down() {
	local ns
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NET_TAG-" || true); do
		ip netns del "$ns"
	done
	ip link del "$NET_BRIDGE" 2>/dev/null || true
}

# netns_link HOST up|down: plug or unplug one host's network cable.
netns_link() {
	ip -n "$(netns_of "$1")" link set eth0 "$2"
}
