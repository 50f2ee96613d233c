#!/usr/bin/env bash
# Makes sure PostgreSQL answers on 127.0.0.1:5432 for the tests; starts the local cluster if it
# is installed and stopped.
up() { (echo > /dev/tcp/127.0.0.1/5432) >/dev/null 2>&1; }
up && exit 0
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  echo "PostgreSQL is not answering: starting the local cluster..."
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 30); do up && { echo "PostgreSQL is up."; exit 0; }; sleep 1; done
fi
echo "No PostgreSQL on 127.0.0.1:5432 (the tests need one: sudo apt-get install postgresql)." >&2
exit 1
