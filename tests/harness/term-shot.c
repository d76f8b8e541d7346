/*
 * term-shot - log in over SSH, type some keys, print the screen.
 *
 *	term-shot [-k keyfile] [-t TERM] [-s COLSxROWS] host port user password
 *	    [keys...]
 *
 * Logs in (password, or the private key with -k, in which case the password
 * argument is still required but ignored: pass "-"), waits for the output to
 * settle, then handles each further argument in order:
 *
 *	key:NAME	a named key for term_key() ("key:F2", "key:Enter", "key:C-x")
 *	wait:TEXT	wait up to 10 s until TEXT is on the screen (fail if not)
 *	sleep:MS	keep reading the connection for MS milliseconds
 *	anything else	sent as raw text
 *
 * After each key or text it lets the output settle briefly (quiet for
 * 150 ms, at most 3 s), so that e.g. "key:Esc" is not taken as the start of
 * an escape sequence together with what follows.  At the end it lets the
 * output settle again, gives a session that is ending 0.3 s to report its
 * exit status, and prints the screen with term_dump().
 *
 * Exits 0, or 1 (with a message on stderr) if login fails, a key name is
 * unknown, a send fails or a wait times out; the screen is printed in the
 * last two cases as well.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "term.h"

#define SETTLE_QUIET	500	/* ms, after login and at the end */
#define SETTLE_MAX	10000
#define STEP_QUIET	150	/* ms, after each key or text */
#define STEP_MAX	3000
#define WAIT_MAX	10000
#define CLOSE_MAX	300	/* ms, for the exit status at the end */

static void
usage(void)
{
	fprintf(stderr, "usage: term-shot [-k keyfile] [-t TERM] "
	    "[-s COLSxROWS] host port user password [keys...]\n"
	    "  keys: key:NAME  wait:TEXT  sleep:MS  or raw text\n");
	exit(1);
}

int
main(int argc, char **argv)
{
	const char *keyfile = NULL, *termtype = "xterm-256color";
	const char *arg;
	struct term *t;
	char *err = NULL, *end;
	int ch, cols = 80, rows = 24, port, i, rc = 0;
	long n;

	while ((ch = getopt(argc, argv, "k:t:s:")) != -1) {
		switch (ch) {
		case 'k':
			keyfile = optarg;
			break;
		case 't':
			termtype = optarg;
			break;
		case 's':
			if (sscanf(optarg, "%dx%d", &cols, &rows) != 2 ||
			    cols < 1 || rows < 1 || cols > 1000 || rows > 1000) {
				fprintf(stderr, "term-shot: bad size %s\n",
				    optarg);
				return 1;
			}
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 4)
		usage();
	n = strtol(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || n < 1 || n > 65535) {
		fprintf(stderr, "term-shot: bad port %s\n", argv[1]);
		return 1;
	}
	port = (int)n;

	if (keyfile != NULL)
		t = term_open_key(argv[0], port, argv[2], keyfile, termtype,
		    cols, rows, &err);
	else
		t = term_open(argv[0], port, argv[2], argv[3], termtype,
		    cols, rows, &err);
	if (t == NULL) {
		fprintf(stderr, "term-shot: %s\n", err != NULL ? err : "?");
		free(err);
		return 1;
	}
	term_settle(t, SETTLE_QUIET, SETTLE_MAX);

	for (i = 4; i < argc && rc == 0; i++) {
		arg = argv[i];
		if (strncmp(arg, "key:", 4) == 0) {
			if (term_key(t, arg + 4) == -1) {
				fprintf(stderr, "term-shot: cannot send key "
				    "%s\n", arg + 4);
				rc = 1;
				break;
			}
			term_settle(t, STEP_QUIET, STEP_MAX);
		} else if (strncmp(arg, "wait:", 5) == 0) {
			if (!term_wait(t, arg + 5, WAIT_MAX)) {
				fprintf(stderr, "term-shot: timed out waiting "
				    "for \"%s\"\n", arg + 5);
				rc = 1;
				break;
			}
		} else if (strncmp(arg, "sleep:", 6) == 0) {
			n = strtol(arg + 6, &end, 10);
			if (arg[6] == '\0' || *end != '\0' || n < 0 ||
			    n > 3600000) {
				fprintf(stderr, "term-shot: bad %s\n", arg);
				rc = 1;
				break;
			}
			term_settle(t, (int)n, (int)n);
		} else {
			if (term_send(t, arg) == -1) {
				fprintf(stderr, "term-shot: send failed\n");
				rc = 1;
				break;
			}
			term_settle(t, STEP_QUIET, STEP_MAX);
		}
	}
	if (rc == 0)
		term_settle(t, SETTLE_QUIET, SETTLE_MAX);
	/* If the session is ending, pick up its exit status for the dump. */
	term_wait_closed(t, CLOSE_MAX, NULL);
	term_dump(t, stdout);
	term_close(t);
	return rc;
}
