#!/usr/bin/env bash
# Makes sure a RabbitMQ answers at $AMQP_HOST:$AMQP_PORT (default 127.0.0.1:5672): starts the
# local rabbitmq-server if it is installed and stopped; otherwise says how to get one.
host=${AMQP_HOST:-127.0.0.1}; port=${AMQP_PORT:-5672}
up() { (echo > "/dev/tcp/$host/$port") >/dev/null 2>&1; }
up && exit 0
if command -v rabbitmq-server >/dev/null 2>&1; then
  echo "RabbitMQ is not answering on $host:$port: starting the local rabbitmq-server..."
  rabbitmq-server -detached >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do up && { echo "RabbitMQ is up."; exit 0; }; sleep 1; done
  echo "RabbitMQ did not come up within 60 s (see /var/log/rabbitmq/)." >&2; exit 1
fi
echo "No RabbitMQ on $host:$port. Install one (sudo apt-get install rabbitmq-server) or run 'docker compose up -d rabbitmq'." >&2
exit 1
