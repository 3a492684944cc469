// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>

#include "secdef.h"

#define P(t) BPF_PROG_TYPE_##t
#define DEF(S, T, A, F, K) { S, P(T), A, F, BB_ATTACH_##K }

/* Order matters: more specific names come before their prefixes. */
static const struct bb_secdef secdefs[] = {
	DEF("socket", SOCKET_FILTER, 0, 0, SOCKET),
	DEF("sk_reuseport/migrate", SK_REUSEPORT,
	    BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, 0, NONE),
	DEF("sk_reuseport", SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT, 0, NONE),
	DEF("kprobe+", KPROBE, 0, 0, KPROBE),
	DEF("uprobe+", KPROBE, 0, 0, UPROBE),
	DEF("uprobe.s+", KPROBE, 0, BB_SEC_SLEEPABLE, UPROBE),
	DEF("kretprobe+", KPROBE, 0, 0, KPROBE),
	DEF("uretprobe+", KPROBE, 0, 0, UPROBE),
	DEF("uretprobe.s+", KPROBE, 0, BB_SEC_SLEEPABLE, UPROBE),
	DEF("kprobe.multi+", KPROBE, BPF_TRACE_KPROBE_MULTI, 0, KPROBE),
	DEF("kretprobe.multi+", KPROBE, BPF_TRACE_KPROBE_MULTI, 0, KPROBE),
	DEF("ksyscall+", KPROBE, 0, 0, KSYSCALL),
	DEF("kretsyscall+", KPROBE, 0, 0, KSYSCALL),
	DEF("usdt+", KPROBE, 0, 0, USDT),
	DEF("tc", SCHED_CLS, 0, 0, TC),
	DEF("classifier", SCHED_CLS, 0, 0, TC),
	DEF("action", SCHED_ACT, 0, 0, NONE),
	DEF("tracepoint+", TRACEPOINT, 0, 0, TP),
	DEF("tp+", TRACEPOINT, 0, 0, TP),
	DEF("raw_tracepoint+", RAW_TRACEPOINT, 0, 0, RAW_TP),
	DEF("raw_tp+", RAW_TRACEPOINT, 0, 0, RAW_TP),
	DEF("raw_tracepoint.w+", RAW_TRACEPOINT_WRITABLE, 0, 0, RAW_TP),
	DEF("raw_tp.w+", RAW_TRACEPOINT_WRITABLE, 0, 0, RAW_TP),
	DEF("tp_btf+", TRACING, BPF_TRACE_RAW_TP, BB_SEC_ATTACH_BTF, TRACE),
	DEF("fentry+", TRACING, BPF_TRACE_FENTRY, BB_SEC_ATTACH_BTF, TRACE),
	DEF("fmod_ret+", TRACING, BPF_MODIFY_RETURN, BB_SEC_ATTACH_BTF, TRACE),
	DEF("fexit+", TRACING, BPF_TRACE_FEXIT, BB_SEC_ATTACH_BTF, TRACE),
	DEF("fentry.s+", TRACING, BPF_TRACE_FENTRY,
	    BB_SEC_ATTACH_BTF | BB_SEC_SLEEPABLE, TRACE),
	DEF("fmod_ret.s+", TRACING, BPF_MODIFY_RETURN,
	    BB_SEC_ATTACH_BTF | BB_SEC_SLEEPABLE, TRACE),
	DEF("fexit.s+", TRACING, BPF_TRACE_FEXIT,
	    BB_SEC_ATTACH_BTF | BB_SEC_SLEEPABLE, TRACE),
	DEF("freplace+", EXT, 0, BB_SEC_ATTACH_BTF, TRACE),
	DEF("lsm+", LSM, BPF_LSM_MAC, BB_SEC_ATTACH_BTF, LSM),
	DEF("lsm.s+", LSM, BPF_LSM_MAC, BB_SEC_ATTACH_BTF | BB_SEC_SLEEPABLE,
	    LSM),
	DEF("lsm_cgroup+", LSM, BPF_LSM_CGROUP, BB_SEC_ATTACH_BTF, NONE),
	DEF("iter+", TRACING, BPF_TRACE_ITER, BB_SEC_ATTACH_BTF, ITER),
	DEF("iter.s+", TRACING, BPF_TRACE_ITER,
	    BB_SEC_ATTACH_BTF | BB_SEC_SLEEPABLE, ITER),
	DEF("syscall", SYSCALL, 0, BB_SEC_SLEEPABLE, NONE),
	DEF("xdp.frags/devmap", XDP, BPF_XDP_DEVMAP, BB_SEC_XDP_FRAGS, NONE),
	DEF("xdp/devmap", XDP, BPF_XDP_DEVMAP, 0, NONE),
	DEF("xdp.frags/cpumap", XDP, BPF_XDP_CPUMAP, BB_SEC_XDP_FRAGS, NONE),
	DEF("xdp/cpumap", XDP, BPF_XDP_CPUMAP, 0, NONE),
	DEF("xdp.frags", XDP, BPF_XDP, BB_SEC_XDP_FRAGS, XDP),
	DEF("xdp", XDP, BPF_XDP, 0, XDP),
	DEF("perf_event", PERF_EVENT, 0, 0, PERF_EVENT),
	DEF("lwt_in", LWT_IN, 0, 0, NONE),
	DEF("lwt_out", LWT_OUT, 0, 0, NONE),
	DEF("lwt_xmit", LWT_XMIT, 0, 0, NONE),
	DEF("lwt_seg6local", LWT_SEG6LOCAL, 0, 0, NONE),
	DEF("sockops", SOCK_OPS, BPF_CGROUP_SOCK_OPS, 0, CGROUP),
	DEF("sk_skb/stream_parser", SK_SKB, BPF_SK_SKB_STREAM_PARSER, 0, NONE),
	DEF("sk_skb/stream_verdict", SK_SKB, BPF_SK_SKB_STREAM_VERDICT, 0,
	    NONE),
	DEF("sk_skb", SK_SKB, 0, 0, NONE),
	DEF("sk_msg", SK_MSG, BPF_SK_MSG_VERDICT, 0, NONE),
	DEF("lirc_mode2", LIRC_MODE2, BPF_LIRC_MODE2, 0, NONE),
	DEF("flow_dissector", FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, 0, NONE),
	DEF("cgroup_skb/ingress", CGROUP_SKB, BPF_CGROUP_INET_INGRESS, 0,
	    CGROUP),
	DEF("cgroup_skb/egress", CGROUP_SKB, BPF_CGROUP_INET_EGRESS, 0,
	    CGROUP),
	DEF("cgroup/skb", CGROUP_SKB, 0, 0, NONE),
	DEF("cgroup/sock_create", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, 0,
	    CGROUP),
	DEF("cgroup/sock_release", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE,
	    0, CGROUP),
	DEF("cgroup/sock", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, 0, CGROUP),
	DEF("cgroup/post_bind4", CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND, 0,
	    CGROUP),
	DEF("cgroup/post_bind6", CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND, 0,
	    CGROUP),
	DEF("cgroup/bind4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND, 0, CGROUP),
	DEF("cgroup/bind6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND, 0, CGROUP),
	DEF("cgroup/connect4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, 0,
	    CGROUP),
	DEF("cgroup/connect6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, 0,
	    CGROUP),
	DEF("cgroup/sendmsg4", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG, 0,
	    CGROUP),
	DEF("cgroup/sendmsg6", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG, 0,
	    CGROUP),
	DEF("cgroup/recvmsg4", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG, 0,
	    CGROUP),
	DEF("cgroup/recvmsg6", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG, 0,
	    CGROUP),
	DEF("cgroup/getpeername4", CGROUP_SOCK_ADDR,
	    BPF_CGROUP_INET4_GETPEERNAME, 0, CGROUP),
	DEF("cgroup/getpeername6", CGROUP_SOCK_ADDR,
	    BPF_CGROUP_INET6_GETPEERNAME, 0, CGROUP),
	DEF("cgroup/getsockname4", CGROUP_SOCK_ADDR,
	    BPF_CGROUP_INET4_GETSOCKNAME, 0, CGROUP),
	DEF("cgroup/getsockname6", CGROUP_SOCK_ADDR,
	    BPF_CGROUP_INET6_GETSOCKNAME, 0, CGROUP),
	DEF("cgroup/sysctl", CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, 0, CGROUP),
	DEF("cgroup/getsockopt", CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, 0,
	    CGROUP),
	DEF("cgroup/setsockopt", CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT, 0,
	    CGROUP),
	DEF("cgroup/dev", CGROUP_DEVICE, BPF_CGROUP_DEVICE, 0, CGROUP),
	DEF("struct_ops+", STRUCT_OPS, 0, 0, NONE),
	DEF("sk_lookup", SK_LOOKUP, BPF_SK_LOOKUP, 0, NONE),
};

/*
 * "name+" matches "name" exactly or "name/anything"; other entries
 * match exactly. This is libbpf's strict (1.0) matching.
 */
static bool secdef_matches(const struct bb_secdef *def, const char *name)
{
	size_t len = strlen(def->sec);

	if (def->sec[len - 1] != '+')
		return strcmp(name, def->sec) == 0;
	len--;
	if (strncmp(name, def->sec, len))
		return false;
	return name[len] == '\0' || name[len] == '/';
}

const struct bb_secdef *bb_secdef_find(const char *sec_name)
{
	size_t i;

	for (i = 0; i < sizeof(secdefs) / sizeof(secdefs[0]); i++)
		if (secdef_matches(&secdefs[i], sec_name))
			return &secdefs[i];
	return NULL;
}

const char *bb_secdef_target(const struct bb_secdef *def, const char *sec_name)
{
	size_t len;

	if (!def)
		return NULL;
	len = strlen(def->sec);
	if (def->sec[len - 1] == '+')
		len--;
	if (strncmp(sec_name, def->sec, len) || sec_name[len] != '/')
		return NULL;
	return sec_name[len + 1] ? sec_name + len + 1 : NULL;
}
