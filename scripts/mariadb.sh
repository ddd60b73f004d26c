#!/usr/bin/env bash
# Makes sure the MariaDB/MySQL server the tests use answers. The DSN comes from
# $OPENCART_XERO_TEST_DSN (default root@tcp(127.0.0.1:3306)/). When nothing
# answers on a local address, installs mariadb-server if missing (Debian, as
# root) and starts it. Fails with a clear message where that is impossible.
set -euo pipefail
dsn=${OPENCART_XERO_TEST_DSN:-root@tcp(127.0.0.1:3306)/}
addr=$(printf '%s' "$dsn" | sed -n 's/.*@tcp(\([^)]*\)).*/\1/p')
host=${addr%:*}; port=${addr##*:}
[ -n "$host" ] || { echo "mariadb: cannot read host:port from OPENCART_XERO_TEST_DSN=$dsn (expected user@tcp(host:port)/)" >&2; exit 1; }
[ "$port" != "$host" ] || port=3306

answers() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }

if answers; then exit 0; fi
case "$host" in
  127.0.0.1|localhost|::1) ;;
  *) echo "mariadb: nothing answers at $host:$port (OPENCART_XERO_TEST_DSN); start that server or unset the variable to use a local one" >&2; exit 1 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
  echo "mariadb: no MySQL server answers at $host:$port and this is not root, so none can be installed or started; start one (e.g. sudo service mariadb start) or set OPENCART_XERO_TEST_DSN" >&2
  exit 1
fi
if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
  echo "mariadb: installing mariadb-server" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server >/dev/null
fi
echo "mariadb: starting the server" >&2
mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql >/dev/null 2>&1 \
  || service mariadb start >/dev/null 2>&1 || true
for _ in $(seq 1 60); do
  if answers; then exit 0; fi
  sleep 0.5
done
echo "mariadb: started mariadbd but nothing answers at $host:$port after 30 s; see /var/log/mysql/ or journalctl" >&2
exit 1
