#!/usr/bin/env bash
# Start the PostgreSQL server the test suite needs when it is not already answering.
set -euo pipefail
# RabbitMQ for the broker backend's tests (SW_EXCHANGE_BACKEND=rabbitmq): started when installed and down,
# its application started again if a test left it stopped.
if command -v rabbitmq-server >/dev/null 2>&1 && ! rabbitmq-diagnostics -q check_running >/dev/null 2>&1; then
  if rabbitmqctl -q status >/dev/null 2>&1; then
    rabbitmqctl -q start_app
  else
    rabbitmq-server -detached
  fi
  for _ in $(seq 1 60); do
    rabbitmq-diagnostics -q check_running >/dev/null 2>&1 && break
    sleep 1
  done
fi
# The portal's browser tests drive Debian's Chromium (never a downloaded browser build).
# Noto CJK lets its screenshots show Chinese.
if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
fi
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && exit 0
  sleep 1
done
echo "PostgreSQL is not answering on 127.0.0.1:5432; the suite runs every database test on it" >&2
exit 1
