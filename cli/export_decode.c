// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export: label decoders (export_decode.h). Everything a decoder
 * needs from the kernel is taken at open, while the process still has
 * its capabilities: /proc/kallsyms (its addresses read as 0 without
 * CAP_SYSLOG), the syscall table (an iterator: CAP_BPF), an fd on the
 * cgroup2 mount (walked again later through that fd). Decoding is then
 * lookups in memory, and for cgroups at most one walk a second.
 *
 * This file: open/close, the dispatch by decoder, and the decoders that
 * are a table or a format (errno, hex, the syscall names); the kallsyms
 * table is export_ksym.c, the cgroup cache export_cgroup.c (what they
 * share: export_decode_int.h).
 *
 * Not thread-safe: the exporter decodes from its one serving thread.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/types.h>

#include "bpfbox.h"
#include "err.h"
#include "export_decode.h"
#include "export_decode_int.h"
#include "../tools/syscall_names.h"

#define DEC_BIT(k)	(1u << (k))
/* the decoders proper: NONE and DROP decode nothing */
#define DEC_REAL	(DEC_BIT(EXPORT_DEC_KSYM) | DEC_BIT(EXPORT_DEC_SYSCALL) | \
			 DEC_BIT(EXPORT_DEC_ERRNO) | DEC_BIT(EXPORT_DEC_CGROUP) | \
			 DEC_BIT(EXPORT_DEC_HEX))
#define DEC_KNOWN	(DEC_REAL | DEC_BIT(EXPORT_DEC_NONE) | \
			 DEC_BIT(EXPORT_DEC_DROP))

#define KALLSYMS	"/proc/kallsyms"

struct export_decoders {
	unsigned int open;	/* DEC_BIT()s that were prepared */
	struct export_ksym_table ksym;
	struct syscall_table *sys;
	struct export_cgroup cg;
};

static const char *const dec_names[] = {
	[EXPORT_DEC_NONE] = "none",	[EXPORT_DEC_KSYM] = "ksym",
	[EXPORT_DEC_SYSCALL] = "syscall", [EXPORT_DEC_ERRNO] = "errno",
	[EXPORT_DEC_CGROUP] = "cgroup",	[EXPORT_DEC_HEX] = "hex",
	[EXPORT_DEC_DROP] = "drop",
};

/* snprintf into out: 0, or -ENOSPC when it does not fit (still NUL-ended) */
__attribute__((format(printf, 3, 4)))
int export_decode_put(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (!len)
		return -ENOSPC;
	va_start(ap, fmt);
	w = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	if (w < 0) {
		out[0] = '\0';
		return -EINVAL;
	}
	return (size_t)w >= len ? -ENOSPC : 0;
}

/* a value the decoder does not know: the number, and -ENOENT */
int export_decode_unknown(char *out, size_t len, int64_t v, bool is_unsigned)
{
	int err = is_unsigned ?
		  export_decode_put(out, len, "%" PRIu64, (uint64_t)v) :
		  export_decode_put(out, len, "%" PRId64, v);

	return err ? err : -ENOENT;
}

/* ---- errno ---- */

#define E(x) [x] = #x
static const char *const errno_names[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV),
	E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK),
	E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK),
	E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM), E(ECHRNG),
	E(EL2NSYNC), E(EL3HLT), E(EL3RST), E(ELNRNG), E(EUNATCH), E(ENOCSI),
	E(EL2HLT), E(EBADE), E(EBADR), E(EXFULL), E(ENOANO), E(EBADRQC),
	E(EBADSLT), E(EBFONT), E(ENOSTR), E(ENODATA), E(ETIME), E(ENOSR),
	E(ENONET), E(ENOPKG), E(EREMOTE), E(ENOLINK), E(EADV), E(ESRMNT),
	E(ECOMM), E(EPROTO), E(EMULTIHOP), E(EDOTDOT), E(EBADMSG),
	E(EOVERFLOW), E(ENOTUNIQ), E(EBADFD), E(EREMCHG), E(ELIBACC),
	E(ELIBBAD), E(ELIBSCN), E(ELIBMAX), E(ELIBEXEC), E(EILSEQ),
	E(ERESTART), E(ESTRPIPE), E(EUSERS), E(ENOTSOCK), E(EDESTADDRREQ),
	E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT), E(EPROTONOSUPPORT),
	E(ESOCKTNOSUPPORT), E(EOPNOTSUPP), E(EPFNOSUPPORT), E(EAFNOSUPPORT),
	E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH),
	E(ENETRESET), E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS), E(EISCONN),
	E(ENOTCONN), E(ESHUTDOWN), E(ETOOMANYREFS), E(ETIMEDOUT),
	E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH), E(EALREADY),
	E(EINPROGRESS), E(ESTALE), E(EUCLEAN), E(ENOTNAM), E(ENAVAIL),
	E(EISNAM), E(EREMOTEIO), E(EDQUOT), E(ENOMEDIUM), E(EMEDIUMTYPE),
	E(ECANCELED), E(ENOKEY), E(EKEYEXPIRED), E(EKEYREVOKED),
	E(EKEYREJECTED), E(EOWNERDEAD), E(ENOTRECOVERABLE), E(ERFKILL),
	E(EHWPOISON),
};
#undef E

/*
 * The kernel's own codes (include/linux/errno.h, not in the uapi), which
 * a program tracing the kernel sees: a syscall interrupted by a signal
 * returns -ERESTARTSYS to the tracepoint before it is translated.
 */
#define KERRNO_BASE	512
static const char *const kerrno_names[] = {
	"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD",
	"ERESTART_RESTARTBLOCK", "EPROBE_DEFER", "EOPENSTALE", "ENOPARAM",
	NULL, "EBADHANDLE", "ENOTSYNC", "EBADCOOKIE", "ENOTSUPP", "ETOOSMALL",
	"ESERVERFAULT", "EBADTYPE", "EJUKEBOX", "EIOCBQUEUED",
	"ERECALLCONFLICT", "ENOGRACE",
};

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static const char *errno_name(int64_t v)
{
	uint64_t e;

	/* -v would overflow for INT64_MIN: compare before negating */
	if (v < -4095 || v > 4095)
		return NULL;
	e = (uint64_t)(v < 0 ? -v : v);
	if (e < ARRAY_LEN(errno_names))
		return errno_names[e];
	if (e >= KERRNO_BASE && e - KERRNO_BASE < ARRAY_LEN(kerrno_names))
		return kerrno_names[e - KERRNO_BASE];
	return NULL;
}

/* ---- the interface ---- */

void export_decoders_close(struct export_decoders *d)
{
	if (!d)
		return;
	export_ksym_free(&d->ksym);
	syscall_names_free(d->sys);
	export_cgroup_close(&d->cg);
	free(d);
}

int export_decoders_open(unsigned int need, struct export_decoders **out)
{
	struct export_decoders *d;
	int err = 0;

	*out = NULL;
	if (need & ~DEC_KNOWN)
		return bb_err(EINVAL, "label decoders: unknown decoder bits 0x%x",
			      need & ~DEC_KNOWN);
	d = calloc(1, sizeof(*d));
	if (!d)
		return bb_err(ENOMEM, "label decoders: out of memory");
	d->cg.root_fd = -1;
	if (need & DEC_BIT(EXPORT_DEC_KSYM))
		err = export_ksym_load(&d->ksym, KALLSYMS);
	if (!err && need & DEC_BIT(EXPORT_DEC_SYSCALL)) {
		err = syscall_names_load(&d->sys);
		if (err)
			err = bb_err_wrap(err, "syscall decoder");
	}
	if (!err && need & DEC_BIT(EXPORT_DEC_CGROUP))
		err = export_cgroup_open(&d->cg);
	if (err) {
		export_decoders_close(d);
		return err;
	}
	d->open = need & DEC_REAL;
	*out = d;
	return 0;
}

static int not_open(enum export_decoder k, int64_t v, char *out, size_t len)
{
	unsigned int i = (unsigned int)k;

	if (len)
		export_decode_put(out, len, "%" PRId64, v);
	if (i < ARRAY_LEN(dec_names) && k != EXPORT_DEC_NONE &&
	    k != EXPORT_DEC_DROP)
		return bb_err(EINVAL, "label decoder %s was not prepared (export_decoders_open without it)",
			      dec_names[i]);
	return bb_err(EINVAL, "label decoder %s: not a decoder",
		      i < ARRAY_LEN(dec_names) ? dec_names[i] : "(unknown)");
}

int export_decode(struct export_decoders *d, enum export_decoder k,
		  int64_t v, char *out, size_t len)
{
	const char *name;

	if (!d || (unsigned int)k >= 32 || !(d->open & DEC_BIT(k)))
		return not_open(k, v, out, len);
	switch (k) {
	case EXPORT_DEC_KSYM:
		return export_ksym_lookup(&d->ksym, (uint64_t)v, out, len);
	case EXPORT_DEC_SYSCALL:
		name = v >= 0 && v < SN_MAX_NR ?
		       syscall_name(d->sys, (int)v) : NULL;
		return name ? export_decode_put(out, len, "%s", name) :
			      export_decode_unknown(out, len, v, false);
	case EXPORT_DEC_ERRNO:
		name = errno_name(v);
		return name ? export_decode_put(out, len, "%s", name) :
			      export_decode_unknown(out, len, v, false);
	case EXPORT_DEC_CGROUP:
		return export_cgroup_decode(&d->cg, (uint64_t)v, out, len);
	case EXPORT_DEC_HEX:
		return export_decode_put(out, len, "0x%" PRIx64, (uint64_t)v);
	default:
		return not_open(k, v, out, len);
	}
}
