#!/usr/bin/env bash
# Makes sure a RabbitMQ answers at $AMQP_HOST:$AMQP_PORT (default 127.0.0.1:5672): starts the
# local rabbitmq-server if it is installed and stopped; otherwise says how to get one.
# `--vhost NAME` also creates the virtual host NAME (guest may use it) if it is missing:
# `make run` gives the demo its own vhost, so that its RPC queues are never shared with another
# copy of the suite (the tests, another checkout) on the same broker.
host=${AMQP_HOST:-127.0.0.1}; port=${AMQP_PORT:-5672}
vhost=""
if [ "${1:-}" = "--vhost" ]; then vhost=${2:?usage: ensure_rabbitmq.sh [--vhost NAME]}; fi
up() { (echo > "/dev/tcp/$host/$port") >/dev/null 2>&1; }
ensure_vhost() {
  [ -z "$vhost" ] && return 0
  if ! command -v rabbitmqctl >/dev/null 2>&1; then
    echo "rabbitmqctl is missing: create the vhost '$vhost' yourself (rabbitmqctl add_vhost $vhost; rabbitmqctl set_permissions -p $vhost guest '.*' '.*' '.*') or set AMQP_URI." >&2
    return 1
  fi
  if ! rabbitmqctl -q list_vhosts 2>/dev/null | grep -qx "$vhost"; then
    rabbitmqctl -q add_vhost "$vhost" >/dev/null || { echo "Could not create the vhost '$vhost'." >&2; return 1; }
    echo "RabbitMQ vhost '$vhost' created for the demo."
  fi
  rabbitmqctl -q set_permissions -p "$vhost" guest ".*" ".*" ".*" >/dev/null
}
up && { ensure_vhost; exit $?; }
if command -v rabbitmq-server >/dev/null 2>&1; then
  echo "RabbitMQ is not answering on $host:$port: starting the local rabbitmq-server..."
  rabbitmq-server -detached >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do up && { echo "RabbitMQ is up."; ensure_vhost; exit $?; }; sleep 1; done
  echo "RabbitMQ did not come up within 60 s (see /var/log/rabbitmq/)." >&2; exit 1
fi
echo "No RabbitMQ on $host:$port. Install one (sudo apt-get install rabbitmq-server) or run 'docker compose up -d rabbitmq'." >&2
exit 1
