# Shared by bench/media-range and bench/publish-upload (sourced, not run): builds and starts the
# origin jar and a generated nginx on free loopback ports, and stops both on exit.
# shellcheck shell=bash

bench_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_pids=()

bench_cleanup() {
  for pid in "${bench_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${bench_pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "${nginx_prefix:-}" ] && [ -f "$nginx_prefix/nginx.pid" ]; then
    kill "$(cat "$nginx_prefix/nginx.pid")" 2>/dev/null || true
  fi
}
trap bench_cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_origin MEDIA_DIR DATA_DIR [extra args...] -> sets origin_port, origin_url
start_origin() {
  local media="$1" data="$2"
  shift 2
  (cd "$bench_root" && ./mvnw -B -q -pl cdn-server -am package -DskipTests) >&2
  local jar
  jar="$(ls "$bench_root"/cdn-server/target/cdn-server-*.jar | head -n 1)"
  origin_port="$(free_port)"
  origin_url="http://127.0.0.1:$origin_port"
  java ${SWARMCDN_JAVA_OPTS:-} -jar "$jar" --server.port="$origin_port" --server.address=127.0.0.1 \
    --swarmcdn.media-dir="$media" --swarmcdn.data-dir="$data" --swarmcdn.admin-token=bench-token \
    --logging.level.root=WARN "$@" > "$data.log" 2>&1 &
  bench_pids+=($!)
  for _ in $(seq 120); do
    curl -fs "$origin_url/actuator/health" > /dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "origin did not start (see $data.log)" >&2
  exit 1
}

# await_published REL_PATH: waits until the library has hashed and published the file
await_published() {
  for _ in $(seq 600); do
    curl -fs "$origin_url/api/v1/lookup?url=/media/$1" 2>/dev/null | grep -q '"status":"ready"' && return 0
    sleep 0.5
  done
  echo "$1 was not published" >&2
  exit 1
}

# start_nginx PREFIX SERVER_BLOCK_BODY -> sets nginx_port, nginx_url
start_nginx() {
  nginx_prefix="$1"
  mkdir -p "$nginx_prefix"
  nginx_port="$(free_port)"
  nginx_url="http://127.0.0.1:$nginx_port"
  local user=""
  # As root, nginx workers would run as nobody/www-data and could not write our temp folders.
  [ "$(id -u)" -ne 0 ] || user="user $(id -un) $(id -gn);"
  cat > "$nginx_prefix/nginx.conf" <<CONF
$user
worker_processes auto;
pid $nginx_prefix/nginx.pid;
error_log $nginx_prefix/error.log warn;
daemon on;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $nginx_prefix/body;
  proxy_temp_path $nginx_prefix/proxy;
  fastcgi_temp_path $nginx_prefix/fastcgi;
  uwsgi_temp_path $nginx_prefix/uwsgi;
  scgi_temp_path $nginx_prefix/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    $2
  }
}
CONF
  nginx -p "$nginx_prefix" -c "$nginx_prefix/nginx.conf"
}
