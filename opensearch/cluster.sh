#!/usr/bin/env bash
# A local OpenSearch cluster for development and the tests: `cluster.sh start [NODES]` builds the
# launcher (Maven, once), starts NODES nodes (1 or 2) on 127.0.0.1 and waits until the cluster is
# healthy; `cluster.sh stop` stops them. Pids, logs and data live under $BRIEVEN_OPENSEARCH_HOME
# (default .opensearch/, kept out of git; the indexes stay between starts). HTTP on 9200, 9201; transport on 9300, 9301.
set -euo pipefail
cd "$(dirname "$0")"
HOME_DIR="${BRIEVEN_OPENSEARCH_HOME:-$(cd .. && pwd)/.opensearch}"
HTTP_BASE="${BRIEVEN_OPENSEARCH_HTTP_PORT:-9200}"
TRANSPORT_BASE="${BRIEVEN_OPENSEARCH_TRANSPORT_PORT:-9300}"
HEAP="${BRIEVEN_OPENSEARCH_HEAP:-512m}"   # per node: the machine is small and shared
WAIT="${BRIEVEN_OPENSEARCH_WAIT:-180}"    # seconds to wait for a healthy cluster

build() {
  if [ ! -f target/brieven-opensearch-node-1.0.jar ] || [ pom.xml -nt target/brieven-opensearch-node-1.0.jar ] \
     || [ src/main/java/nl/brieven/opensearch/LocalNode.java -nt target/brieven-opensearch-node-1.0.jar ]; then
    echo "Building the OpenSearch launcher (Maven downloads OpenSearch 2.19 the first time)"
    mvn -q -B package -DskipTests
  fi
}

start() {
  local nodes="${1:-1}"
  build
  mkdir -p "$HOME_DIR"
  # the data stays between starts of a cluster of the same size; another size starts afresh
  # (a single node and a two-node cluster cannot share their cluster state)
  if [ -f "$HOME_DIR/nodes" ] && [ "$(cat "$HOME_DIR/nodes")" != "$nodes" ]; then
    stop
    rm -rf "$HOME_DIR"/node-*
  fi
  echo "$nodes" > "$HOME_DIR/nodes"
  local seeds="-" masters="" i
  if [ "$nodes" -gt 1 ]; then
    seeds=""
    for ((i = 0; i < nodes; i++)); do
      seeds="${seeds:+$seeds,}$((TRANSPORT_BASE + i))"
      masters="${masters:+$masters,}node-$i"
    done
  fi
  for ((i = 0; i < nodes; i++)); do
    local dir="$HOME_DIR/node-$i"
    if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
      echo "node-$i is already running (pid $(cat "$dir/pid"))"; continue
    fi
    mkdir -p "$dir/config"
    touch "$dir/config/opensearch.yml"
    java -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -Dlog4j2.disable.jmx=true -Dopensearch.set.netty.runtime.available.processors=false \
      -cp "target/brieven-opensearch-node-1.0.jar:target/lib/*" nl.brieven.opensearch.LocalNode \
      "$dir" "node-$i" "$((HTTP_BASE + i))" "$((TRANSPORT_BASE + i))" "$seeds" "${masters:--}" \
      > "$dir/node.log" 2>&1 &
    echo $! > "$dir/pid"
    echo "started node-$i (pid $!, http://127.0.0.1:$((HTTP_BASE + i)), log $dir/node.log)"
  done
  local url="http://127.0.0.1:$HTTP_BASE/_cluster/health?wait_for_nodes=$nodes&wait_for_status=yellow&timeout=5s"
  local waited=0
  until curl -sf "$url" >/dev/null 2>&1; do
    for ((i = 0; i < nodes; i++)); do
      if ! kill -0 "$(cat "$HOME_DIR/node-$i/pid")" 2>/dev/null; then
        echo "node-$i stopped while starting; its log ($HOME_DIR/node-$i/node.log) ends with:" >&2
        tail -n 20 "$HOME_DIR/node-$i/node.log" >&2
        exit 1
      fi
    done
    if [ "$waited" -ge "$WAIT" ]; then
      echo "OpenSearch did not become healthy within ${WAIT}s; see $HOME_DIR/node-*/node.log" >&2
      exit 1
    fi
    sleep 2; waited=$((waited + 2))
  done
  echo "OpenSearch is up: BRIEVEN_OPENSEARCH_URL=http://127.0.0.1:$HTTP_BASE ($nodes node(s), ${waited}s)"
}

stop() {
  local pidfile pid
  for pidfile in "$HOME_DIR"/node-*/pid; do
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      echo "stopped $(basename "$(dirname "$pidfile")") (pid $pid)"
    fi
    rm -f "$pidfile"
  done
}

case "${1:-}" in
  start) start "${2:-1}" ;;
  stop) stop ;;
  build) build ;;
  *) echo "usage: $0 start [NODES] | stop | build" >&2; exit 2 ;;
esac
