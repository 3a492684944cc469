# Canonical layouts of the named structs and unions of a raw BTF dump
# (bpfbox/bpftool `btf dump ... format raw`): one line each,
#   KIND NAME size=N vlen=N 'member' bits_offset=N [bitfield_size=N] ...
# with type ids left out (they differ between two BTFs of the same
# types) and libbpf's ___N suffixes for clashing names taken off.
function flush() {
	if (rec != "")
		print rec
	rec = ""
}
/^\[/ {
	flush()
	if (($2 == "STRUCT" || $2 == "UNION") && $3 != "'(anon)'") {
		name = $3
		sub(/___[0-9]+'$/, "'", name)
		rec = $2 " " name " " $4 " " $5
	}
	next
}
/^\t/ && rec != "" {
	line = $0
	sub(/^\t/, "", line)
	gsub(/ type_id=[0-9]+/, "", line)
	rec = rec " " line
}
END { flush() }
