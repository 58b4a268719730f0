#!/bin/sh
# Signalbox's orphan guard: one per function runtime. Signalbox writes "+ <pgid>" when a function
# instance starts and "- <pgid>" when it ends. When stdin closes (Signalbox stopped, crashed or was
# killed), every process group still listed is killed, so no function process outlives Signalbox.
trap '' INT TERM HUP
groups=' '
while read -r op pg; do
  case "$op" in
    +) groups="$groups$pg " ;;
    -) case "$groups" in *" $pg "*) groups="${groups%% "$pg" *} ${groups#* "$pg" }" ;; esac ;;
  esac
done
for pg in $groups; do kill -9 "-$pg" 2>/dev/null; done
exit 0
