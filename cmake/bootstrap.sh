# Shared by ./main.sh and ./test.sh: install what a fresh Debian bookworm lacks
# (python3: a workflows test reads report.json and timeline.json with it),
# configure and build. Sourced, not run.

CT_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CT_PACKAGES=(cmake make gcc pkg-config liblttng-ust-dev lttng-tools liblttng-ctl-dev
	libbabeltrace2-dev babeltrace2 libjansson-dev gnuplot-nox python3 pigz
	dpkg-dev lintian man-db)

ct_say() { printf '\n==> %s\n' "$*" >&2; }

# Install the Debian packages that are missing (as root, or through sudo).
ct_install_deps() {
	local missing=() p
	for p in "${CT_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		ct_say "Debian packages: all present"
		return 0
	fi
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	ct_say "Installing missing Debian packages: ${missing[*]}"
	$sudo apt-get update -qq || return 1
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" || return 1
}

# ct_build BUILD_DIR [cmake -D options...]
ct_build() {
	local dir=$1
	shift
	ct_say "Building in $dir $*"
	mkdir -p "$dir" || return 1
	cmake -S "$CT_TOP" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$dir/configure.log" 2>&1 ||
		{ cat "$dir/configure.log" >&2; return 1; }
	cmake --build "$dir" -j "$(nproc)"
}
