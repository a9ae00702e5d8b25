/*
 * trivial-fcgi: the FastCGI ceiling of spawn/bench.  A worker that does
 * nothing but the hop: it answers every request with the same 200 JSON
 * body of N bytes, built once in memory, with the headers the real worker
 * sends (src/http.c).  Run by spawn/pool exactly as reviews-fcgi is.
 *
 * N: argv[1], else TRIVIAL_BYTES, else 2048 (at least 16).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

static volatile sig_atomic_t trivial_stop;

/* SIGTERM from multiwatch: finish the request in hand, then leave. */
static void
trivial_on_signal(int sig)
{
	(void)sig;
	trivial_stop = 1;
	FCGX_ShutdownPending();
}

int
main(int argc, char *argv[])
{
	FCGX_Request		 req;
	struct sigaction	 sa;
	const char		*arg;
	char			*resp, head[128];
	long			 n;
	int			 hlen, len;

	arg = argc > 1 ? argv[1] : getenv("TRIVIAL_BYTES");
	n = arg != NULL ? strtol(arg, NULL, 10) : 2048;
	if (n < 16 || n > 1 << 20)
		n = 2048;
	/* {"pad":"xxx...x"}: valid JSON of exactly n bytes. */
	hlen = snprintf(head, sizeof(head), "Status: 200 OK\r\n"
	    "Content-Type: application/json; charset=utf-8\r\n"
	    "Content-Length: %ld\r\n\r\n", n);
	len = hlen + (int)n;
	if ((resp = malloc((size_t)len)) == NULL)
		return 1;
	memcpy(resp, head, (size_t)hlen);
	memset(resp + hlen, 'x', (size_t)n);
	memcpy(resp + hlen, "{\"pad\":\"", 8);
	memcpy(resp + len - 2, "\"}", 2);

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = trivial_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, 0, 0) != 0)
		return 1;
	while (!trivial_stop && FCGX_Accept_r(&req) >= 0) {
		FCGX_PutStr(resp, len, req.out);
		FCGX_Finish_r(&req);
	}
	FCGX_Free(&req, 1);
	free(resp);
	return 0;
}
