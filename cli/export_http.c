// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpfbox export: the HTTP server, as small as Prometheus allows. No
 * HTTP library links statically here, so this is its own code, and
 * deliberately narrow:
 *   - HTTP/1.0 and 1.1 request line and headers, nothing else: the
 *     headers are read (up to max_request bytes) and ignored, a body is
 *     never read; one request per connection (Connection: close);
 *   - GET only (405 otherwise), of /metrics and / (404 otherwise);
 *   - a connection has timeout_ms from its accept to send its headers
 *     (408 after), and as long to take the answer; at most max_conns
 *     at a time (503 to the next ones), all served from one ppoll loop,
 *     so a slow client never holds up a scrape;
 *   - anything malformed (NUL or control bytes, a request line that is
 *     not METHOD SP /TARGET SP HTTP/1.x) is a 400 (export_req.c judges).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bpfbox.h"
#include "err.h"
#include "export.h"

#define MAX_CHAN_FDS	64	/* event channels polled with the sockets */

struct conn {
	int fd;			/* -1: free slot */
	char *buf;
	size_t len;
	long long deadline;	/* ms, CLOCK_MONOTONIC */
	bool closing;		/* answered: reading what is left, then close */
	size_t drained;
};

struct export_http {
	int lfd;
	struct sockaddr_storage addr;
	struct export_http_opts o;
	struct conn *c;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* "IPv4:PORT", "[IPv6]:PORT", "localhost:PORT" */
static int parse_addr(const char *s, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	const char *colon = strrchr(s, ':');
	char host[64], *end;
	unsigned long port;
	size_t n;

	if (!colon || colon == s || !colon[1])
		return -EINVAL;
	n = colon - s;
	if (n >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || *end || port > 65535 || colon[1] < '0' || colon[1] > '9')
		return -EINVAL;
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && n > 2 && host[n - 1] == ']') {
		host[n - 1] = '\0';
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		return inet_pton(AF_INET6, host + 1, &in6->sin6_addr) == 1 ?
		       0 : -EINVAL;
	}
	if (!strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	in4->sin_family = AF_INET;
	in4->sin_port = htons(port);
	return inet_pton(AF_INET, host, &in4->sin_addr) == 1 ? 0 : -EINVAL;
}

int export_http_listen(const char *addr, const struct export_http_opts *o,
		       struct export_http **out)
{
	struct export_http *h = calloc(1, sizeof(*h));
	socklen_t alen;
	size_t i;
	int one = 1, err;

	if (!h)
		return -ENOMEM;
	h->o = *o;
	h->lfd = -1;
	h->c = calloc(o->max_conns, sizeof(*h->c));
	if (!h->c) {
		err = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < o->max_conns; i++)
		h->c[i].fd = -1;
	if (parse_addr(addr, &h->addr)) {
		err = bb_err(-EINVAL, "--listen %s: expected ADDR:PORT, e.g. 127.0.0.1:9435 or [::1]:9435 (numeric addresses only)",
			     addr);
		goto fail;
	}
	h->lfd = socket(h->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
			SOCK_CLOEXEC, 0);
	if (h->lfd < 0) {
		err = bb_err(-errno, "--listen %s: socket: %s", addr,
			     strerror(errno));
		goto fail;
	}
	setsockopt(h->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	alen = h->addr.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
					       sizeof(struct sockaddr_in);
	if (bind(h->lfd, (struct sockaddr *)&h->addr, alen) ||
	    listen(h->lfd, 64)) {
		err = bb_err(-errno, "--listen %s: %s%s", addr, strerror(errno),
			     errno == EADDRINUSE ? " (another exporter on this port? pick one with --listen)" : "");
		goto fail;
	}
	/* port 0: the one the kernel chose */
	getsockname(h->lfd, (struct sockaddr *)&h->addr, &alen);
	*out = h;
	return 0;
fail:
	export_http_close(h);
	return err;
}

void export_http_addr(const struct export_http *h, char *buf, size_t len)
{
	const struct sockaddr_in *in4 = (const void *)&h->addr;
	const struct sockaddr_in6 *in6 = (const void *)&h->addr;
	char ip[INET6_ADDRSTRLEN] = "?";

	if (h->addr.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, ntohs(in6->sin6_port));
		return;
	}
	inet_ntop(AF_INET, &in4->sin_addr, ip, sizeof(ip));
	snprintf(buf, len, "%s:%u", ip, ntohs(in4->sin_port));
}

bool export_http_is_loopback(const struct export_http *h)
{
	const struct sockaddr_in *in4 = (const void *)&h->addr;
	const struct sockaddr_in6 *in6 = (const void *)&h->addr;

	if (h->addr.ss_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	return (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->buf);
	c->fd = -1;
	c->buf = NULL;
	c->len = 0;
	c->closing = false;
}

void export_http_close(struct export_http *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; h->c && i < h->o.max_conns; i++)
		conn_close(&h->c[i]);
	if (h->lfd >= 0)
		close(h->lfd);
	free(h->c);
	free(h);
}

/* ------------------------------------------------------------------ */
/* Answers                                                             */

/* all of p, waiting for room until the deadline; 0 or -errno */
static int send_all(int fd, const char *p, size_t n, long long deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	ssize_t w;
	long long left;

	while (n) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		left = deadline - now_ms();
		if (left <= 0 || poll(&pfd, 1, (int)left) == 0)
			return -ETIMEDOUT;
	}
	return 0;
}

#define LINGER_MS	1000
#define LINGER_BYTES	(64 << 10)

/*
 * After the answer: closing at once with bytes of the client unread
 * (the rest of an oversized request, a body) makes the kernel send a
 * reset, and the client may lose the answer. So the write side is shut
 * and the connection stays in the poll set, its input read and dropped,
 * until the client closes, LINGER_MS pass or LINGER_BYTES came (what
 * HTTP servers call a lingering close). A connection of no slot (the
 * 503s) is closed at once.
 */
static void linger(struct conn *c)
{
	if (!c->buf) {
		close(c->fd);
		c->fd = -1;
		return;
	}
	shutdown(c->fd, SHUT_WR);
	c->closing = true;
	c->drained = 0;
	c->deadline = now_ms() + LINGER_MS;
}

static void linger_read(struct conn *c)
{
	char buf[4096];
	ssize_t n = recv(c->fd, buf, sizeof(buf), 0);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0 || (c->drained += (size_t)n) > LINGER_BYTES)
		conn_close(c);
}

static const char *reason(int code)
{
	switch (code) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Payload Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

static void respond(struct conn *c, struct export_ctx *x, int code,
		    const char *type, const char *body, size_t len,
		    long long deadline)
{
	char head[512];
	int n;

	if (code >= 400)
		x->http_errors++;
	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%sConnection: close\r\n\r\n",
		     code, reason(code), type, len,
		     code == 405 ? "Allow: GET\r\n" : "");
	if (!send_all(c->fd, head, (size_t)n, deadline) && len)
		send_all(c->fd, body, len, deadline);
	linger(c);
}

static void respond_error(struct conn *c, struct export_ctx *x, int code,
			  const char *why)
{
	char body[256];
	int n = snprintf(body, sizeof(body), "%d %s: %s\n", code,
			 reason(code), why);

	respond(c, x, code, "text/plain; charset=utf-8", body, (size_t)n,
		now_ms() + 1000);
}

static const char index_html[] =
	"<!DOCTYPE html>\n<html><head><title>bpfbox export</title></head>\n"
	"<body><h1>bpfbox export</h1>\n"
	"<p>BPF maps as Prometheus metrics: <a href=\"/metrics\">/metrics</a></p>\n"
	"</body></html>\n";

static void serve_metrics(struct conn *c, struct export_ctx *x,
			  long long deadline)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int err;

	if (!f) {
		respond_error(c, x, 500, "out of memory");
		return;
	}
	err = export_prom_write(x, f);
	fclose(f);
	if (err || !text)
		respond_error(c, x, 500, err ? strerror(-err) : "out of memory");
	else
		respond(c, x, 200, "text/plain; version=0.0.4; charset=utf-8",
			text, len, deadline);
	free(text);
}

/* what came on c: more bytes, a whole request, or the peer gone */
static void conn_read(struct export_http *h, struct conn *c,
		      struct export_ctx *x)
{
	size_t room = h->o.max_request + 1 - c->len;
	struct export_req rq;
	ssize_t n;
	int code;

	if (c->closing)
		return linger_read(c);
	n = recv(c->fd, c->buf + c->len, room, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* gone (or reset) before a whole request: nothing to say */
		conn_close(c);
		return;
	}
	c->len += (size_t)n;
	code = export_req_judge(c->buf, c->len, h->o.max_request, &rq);
	if (!code)
		return;
	if (code != 200)
		respond_error(c, x, code, rq.why);
	else if (rq.route == EXPORT_ROUTE_METRICS)
		serve_metrics(c, x, now_ms() + h->o.timeout_ms);
	else
		respond(c, x, 200, "text/html; charset=utf-8", index_html,
			sizeof(index_html) - 1, now_ms() + 1000);
}

static void accept_one(struct export_http *h, struct export_ctx *x)
{
	struct conn *c = NULL, busy = { .fd = -1 };
	size_t i;
	int fd;

	fd = accept4(h->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	for (i = 0; i < h->o.max_conns && !c; i++)
		if (h->c[i].fd < 0)
			c = &h->c[i];
	if (!c) {
		busy.fd = fd;
		respond_error(&busy, x, 503, "too many connections");
		return;
	}
	c->buf = malloc(h->o.max_request + 1);
	if (!c->buf) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->len = 0;
	c->deadline = now_ms() + h->o.timeout_ms;
}

static int next_timeout(const struct export_http *h)
{
	long long t = -1, now = now_ms(), left;
	size_t i;

	for (i = 0; i < h->o.max_conns; i++) {
		if (h->c[i].fd < 0)
			continue;
		left = h->c[i].deadline - now;
		if (left < 0)
			left = 0;
		if (t < 0 || left < t)
			t = left;
	}
	return (int)t;
}

/* the event channels of every object: their fds, and reading them */
static size_t chans_fds(const struct export_ctx *x, int *fds, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < x->nobjs; i++)
		n += export_chans_fds(x->objs[i].chans, fds + n, max - n);
	return n;
}

static void chans_consume(struct export_ctx *x)
{
	size_t i;

	for (i = 0; i < x->nobjs; i++)
		export_chans_consume(x->objs[i].chans);
}

int export_http_step(struct export_http *h, struct export_ctx *x,
		     const void *waitmask)
{
	struct pollfd *pfd = calloc(h->o.max_conns + 1 + MAX_CHAN_FDS,
				    sizeof(*pfd));
	struct conn **who = calloc(h->o.max_conns + 1, sizeof(*who));
	int chan[MAX_CHAN_FDS];
	size_t nchan = chans_fds(x, chan, MAX_CHAN_FDS), np0;
	struct timespec ts, *tsp = NULL;
	int t = next_timeout(h), n, err = 0;
	size_t i, np = 1;
	long long now;

	if (!pfd || !who) {
		err = -ENOMEM;
		goto out;
	}
	pfd[0] = (struct pollfd){ .fd = h->lfd, .events = POLLIN };
	for (i = 0; i < h->o.max_conns; i++) {
		if (h->c[i].fd < 0)
			continue;
		who[np] = &h->c[i];
		pfd[np++] = (struct pollfd){ .fd = h->c[i].fd, .events = POLLIN };
	}
	np0 = np;
	for (i = 0; i < nchan; i++)
		pfd[np++] = (struct pollfd){ .fd = chan[i], .events = POLLIN };
	if (t >= 0) {
		ts.tv_sec = t / 1000;
		ts.tv_nsec = (t % 1000) * 1000000L;
		tsp = &ts;
	}
	n = ppoll(pfd, np, tsp, waitmask);
	if (n < 0) {
		err = errno == EINTR ? -EINTR : -errno;
		goto out;
	}
	for (i = np0; i < np; i++)
		if (pfd[i].revents) {
			chans_consume(x);
			break;
		}
	for (i = 1; i < np0; i++)
		if (pfd[i].revents && who[i]->fd >= 0)
			conn_read(h, who[i], x);
	now = now_ms();
	for (i = 1; i < np0; i++)
		if (who[i]->fd >= 0 && now >= who[i]->deadline) {
			if (who[i]->closing)
				conn_close(who[i]);
			else
				respond_error(who[i], x, 408,
					      "the request took too long");
		}
	if (pfd[0].revents & POLLIN)
		accept_one(h, x);
out:
	free(pfd);
	free(who);
	return err;
}
