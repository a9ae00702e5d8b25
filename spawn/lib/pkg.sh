# spawn/lib/pkg.sh: Debian packages and the build (sourced by spawn/lib.sh).

# Debian packages the stack needs to build, run, test and measure (python3:
# spawn/bench-report).
PKG_STACK="build-essential autoconf automake pkg-config libfcgi-dev
	spawn-fcgi multiwatch libpq-dev libcjson-dev check nginx postgresql-15
	postgresql-client-15 curl jq valgrind procps clang libclang-rt-14-dev
	iproute2 wrk python3"

# pkg_need [PACKAGE...]: install what is missing of PKG_STACK and the
# packages named (as root), else say the exact line.
pkg_need() {
	local missing=() p
	for p in $PKG_STACK "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	# Any NGINX flavour will do.
	if [[ " ${missing[*]} " == *" nginx "* ]] && command -v nginx >/dev/null; then
		missing=("${missing[@]/nginx/}")
	fi
	missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		die "missing packages; run as root: apt-get install -y ${missing[*]}"
	fi
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	# Debian's nginx and postgresql packages start system services where
	# systemd runs; the stack runs its own and never depends on those.
	apt-get install -y -qq "${missing[@]}" >/dev/null
}

# pkg_build: configure once, then make (quick when nothing changed).
pkg_build() {
	if [ ! -x "$ROOT/configure" ] || [ "$ROOT/configure.ac" -nt "$ROOT/configure" ] ||
	   [ "$ROOT/Makefile.am" -nt "$ROOT/Makefile.in" ]; then
		say "autoreconf"
		(cd "$ROOT" && autoreconf -fi >/dev/null 2>&1) || die "autoreconf failed"
	fi
	mkdir -p "$BUILD_DIR"
	if [ ! -f "$BUILD_DIR/Makefile" ] || [ "$ROOT/configure" -nt "$BUILD_DIR/Makefile" ]; then
		say "configure"
		(cd "$BUILD_DIR" && "$ROOT/configure" --enable-werror ${CONFIGURE_FLAGS:-} >configure.out 2>&1) ||
			die "configure failed: see $BUILD_DIR/configure.out"
	fi
	make -C "$BUILD_DIR" -j"$NCPU" >"$BUILD_DIR/make.out" 2>&1 ||
		{ tail -30 "$BUILD_DIR/make.out" >&2; die "build failed: see $BUILD_DIR/make.out"; }
}
