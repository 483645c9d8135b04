# Sourced by the other scripts: installs the Debian packages Strata needs when
# any is missing, and sets up ccache. Safe to run again: it installs nothing
# when everything is present.

STRATA_PACKAGES=(
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  cmake ninja-build ccache libgtest-dev libomp-22-dev libopenblas0-pthread
  libonnx-dev libprotobuf-dev libonnx-testdata
  python3-numpy python3-onnx python3-pytest python3-torch python3-torchvision
  valgrind python3-dev pybind11-dev python3-matplotlib libclang-rt-22-dev
  python3-sklearn
)

strata_missing_packages() {
  local missing=()
  for pkg in "${STRATA_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  echo "${missing[@]:-}"
}

missing=$(strata_missing_packages)
if [ -n "$missing" ]; then
  echo "strata: installing missing packages: $missing" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -q >&2
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q $missing >&2
fi

# ccache keys on relative paths so that a fresh clone elsewhere hits the cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}"
export CCACHE_NOHASHDIR=1
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-5G}"
