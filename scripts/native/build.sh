#!/usr/bin/env bash
# `npm run native:build`: makes the native TensorFlow backend (@tensorflow/tfjs-node, an optional
# dependency) work with no network. Its own install script downloads libtensorflow, which an
# air-gapped site cannot do; this script takes TensorFlow's C library from a tensorflow-cpu wheel
# (or a libtensorflow tarball) already on the machine, compiles tfjs-node's small binding against
# it, and checks the result with a real fedflow run. Running it again skips what is done.
# docs/native-backend.md explains what to copy to a site and why.
set -euo pipefail

TF_VERSION=${FEDFLOW_TF_VERSION:-2.21.0}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${FEDFLOW_NATIVE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fedflow-native}
WHEEL=${FEDFLOW_TF_WHEEL:-}
TARBALL=${FEDFLOW_LIBTENSORFLOW:-}
VERIFY=1

say() { echo "native:build: $*" >&2; }
die() {
  echo "native:build: error: $*" >&2
  exit 1
}
# Exit status 3: this machine cannot have the native backend (no TensorFlow library to build
# from, or a machine the library does not run on), as opposed to a build that went wrong (1).
cannot() {
  echo "native:build: cannot build here: $*" >&2
  exit 3
}
usage() {
  cat >&2 <<EOF
usage: npm run native:build -- [--wheel FILE | --libtensorflow FILE] [--no-verify]
Exit status: 0 built and checked; 3 this machine cannot have it (no library found, no AVX, old glibc); 1 failed.
  --wheel FILE          a tensorflow-cpu wheel (manylinux, x86_64), e.g. tensorflow_cpu-$TF_VERSION-*.whl
                        (or FEDFLOW_TF_WHEEL=FILE)
  --libtensorflow FILE  a libtensorflow-cpu-linux-x86_64-*.tar.gz (or FEDFLOW_LIBTENSORFLOW=FILE)
  --no-verify           skip the fedflow run that checks the result
Without either, it looks in $CACHE, then asks pip for tensorflow-cpu==$TF_VERSION
(pip's own configured index or local store; nothing else is downloaded).
EOF
}

while (($#)); do
  case $1 in
  --wheel) WHEEL=${2:?--wheel needs a file} && shift ;;
  --libtensorflow) TARBALL=${2:?--libtensorflow needs a file} && shift ;;
  --no-verify) VERIFY=0 ;;
  -h | --help) usage && exit 0 ;;
  *) usage && die "unknown argument '$1'" ;;
  esac
  shift
done

# The C library is built for x86-64 Linux with glibc 2.27+ (manylinux_2_27) and needs AVX;
# say so before a 270 MB extraction and a compile rather than with a loader error after them.
check_machine() {
  [[ $(uname -s) == Linux && $(uname -m) == x86_64 ]] ||
    cannot "TensorFlow's Linux C library needs x86_64 Linux; this is $(uname -s) $(uname -m)"
  local glibc
  glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}') ||
    cannot "getconf GNU_LIBC_VERSION names no glibc: glibc 2.27 or newer is needed"
  [[ $(printf '%s\n2.27\n' "$glibc" | sort -V | head -1) == 2.27 ]] ||
    cannot "glibc $glibc is too old: TensorFlow's library (manylinux_2_27) needs glibc 2.27 or newer"
  grep -qw avx /proc/cpuinfo ||
    cannot "this CPU has no AVX instructions, which TensorFlow's library requires; use the wasm backend"
  local tool
  for tool in g++ make python3 node npm; do
    command -v "$tool" >/dev/null || die "'$tool' is not installed: it is needed to compile the binding"
  done
  NODEDIR=${npm_config_nodedir:-$(npm config get nodedir 2>/dev/null || true)}
  [[ -n $NODEDIR && $NODEDIR != undefined ]] || NODEDIR=$(dirname "$(dirname "$(command -v node)")")
  [[ -f $NODEDIR/include/node/node_api.h ]] ||
    die "no Node.js headers in $NODEDIR/include/node (set npm_config_nodedir to a folder holding include/node/node_api.h)"
}

# Sets SOURCE and KIND (wheel or tarball).
find_tensorflow() {
  if [[ -n $WHEEL ]]; then
    [[ -f $WHEEL ]] || die "wheel '$WHEEL' does not exist"
    SOURCE=$WHEEL KIND=wheel
  elif [[ -n $TARBALL ]]; then
    [[ -f $TARBALL ]] || die "libtensorflow tarball '$TARBALL' does not exist"
    SOURCE=$TARBALL KIND=tarball
  else
    mkdir -p "$CACHE"
    SOURCE=$(compgen -G "$CACHE/tensorflow_cpu-$TF_VERSION-*manylinux*_x86_64.whl" | head -1 || true)
    if [[ -z $SOURCE ]]; then
      say "asking pip for tensorflow-cpu==$TF_VERSION (into $CACHE)"
      # The shared libraries do not depend on Python, so any CPython 3.11 wheel does.
      python3 -m pip download "tensorflow-cpu==$TF_VERSION" --no-deps --only-binary=:all: \
        --python-version 3.11 --platform manylinux_2_27_x86_64 --retries 1 --timeout 20 \
        -d "$CACHE" >&2 ||
        cannot "no tensorflow-cpu $TF_VERSION wheel: pip could not get one; pass --wheel FILE or --libtensorflow FILE"
      SOURCE=$(compgen -G "$CACHE/tensorflow_cpu-$TF_VERSION-*.whl" | head -1 || true)
      [[ -n $SOURCE ]] || die "pip reported success but left no wheel in $CACHE"
    fi
    KIND=wheel
  fi
  say "TensorFlow from $SOURCE"
}

# tfjs-node is in the lock file as an optional dependency whose failed install script made npm
# drop it; reinstall it without that script and without saving anything (package.json and
# package-lock.json stay as they are, so `npm ci` stays clean).
install_tfjs_node() {
  local want have
  want=$(node -p "require('$ROOT/package.json').optionalDependencies['@tensorflow/tfjs-node']")
  TFJS=$ROOT/node_modules/@tensorflow/tfjs-node
  have=$(node -p "require('$TFJS/package.json').version" 2>/dev/null || true)
  if [[ $have != "$want" ]] || ! PREGYP=$(node -p "require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp', { paths: ['$TFJS'] })" 2>/dev/null); then
    say "installing @tensorflow/tfjs-node@$want without its download script"
    (cd "$ROOT" && npm install --no-save --ignore-scripts --no-audit --no-fund "@tensorflow/tfjs-node@$want" >&2) ||
      die "npm could not install @tensorflow/tfjs-node@$want"
    PREGYP=$(node -p "require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp', { paths: ['$TFJS'] })")
  fi
}

# Lays the library out as tfjs-node's binding.gyp expects: deps/include for the C API headers,
# deps/lib for libtensorflow.so and libtensorflow_framework.so (the binding's rpath is
# $ORIGIN/../../deps/lib). The wheel names its library libtensorflow_cc.so.2; a link-time alias
# libtensorflow.so points at it, and the binding records the real name (its soname).
extract_tensorflow() {
  local deps=$TFJS/deps stamp
  stamp="$KIND $(basename "$SOURCE") $(stat -c %s "$SOURCE")"
  if [[ -f $deps/.fedflow-source && $(cat "$deps/.fedflow-source") == "$stamp" ]]; then
    say "TensorFlow library already in place ($deps)"
    return
  fi
  say "extracting the TensorFlow library and C headers"
  rm -rf "$deps" "$deps.new" && mkdir -p "$deps.new/lib"
  if [[ $KIND == wheel ]]; then
    python3 - "$SOURCE" "$deps.new" <<'EOF' || die "could not extract from the wheel $SOURCE (is it a tensorflow-cpu wheel?)"
import sys, zipfile, shutil, os
wheel, out = sys.argv[1], sys.argv[2]
libs = ['tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2']
headers = ('tensorflow/c/', 'tensorflow/core/platform/', 'tsl/', 'xla/tsl/')
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        rel = name[len('tensorflow/include/'):] if name.startswith('tensorflow/include/') else None
        if name in libs:
            target = os.path.join(out, 'lib', os.path.basename(name))
        elif rel and rel.startswith(headers) and not name.endswith('/'):
            target = os.path.join(out, 'include', rel)
        else:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(name) as src, open(target, 'wb') as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    missing = [l for l in libs if not os.path.exists(os.path.join(out, 'lib', os.path.basename(l)))]
    if missing: sys.exit(f'the wheel has no {", ".join(missing)}')
EOF
    ln -s libtensorflow_cc.so.2 "$deps.new/lib/libtensorflow.so"
    ln -s libtensorflow_framework.so.2 "$deps.new/lib/libtensorflow_framework.so"
  else
    tar -xzf "$SOURCE" -C "$deps.new" || die "could not extract the tarball $SOURCE"
    [[ -e $deps.new/lib/libtensorflow.so && -e $deps.new/lib/libtensorflow_framework.so ]] ||
      die "$SOURCE has no lib/libtensorflow.so and lib/libtensorflow_framework.so: is it a libtensorflow tarball?"
  fi
  echo "$stamp" >"$deps.new/.fedflow-source"
  mv "$deps.new" "$deps"
}

build_binding() {
  local binding log=$TFJS/build-from-source.log
  binding=$(compgen -G "$TFJS/lib/napi-v*/tfjs_binding.node" | head -1 || true)
  if [[ -n $binding && $binding -nt $TFJS/deps/.fedflow-source ]]; then
    say "binding already built ($binding)"
  else
    say "compiling the binding (log: $log)"
    if ! (cd "$TFJS" && node "$PREGYP" install --build-from-source --nodedir="$NODEDIR") >"$log" 2>&1; then
      grep -v '^gyp info' "$log" | tail -25 >&2
      die "the binding did not compile (whole log: $log)"
    fi
    binding=$(compgen -G "$TFJS/lib/napi-v*/tfjs_binding.node" | head -1)
  fi
  if ldd "$binding" | grep -q 'not found'; then
    ldd "$binding" | grep 'not found' >&2
    die "the binding cannot find its libraries"
  fi
  say "binding: $binding ($(stat -c %s "$binding") bytes)"
}

check_machine
find_tensorflow
install_tfjs_node
extract_tensorflow
build_binding
if ((VERIFY)); then
  [[ -f $ROOT/dist/cli/fedflow.js ]] || (cd "$ROOT" && npm run build >&2)
  node "$ROOT/scripts/native/verify.mjs"
fi
