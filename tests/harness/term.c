/*
 * term.c - end-to-end test harness: libssh client + libvterm screen.
 *
 * Data flow: the channel's data callback (run by libssh while we pump the
 * session through an ssh_event) feeds every byte into libvterm.  Whatever
 * libvterm wants to send back (answers to DA / cursor position queries, and
 * the sequences produced by vterm_keyboard_key() for named keys) is collected
 * by the output callback in t->out and written to the channel by
 * flush_out() once the pump or the key call has returned, never from inside
 * a libssh callback.
 *
 * No global state; see term.h for the interface.
 */
#include "term.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libssh/libssh.h>
#include <libssh/callbacks.h>
#include <vterm.h>

#define TERM_SSH_TIMEOUT	10	/* seconds, SSH_OPTIONS_TIMEOUT */
#define TERM_PUMP_SLICE		100	/* ms, longest single wait in a pump */
#define TERM_KBDINT_ROUNDS	8	/* keyboard-interactive info requests */

struct term {
	char		*raw;		/* bytes as received, when raw_on */
	size_t		 raw_len, raw_size;
	int		 raw_on;
	ssh_session	 session;
	ssh_channel	 channel;
	ssh_event	 event;
	struct ssh_channel_callbacks_struct cb;	/* must outlive channel */

	VTerm		*vt;
	VTermScreen	*screen;
	VTermState	*state;
	int		 rows;
	int		 cols;

	char		*out;		/* pending output from libvterm */
	size_t		 outlen;
	size_t		 outsize;
	int		 flushing;

	size_t		 rx;		/* channel bytes received */
	int		 eof;		/* remote sent EOF */
	int		 closed;	/* remote closed the channel */
	int		 dead;		/* connection gone or write failed */
	int		 exit_status;	/* -1 until exit-status arrives */
	char		*exit_signal;	/* from exit-signal, or NULL */
};

/* ---------------------------------------------------------------- utils */

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_err(char **, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_err(char **err, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		s = NULL;
	va_end(ap);
	*err = s;
}

/* Encode one code point as UTF-8 into p (room for 4 bytes); return length. */
static size_t
utf8_put(char *p, uint32_t c)
{
	if (c < 0x80) {
		p[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		p[0] = (char)(0xc0 | (c >> 6));
		p[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c >= 0xd800 && c <= 0xdfff)
		c = 0xfffd;
	if (c < 0x10000) {
		p[0] = (char)(0xe0 | (c >> 12));
		p[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		p[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	if (c > 0x10ffff)
		return utf8_put(p, 0xfffd);
	p[0] = (char)(0xf0 | (c >> 18));
	p[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	p[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	p[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* ---------------------------------------------------- libvterm output */

static void
vt_output_cb(const char *s, size_t len, void *user)
{
	struct term *t = user;
	size_t need, size;
	char *p;

	need = t->outlen + len;
	if (need > t->outsize) {
		size = t->outsize ? t->outsize : 256;
		while (size < need)
			size *= 2;
		if ((p = realloc(t->out, size)) == NULL)
			return;		/* drop it; nothing better to do */
		t->out = p;
		t->outsize = size;
	}
	memcpy(t->out + t->outlen, s, len);
	t->outlen += len;
}

static int
write_all(struct term *t, const char *buf, size_t len)
{
	int n;
	uint32_t chunk;

	if (t->dead || t->channel == NULL || !ssh_channel_is_open(t->channel))
		return -1;
	while (len > 0) {
		chunk = len > 32768 ? 32768 : (uint32_t)len;
		n = ssh_channel_write(t->channel, buf, chunk);
		if (n == SSH_ERROR || n <= 0) {
			if (ssh_get_status(t->session) &
			    (SSH_CLOSED | SSH_CLOSED_ERROR))
				t->dead = 1;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Write what libvterm produced.  Writing may run libssh's packet loop, whose
 * data callback may make libvterm produce more: take the buffer out first,
 * then loop until nothing is left.
 */
static int
flush_out(struct term *t)
{
	char *buf;
	size_t len;
	int rc = 0;

	if (t->flushing)
		return 0;
	t->flushing = 1;
	while (t->outlen > 0) {
		buf = t->out;
		len = t->outlen;
		t->out = NULL;
		t->outlen = t->outsize = 0;
		if (write_all(t, buf, len) == -1)
			rc = -1;
		free(buf);
	}
	t->flushing = 0;
	return rc;
}

/* ------------------------------------------------------ libssh callbacks */

static int
ch_data_cb(ssh_session session, ssh_channel channel, void *data,
    uint32_t len, int is_stderr, void *userdata)
{
	struct term *t = userdata;

	(void)session;
	(void)channel;
	(void)is_stderr;	/* a terminal shows stderr too */
	if (len > 0) {
		vterm_input_write(t->vt, data, len);
		t->rx += len;
		if (t->raw_on) {
			if (t->raw_len + len + 1 > t->raw_size) {
				t->raw_size = (t->raw_len + len + 1) * 2;
				t->raw = realloc(t->raw, t->raw_size);
			}
			if (t->raw != NULL) {
				memcpy(t->raw + t->raw_len, data, len);
				t->raw_len += len;
				t->raw[t->raw_len] = '\0';
			}
		}
	}
	return (int)len;
}

static void
ch_eof_cb(ssh_session session, ssh_channel channel, void *userdata)
{
	struct term *t = userdata;

	(void)session;
	(void)channel;
	t->eof = 1;
}

static void
ch_close_cb(ssh_session session, ssh_channel channel, void *userdata)
{
	struct term *t = userdata;

	(void)session;
	(void)channel;
	t->closed = 1;
}

static void
ch_exit_status_cb(ssh_session session, ssh_channel channel, int status,
    void *userdata)
{
	struct term *t = userdata;

	(void)session;
	(void)channel;
	t->exit_status = status;
}

static void
ch_exit_signal_cb(ssh_session session, ssh_channel channel,
    const char *signal, int core, const char *errmsg, const char *lang,
    void *userdata)
{
	struct term *t = userdata;

	(void)session;
	(void)channel;
	(void)core;
	(void)errmsg;
	(void)lang;
	free(t->exit_signal);
	t->exit_signal = strdup(signal != NULL ? signal : "?");
}

/* ----------------------------------------------------------------- pump */

/* True when no more data can arrive. */
static int
finished(struct term *t)
{
	if (t->dead || t->eof || t->closed)
		return 1;
	if (ssh_get_status(t->session) & (SSH_CLOSED | SSH_CLOSED_ERROR)) {
		t->dead = 1;
		return 1;
	}
	return 0;
}

/*
 * Wait up to ms for the connection, process whatever arrived (the callbacks
 * feed the screen) and send libvterm's answers.  Returns the number of
 * channel bytes that arrived.
 */
static size_t
pump(struct term *t, int ms)
{
	size_t before = t->rx;
	int rc;

	if (t->dead)
		return 0;
	if (ms < 0)
		ms = 0;
	rc = ssh_event_dopoll(t->event, ms);
	if (rc == SSH_ERROR)
		t->dead = 1;
	if (ssh_get_status(t->session) & (SSH_CLOSED | SSH_CLOSED_ERROR))
		t->dead = 1;
	flush_out(t);
	return t->rx - before;
}

static int
slice(int64_t deadline)
{
	int64_t left = deadline - now_ms();

	if (left <= 0)
		return 0;
	return left > TERM_PUMP_SLICE ? TERM_PUMP_SLICE : (int)left;
}

/* --------------------------------------------------------------- screen */

/*
 * Build the text of row.  With trim, trailing spaces are removed.  Returns a
 * malloc'd string or NULL.
 */
static char *
build_row(struct term *t, int row, int trim)
{
	VTermScreenCell cell;
	VTermPos pos;
	char *buf, *p;
	int col, i, skip = 0;

	if (row < 0 || row >= t->rows)
		return NULL;
	buf = malloc((size_t)t->cols * VTERM_MAX_CHARS_PER_CELL * 4 + 1);
	if (buf == NULL)
		return NULL;
	p = buf;
	pos.row = row;
	for (col = 0; col < t->cols; col++) {
		if (skip) {		/* right half of a wide character */
			skip = 0;
			continue;
		}
		memset(&cell, 0, sizeof(cell));
		pos.col = col;
		if (!vterm_screen_get_cell(t->screen, pos, &cell)) {
			*p++ = ' ';
			continue;
		}
		/* libvterm marks a continuation cell with (uint32_t)-1. */
		if (cell.chars[0] == (uint32_t)-1)
			continue;
		if (cell.chars[0] == 0)
			*p++ = ' ';
		else {
			for (i = 0; i < VTERM_MAX_CHARS_PER_CELL &&
			    cell.chars[i] != 0; i++)
				p += utf8_put(p, cell.chars[i]);
		}
		if (cell.width == 2)
			skip = 1;
	}
	if (trim) {
		while (p > buf && p[-1] == ' ')
			p--;
	}
	*p = '\0';
	return buf;
}

int
term_contains(struct term *t, const char *text)
{
	char *s;
	int row, found = 0;

	if (t == NULL || text == NULL)
		return 0;
	for (row = 0; row < t->rows && !found; row++) {
		if ((s = build_row(t, row, 1)) == NULL)
			continue;
		found = strstr(s, text) != NULL;
		free(s);
	}
	return found;
}

char *
term_row(struct term *t, int row)
{
	if (t == NULL)
		return NULL;
	return build_row(t, row, 1);
}

char *
term_screen(struct term *t)
{
	char *buf, *s;
	size_t len = 0, n;
	int row;

	if (t == NULL)
		return NULL;
	buf = malloc((size_t)t->rows *
	    ((size_t)t->cols * VTERM_MAX_CHARS_PER_CELL * 4 + 1) + 1);
	if (buf == NULL)
		return NULL;
	for (row = 0; row < t->rows; row++) {
		if ((s = build_row(t, row, 1)) == NULL) {
			free(buf);
			return NULL;
		}
		if (row > 0)
			buf[len++] = '\n';
		n = strlen(s);
		memcpy(buf + len, s, n);
		len += n;
		free(s);
	}
	buf[len] = '\0';
	return buf;
}

void
term_cursor(struct term *t, int *row, int *col)
{
	VTermPos pos;

	vterm_state_get_cursorpos(t->state, &pos);
	if (row != NULL)
		*row = pos.row;
	if (col != NULL)
		*col = pos.col;
}

int
term_rows(struct term *t)
{
	return t->rows;
}

int
term_cols(struct term *t)
{
	return t->cols;
}

int
term_cell_attr(struct term *t, int row, int col, int *bold, int *reverse,
    int *fg)
{
	VTermScreenCell cell;
	VTermPos pos;

	if (t == NULL || row < 0 || row >= t->rows || col < 0 ||
	    col >= t->cols)
		return -1;
	memset(&cell, 0, sizeof(cell));
	pos.row = row;
	pos.col = col;
	if (!vterm_screen_get_cell(t->screen, pos, &cell))
		return -1;
	if (bold != NULL)
		*bold = cell.attrs.bold ? 1 : 0;
	if (reverse != NULL)
		*reverse = cell.attrs.reverse ? 1 : 0;
	if (fg != NULL) {
		if (VTERM_COLOR_IS_DEFAULT_FG(&cell.fg))
			*fg = -1;
		else if (VTERM_COLOR_IS_INDEXED(&cell.fg))
			*fg = cell.fg.indexed.idx;
		else
			*fg = 0x1000000 | cell.fg.rgb.red << 16 |
			    cell.fg.rgb.green << 8 | cell.fg.rgb.blue;
	}
	return 0;
}

void
term_dump(struct term *t, FILE *fp)
{
	char *s;
	int row, col, crow, ccol;

	if (t == NULL || fp == NULL)
		return;
	fprintf(fp, "     ");
	for (col = 0; col < t->cols; col++)
		fputc(col % 10 == 0 ? '0' + (col / 10) % 10 : ' ', fp);
	fprintf(fp, "\n     ");
	for (col = 0; col < t->cols; col++)
		fputc('0' + col % 10, fp);
	fprintf(fp, "\n    +");
	for (col = 0; col < t->cols; col++)
		fputc('-', fp);
	fprintf(fp, "+\n");
	for (row = 0; row < t->rows; row++) {
		/* Untrimmed: the right border lines up (wide = 2 columns). */
		s = build_row(t, row, 0);
		fprintf(fp, "%3d |%s|\n", row, s != NULL ? s : "?");
		free(s);
	}
	fprintf(fp, "    +");
	for (col = 0; col < t->cols; col++)
		fputc('-', fp);
	fprintf(fp, "+\n");
	term_cursor(t, &crow, &ccol);
	fprintf(fp, "cursor row %d col %d; size %dx%d; %s; channel %s",
	    crow, ccol, t->cols, t->rows,
	    t->dead ? "connection closed" : "connected",
	    t->closed ? "closed" : t->eof ? "at EOF" : "open");
	if (t->exit_status != -1)
		fprintf(fp, "; exit status %d", t->exit_status);
	if (t->exit_signal != NULL)
		fprintf(fp, "; exit signal %s", t->exit_signal);
	fprintf(fp, "; %zu bytes received\n", t->rx);
}

/* ---------------------------------------------------------------- input */

int
term_sendn(struct term *t, const char *bytes, size_t len)
{
	int rc;

	if (t == NULL || (bytes == NULL && len > 0))
		return -1;
	if (flush_out(t) == -1)
		return -1;
	if (len == 0)
		return 0;
	rc = write_all(t, bytes, len);
	flush_out(t);
	return rc;
}

int
term_send(struct term *t, const char *bytes)
{
	if (bytes == NULL)
		return -1;
	return term_sendn(t, bytes, strlen(bytes));
}

static const struct {
	const char	*name;
	VTermKey	 key;
	VTermModifier	 mod;
} keys[] = {
	{ "Enter",	VTERM_KEY_ENTER,	VTERM_MOD_NONE },
	{ "Tab",	VTERM_KEY_TAB,		VTERM_MOD_NONE },
	{ "BTab",	VTERM_KEY_TAB,		VTERM_MOD_SHIFT },
	{ "Esc",	VTERM_KEY_ESCAPE,	VTERM_MOD_NONE },
	{ "Backspace",	VTERM_KEY_BACKSPACE,	VTERM_MOD_NONE },
	{ "Delete",	VTERM_KEY_DEL,		VTERM_MOD_NONE },
	{ "Up",		VTERM_KEY_UP,		VTERM_MOD_NONE },
	{ "Down",	VTERM_KEY_DOWN,		VTERM_MOD_NONE },
	{ "Left",	VTERM_KEY_LEFT,		VTERM_MOD_NONE },
	{ "Right",	VTERM_KEY_RIGHT,	VTERM_MOD_NONE },
	{ "Home",	VTERM_KEY_HOME,		VTERM_MOD_NONE },
	{ "End",	VTERM_KEY_END,		VTERM_MOD_NONE },
	{ "PgUp",	VTERM_KEY_PAGEUP,	VTERM_MOD_NONE },
	{ "PgDn",	VTERM_KEY_PAGEDOWN,	VTERM_MOD_NONE },
	{ "Insert",	VTERM_KEY_INS,		VTERM_MOD_NONE },
};

int
term_key(struct term *t, const char *name)
{
	size_t i;
	char *end;
	long n;
	char c;

	if (t == NULL || name == NULL)
		return -1;

	/* C-a .. C-z: the control byte (libvterm would send CSI u for some). */
	if (name[0] == 'C' && name[1] == '-' && name[2] >= 'a' &&
	    name[2] <= 'z' && name[3] == '\0') {
		c = (char)(name[2] - 'a' + 1);
		return term_sendn(t, &c, 1);
	}

	if (flush_out(t) == -1)
		return -1;

	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		n = strtol(name + 1, &end, 10);
		if (*end != '\0' || n < 1 || n > 12)
			return -1;
		vterm_keyboard_key(t->vt, VTERM_KEY_FUNCTION((int)n),
		    VTERM_MOD_NONE);
		return flush_out(t);
	}

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(name, keys[i].name) == 0) {
			vterm_keyboard_key(t->vt, keys[i].key, keys[i].mod);
			return flush_out(t);
		}
	}
	return -1;
}

int
term_resize(struct term *t, int cols, int rows)
{
	if (t == NULL || cols <= 0 || rows <= 0)
		return -1;
	vterm_set_size(t->vt, rows, cols);
	t->rows = rows;
	t->cols = cols;
	if (t->dead || t->channel == NULL || !ssh_channel_is_open(t->channel))
		return -1;
	if (ssh_channel_change_pty_size(t->channel, cols, rows) != SSH_OK)
		return -1;
	return flush_out(t);
}

/* ---------------------------------------------------------------- waits */

/*
 * Read until (row < 0 ? the screen : that row) shows text (want = 1) or no
 * longer shows it (want = 0), or the deadline, or the end of the channel.
 */
static int
wait_text(struct term *t, int row, const char *text, int want,
    int timeout_ms)
{
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	char *s;
	int has;

	if (t == NULL || text == NULL)
		return 0;
	for (;;) {
		if (row < 0)
			has = term_contains(t, text);
		else {
			s = build_row(t, row, 1);
			has = s != NULL && strstr(s, text) != NULL;
			free(s);
		}
		if (has == want)
			return 1;
		if (finished(t) || now_ms() >= deadline)
			return 0;
		pump(t, slice(deadline));
	}
}

int
term_wait(struct term *t, const char *text, int timeout_ms)
{
	return wait_text(t, -1, text, 1, timeout_ms);
}

int
term_wait_row(struct term *t, int row, const char *text, int timeout_ms)
{
	return wait_text(t, row, text, 1, timeout_ms);
}

int
term_wait_gone(struct term *t, const char *text, int timeout_ms)
{
	return wait_text(t, -1, text, 0, timeout_ms);
}

int
term_settle(struct term *t, int quiet_ms, int timeout_ms)
{
	int64_t start = now_ms(), deadline, last, now, until;

	if (t == NULL)
		return 0;
	deadline = start + (timeout_ms > 0 ? timeout_ms : 0);
	last = start;
	for (;;) {
		if (finished(t))
			break;
		now = now_ms();
		if (now - last >= quiet_ms || now >= deadline)
			break;
		until = last + quiet_ms;
		if (until > deadline)
			until = deadline;
		if (pump(t, slice(until)) > 0)
			last = now_ms();
	}
	return 0;
}

int
term_wait_closed(struct term *t, int timeout_ms, int *exit_status)
{
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int rc = 0;

	if (exit_status != NULL)
		*exit_status = -1;
	if (t == NULL)
		return 0;
	for (;;) {
		if (t->closed || t->dead) {
			rc = 1;
			break;
		}
		if (now_ms() >= deadline)
			break;
		pump(t, slice(deadline));
	}
	/*
	 * The callback normally has it; once the channel is closed (or the
	 * session is in error) ssh_channel_get_exit_status does not block.
	 */
	if (rc && t->exit_status == -1 && t->closed && !t->dead) {
		int st = ssh_channel_get_exit_status(t->channel);

		if (st >= 0)
			t->exit_status = st;
	}
	if (exit_status != NULL)
		*exit_status = t->exit_status;
	return rc;
}

void
term_raw_capture(struct term *t, int on)
{
	t->raw_on = on;
	t->raw_len = 0;
	if (t->raw != NULL)
		t->raw[0] = '\0';
}

const char *
term_raw(struct term *t, size_t *len)
{
	if (len != NULL)
		*len = t->raw_len;
	return t->raw != NULL ? t->raw : "";
}

size_t
term_bytes_received(struct term *t)
{
	return t != NULL ? t->rx : 0;
}

int
term_fd(struct term *t)
{
	if (t == NULL)
		return -1;
	(void)finished(t);	/* notices a dropped connection */
	if (t->dead)
		return -1;
	return (int)ssh_get_fd(t->session);
}

int
term_pump(struct term *t, int timeout_ms)
{
	size_t n;

	if (t == NULL)
		return -1;
	n = pump(t, timeout_ms);
	if (n > 0)
		return n > INT_MAX ? INT_MAX : (int)n;
	return finished(t) ? -1 : 0;
}

/* ------------------------------------------------------ open and close */

static int
auth_password(ssh_session session, const char *password)
{
	unsigned int methods;
	int rc, rounds, n, i;

	rc = ssh_userauth_none(session, NULL);
	if (rc == SSH_AUTH_SUCCESS)
		return 0;
	if (rc == SSH_AUTH_ERROR)
		return -1;
	methods = (unsigned int)ssh_userauth_list(session, NULL);

	if (methods & SSH_AUTH_METHOD_PASSWORD) {
		rc = ssh_userauth_password(session, NULL, password);
		if (rc == SSH_AUTH_SUCCESS)
			return 0;
		if (rc == SSH_AUTH_ERROR)
			return -1;
		methods = (unsigned int)ssh_userauth_list(session, NULL);
	}
	if (methods & SSH_AUTH_METHOD_INTERACTIVE) {
		rc = ssh_userauth_kbdint(session, NULL, NULL);
		for (rounds = 0; rc == SSH_AUTH_INFO &&
		    rounds < TERM_KBDINT_ROUNDS; rounds++) {
			n = ssh_userauth_kbdint_getnprompts(session);
			for (i = 0; i < n; i++) {
				if (ssh_userauth_kbdint_setanswer(session,
				    (unsigned int)i, password) < 0)
					return -1;
			}
			rc = ssh_userauth_kbdint(session, NULL, NULL);
		}
		if (rc == SSH_AUTH_SUCCESS)
			return 0;
	}
	return -1;
}

static int
auth_key(ssh_session session, const char *keypath, char **err)
{
	ssh_key key = NULL;
	int rc;

	if (ssh_pki_import_privkey_file(keypath, NULL, NULL, NULL, &key) !=
	    SSH_OK) {
		set_err(err, "cannot read key %s", keypath);
		return -1;
	}
	rc = ssh_userauth_publickey(session, NULL, key);
	ssh_key_free(key);
	if (rc != SSH_AUTH_SUCCESS) {
		set_err(err, "authentication failed");
		return -1;
	}
	return 0;
}

static struct term *
open_common(const char *host, int port, const char *user,
    const char *password, const char *keypath, const char *termtype,
    int cols, int rows, char **err)
{
	struct term *t;
	long timeout = TERM_SSH_TIMEOUT;
	bool no = false;
	int verbosity = SSH_LOG_NOLOG;

	if (err != NULL)
		*err = NULL;
	if (host == NULL || user == NULL || port <= 0 || port > 65535 ||
	    cols <= 0 || rows <= 0 ||
	    (password == NULL && keypath == NULL)) {
		set_err(err, "invalid arguments");
		return NULL;
	}
	if (termtype == NULL)
		termtype = "xterm-256color";

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		set_err(err, "out of memory");
		return NULL;
	}
	t->exit_status = -1;
	t->rows = rows;
	t->cols = cols;

	/* The screen first: the shell may print before we look. */
	if ((t->vt = vterm_new(rows, cols)) == NULL) {
		set_err(err, "vterm_new failed");
		goto fail;
	}
	vterm_set_utf8(t->vt, 1);
	vterm_output_set_callback(t->vt, vt_output_cb, t);
	t->state = vterm_obtain_state(t->vt);
	t->screen = vterm_obtain_screen(t->vt);
	vterm_screen_enable_altscreen(t->screen, 1);
	vterm_screen_reset(t->screen, 1);

	if ((t->session = ssh_new()) == NULL) {
		set_err(err, "ssh_new failed");
		goto fail;
	}
	if (ssh_options_set(t->session, SSH_OPTIONS_PROCESS_CONFIG, &no) < 0 ||
	    ssh_options_set(t->session, SSH_OPTIONS_HOST, host) < 0 ||
	    ssh_options_set(t->session, SSH_OPTIONS_PORT, &port) < 0 ||
	    ssh_options_set(t->session, SSH_OPTIONS_USER, user) < 0 ||
	    ssh_options_set(t->session, SSH_OPTIONS_TIMEOUT, &timeout) < 0 ||
	    ssh_options_set(t->session, SSH_OPTIONS_LOG_VERBOSITY,
	    &verbosity) < 0 ||
	    /* Never consult or update known_hosts: any host key will do. */
	    ssh_options_set(t->session, SSH_OPTIONS_KNOWNHOSTS,
	    "/dev/null") < 0 ||
	    ssh_options_set(t->session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS,
	    "/dev/null") < 0) {
		set_err(err, "options: %s", ssh_get_error(t->session));
		goto fail;
	}
	if (ssh_connect(t->session) != SSH_OK) {
		set_err(err, "connect: %s", ssh_get_error(t->session));
		goto fail;
	}

	if (keypath != NULL) {
		if (auth_key(t->session, keypath, err) == -1)
			goto fail;
	} else if (auth_password(t->session, password) == -1) {
		set_err(err, "authentication failed");
		goto fail;
	}

	if ((t->channel = ssh_channel_new(t->session)) == NULL) {
		set_err(err, "channel: %s", ssh_get_error(t->session));
		goto fail;
	}
	t->cb.userdata = t;
	t->cb.channel_data_function = ch_data_cb;
	t->cb.channel_eof_function = ch_eof_cb;
	t->cb.channel_close_function = ch_close_cb;
	t->cb.channel_exit_status_function = ch_exit_status_cb;
	t->cb.channel_exit_signal_function = ch_exit_signal_cb;
	ssh_callbacks_init(&t->cb);
	if (ssh_set_channel_callbacks(t->channel, &t->cb) != SSH_OK) {
		set_err(err, "channel callbacks: %s",
		    ssh_get_error(t->session));
		goto fail;
	}
	if (ssh_channel_open_session(t->channel) != SSH_OK) {
		set_err(err, "channel open: %s", ssh_get_error(t->session));
		goto fail;
	}
	if (ssh_channel_request_pty_size(t->channel, termtype, cols,
	    rows) != SSH_OK) {
		set_err(err, "pty request: %s", ssh_get_error(t->session));
		goto fail;
	}
	if (ssh_channel_request_shell(t->channel) != SSH_OK) {
		set_err(err, "shell request: %s", ssh_get_error(t->session));
		goto fail;
	}

	/* From here on the session is pumped through its own event. */
	if ((t->event = ssh_event_new()) == NULL ||
	    ssh_event_add_session(t->event, t->session) != SSH_OK) {
		set_err(err, "ssh_event: %s", ssh_get_error(t->session));
		goto fail;
	}
	flush_out(t);
	return t;

fail:
	term_close(t);
	return NULL;
}

struct term *
term_open(const char *host, int port, const char *user, const char *password,
    const char *termtype, int cols, int rows, char **err)
{
	if (password == NULL) {
		set_err(err, "invalid arguments");
		return NULL;
	}
	return open_common(host, port, user, password, NULL, termtype, cols,
	    rows, err);
}

struct term *
term_open_key(const char *host, int port, const char *user,
    const char *keypath, const char *termtype, int cols, int rows,
    char **err)
{
	if (keypath == NULL) {
		set_err(err, "invalid arguments");
		return NULL;
	}
	return open_common(host, port, user, NULL, keypath, termtype, cols,
	    rows, err);
}

void
term_close(struct term *t)
{
	if (t == NULL)
		return;
	if (t->channel != NULL) {
		/* Sends close if still open; does not wait for the reply. */
		ssh_channel_free(t->channel);
		t->channel = NULL;
	}
	if (t->event != NULL) {
		ssh_event_remove_session(t->event, t->session);
		ssh_event_free(t->event);
		t->event = NULL;
	}
	if (t->session != NULL) {
		if (ssh_is_connected(t->session))
			ssh_disconnect(t->session);
		ssh_free(t->session);
	}
	if (t->vt != NULL)
		vterm_free(t->vt);
	free(t->out);
	free(t->raw);
	free(t->exit_signal);
	free(t);
}
