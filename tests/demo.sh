#!/bin/sh
# make run: load the demo object, show what the kernel now holds, clean up.
BPFBOX=${1:-build/bpfbox}
OBJ=${2:-build/progs/demo.bpf.o}
PIN=/sys/fs/bpf/bpfbox_demo_$$
set -e
echo "== bpfbox prog loadall $OBJ $PIN"
"$BPFBOX" prog loadall "$OBJ" "$PIN"
trap 'rm -rf "$PIN"' EXIT
for p in "$PIN"/*; do
	echo "== bpfbox prog show pinned $p"
	"$BPFBOX" prog show pinned "$p"
	echo "== bpfbox prog dump xlated pinned $p"
	"$BPFBOX" prog dump xlated pinned "$p"
done
echo "== bpfbox map show"
"$BPFBOX" map show
