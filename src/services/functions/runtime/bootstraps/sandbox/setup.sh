#!/bin/sh
# Runs inside a fresh mount namespace (unshare --mount), before the function's runtime starts:
#   setup.sh <mount> <instance tmp> <private|shared> <read-only mount>... -- <read-only tree>... -- <command> [args...]
# private: the instance's tmp folder becomes /tmp (AWS's private /tmp).
# shared:  Signalbox's own files live under /tmp, so /tmp stays (writable) and TMPDIR points at
#          the instance's folder; the code and layer trees ("read-only trees") are then made
#          read-only one by one, since /tmp holds them.
# Every listed mount becomes read-only, so the function writes to its tmp folder and nowhere else
# on disk. Nothing done here is seen outside the namespace.
mount_bin=$1 tmp=$2 mode=$3
shift 3
if [ "$mode" = private ]; then
  "$mount_bin" --bind "$tmp" /tmp || exit 125
else
  "$mount_bin" --bind "$tmp" "$tmp" && "$mount_bin" --bind /tmp /tmp || exit 125
fi
while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
  "$mount_bin" -o remount,bind,ro "$1" || exit 125
  shift
done
shift
while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
  "$mount_bin" --bind "$1" "$1" && "$mount_bin" -o remount,bind,ro "$1" || exit 125
  shift
done
shift
exec "$@"
