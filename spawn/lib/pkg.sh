# spawn/lib/pkg.sh: Debian packages and the build (sourced by spawn/lib.sh).

# Debian packages the stack needs, by what for (pkg_need says so before
# it installs any).
PKG_BUILD="build-essential autoconf automake pkg-config libfcgi-dev libpq-dev
	libcjson-dev check"
PKG_RUN="spawn-fcgi multiwatch nginx postgresql-15 postgresql-client-15 procps
	iproute2 curl"
PKG_TEST="jq valgrind clang libclang-rt-14-dev wrk libfcgi-bin nodejs npm luajit
	python3 chromium"
PKG_STACK="$PKG_BUILD $PKG_RUN $PKG_TEST"

# pkg_why PACKAGE: what the stack needs it for.
pkg_why() {
	case " $(echo $PKG_BUILD) " in *" $1 "*) echo "build"; return ;; esac
	case " $(echo $PKG_RUN) " in *" $1 "*) echo "run"; return ;; esac
	case $1 in
	valgrind) echo "test: the workers' memory check" ;;
	clang | libclang-rt-*) echo "test: the fuzz harnesses (libFuzzer)" ;;
	wrk) echo "test: load during faults, bench" ;;
	libfcgi-bin) echo "test: cgi-fcgi, one app host asked directly" ;;
	nodejs) echo "test: the k6 and wrk load scripts checked, the OpenAPI and ui suites" ;;
	npm) echo "test: the OpenAPI suite's linter and validator (tests/openapi), the ui suite's browser driver (tests/ui)" ;;
	chromium) echo "test: the ui suite's headless browser (the moderation page)" ;;
	luajit) echo "test: the k6 and wrk load scripts checked" ;;
	python3) echo "bench: its reports" ;;
	gnuplot-nox) echo "bench: its plots" ;;
	jq) echo "test: JSON in the suites" ;;
	*) echo "${PKG_WHY:-the command}" ;;
	esac
}

# pkg_need [PACKAGE...]: install what is missing of PKG_STACK and the
# packages named (as root), saying what and why and showing progress,
# without Recommends; else (not root) say the exact line and stop.
pkg_need() {
	local missing=() p log
	for p in $PKG_STACK "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	# Any NGINX flavour will do.
	if [[ " ${missing[*]} " == *" nginx "* ]] && command -v nginx >/dev/null; then
		missing=("${missing[@]/nginx/}")
	fi
	# Any npm will do: a Node.js from elsewhere (NodeSource's nodejs
	# package) brings its own and conflicts with Debian's.
	if [[ " ${missing[*]} " == *" npm "* ]] && command -v npm >/dev/null; then
		missing=("${missing[@]/npm/}")
	fi
	missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
	[ ${#missing[@]} -eq 0 ] && { [ -n "${PKG_QUIET:-}" ] || say "packages: all there"; return 0; }
	if [ "$(id -u)" != 0 ]; then
		die "missing packages; run as root: apt-get install -y --no-install-recommends ${missing[*]}"
	fi
	say "packages: installing ${#missing[@]} missing Debian packages (without Recommends):"
	for p in "${missing[@]}"; do printf '    %-22s %s\n' "$p" "$(pkg_why "$p")" >&2; done
	log=$(mktemp /tmp/reviews-apt.XXXXXX)
	export DEBIAN_FRONTEND=noninteractive
	say "packages: apt-get update (log $log)"
	apt-get update -q >>"$log" 2>&1 || { tail -5 "$log" >&2; die "apt-get update failed: see $log"; }
	# Debian's nginx and postgresql packages start system services where
	# systemd runs; the stack runs its own and never depends on those.
	apt-get install -y --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" 2>>"$log" |
		tee -a "$log" | awk '
		/ newly installed/ { total = $3 + 0; printf "    %d packages with what they depend on\n", total; fflush() }
		/^Get:[0-9]+/ { got++; if (got % 25 == 0) { printf "    downloaded %d of %d\n", got, total; fflush() } }
		/^Setting up / { set++; if (set % 10 == 0 || set == total) { printf "    set up %d of %d (%s)\n", set, total, $3; fflush() } }' >&2
	[ "${PIPESTATUS[0]}" = 0 ] || { tail -10 "$log" >&2; die "apt-get install failed: see $log"; }
	say "packages: installed (log $log)"
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
	local n
	n=$(grep -cE '^ +(CC|CCLD|AR|GEN) ' "$BUILD_DIR/make.out" || true)
	[ -n "${PKG_QUIET:-}" ] || if [ "$n" -gt 0 ]; then say "build: $n steps in $BUILD_DIR"; else say "build: up to date"; fi
}
